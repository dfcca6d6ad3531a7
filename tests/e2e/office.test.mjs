// The office, as an admin sees it in a browser: sign-in, the dashboard, creating an
// adviser (and a duplicate), a device enrolment code, the language switch, the other
// admin pages with the audit trail, and sign-out.
//
// One hub and one browser for the whole scenario; the steps run in order and share
// the page. No fixed sleeps: every wait is Playwright's auto-waiting or polling.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, poll, shot, startHub } from './lib/hub.mjs';

const ADMIN = 'admin@demo.fieldcase.cz';
const PASSWORD = 'fieldcase-demo';
const WAIT = 20_000; // longest wait for anything a person would see

// Unique per run, so the scenario never collides with demo data.
const stamp = Date.now();
const ADVISER = {
  name: `Eva Testovací ${stamp}`,
  email: `e2e-${stamp}@example.cz`,
  phone: '+420 601 234 567',
  code: `E${String(stamp).slice(-7)}`,
  region: 'Vysočina',
};

let enrolCode = '';
const ENROL_CODE = /^[2-9A-HJKMNP-Z]{5}-[2-9A-HJKMNP-Z]{5}$/;

/** Escapes text for use inside a RegExp. */
const re = (s) => new RegExp(s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));

describe('office: admin scenario', { concurrency: false }, () => {
  /** @type {Awaited<ReturnType<typeof startHub>>} */
  let hub;
  /** @type {Awaited<ReturnType<typeof launchBrowser>>} */
  let browser;
  /** @type {import('playwright-core').Page} */
  let page;
  const consoleErrors = [];

  before(async () => {
    hub = await startHub();
    browser = await launchBrowser({ viewport: { width: 1366, height: 900 } });
    browser.context.setDefaultTimeout(WAIT);
    browser.context.setDefaultNavigationTimeout(WAIT);
    page = await browser.context.newPage();
    page.on('console', (msg) => {
      if (msg.type() === 'error') consoleErrors.push(msg.text());
    });
    page.on('pageerror', (err) => consoleErrors.push(String(err)));
    page.on('response', (res) => {
      if (res.status() >= 400) consoleErrors.push(`HTTP ${res.status()} ${res.request().method()} ${res.url()}`);
    });
  });

  after(async () => {
    if (consoleErrors.length) console.log('browser console errors:\n' + consoleErrors.join('\n'));
    await browser?.close();
    await hub?.stop();
  });

  /** Waits until the live page has filled `#main` with the frame and this title. */
  async function livePage(title) {
    await page.locator('#main nav.sidebar').waitFor({ state: 'visible' });
    await page.locator('header.topbar h1', { hasText: title }).waitFor({ state: 'visible' });
  }

  /** The row of the advisers table that shows `text`. */
  const adviserRow = (text) => page.locator('#advisers-table tbody tr', { hasText: text });

  test('a. a wrong password keeps you on the sign-in form with an error', async () => {
    await page.goto(`${hub.url}/login`);
    await page.locator('h1', { hasText: 'Přihlášení do kanceláře' }).waitFor({ state: 'visible' });
    await page.fill('input[name=email]', ADMIN);
    await page.fill('input[name=password]', 'not-the-password');
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/login') && r.request().method() === 'POST'),
      page.click('button[type=submit]'),
    ]);
    assert.equal(response.status(), 401);
    const error = page.locator('.alert-error');
    await error.waitFor({ state: 'visible' });
    assert.equal((await error.innerText()).trim(), 'Nesprávný e-mail nebo heslo.');
    assert.equal(new URL(page.url()).pathname, '/login');
    // The e-mail is kept, the password is not.
    assert.equal(await page.inputValue('input[name=email]'), ADMIN);
    assert.equal(await page.inputValue('input[name=password]'), '');
    assert.ok(await page.locator('a[href^="/login?lang=en"]', { hasText: 'English' }).isVisible());
    assert.ok(await page.locator('a', { hasText: 'Česky' }).isVisible());
    await shot(page, 'login-error');
  });

  test('b. the admin signs in and sees the dashboard', async () => {
    await page.fill('input[name=email]', ADMIN);
    await page.fill('input[name=password]', PASSWORD);
    await shot(page, 'login');
    await Promise.all([page.waitForURL((u) => u.pathname === '/office'), page.click('button[type=submit]')]);
    await livePage('Přehled');
    await page.locator('.card.stat .stat-label', { hasText: 'Klienti' }).waitFor({ state: 'visible' });
    const labels = await page.locator('.card.stat .stat-label').allInnerTexts();
    assert.deepEqual(labels, [
      'Prodejny',
      'Aktivní poradci',
      'Klienti',
      'Produkty v katalogu',
      'Objednávky za 30 dní',
      'Obrat za 30 dní',
    ]);
    const values = await page.locator('.card.stat .stat-value').allInnerTexts();
    assert.ok(values.every((v) => v.trim() !== ''), `every card has a value: ${values}`);
    const nav = await page.locator('nav.sidebar a.nav-link').allInnerTexts();
    assert.deepEqual(nav, ['Přehled', 'Objednávky', 'Zákazníci', 'Duplicity', 'Segmenty', 'Kampaně', 'Připomínky', 'Reklamace', 'Rezervace vyšetření', 'Oznámení', 'Přiřazení', 'Vlastní pole', 'Laboratoř', 'Banka', 'Pohledávky', 'Doklady', 'Pokladna', 'Pohoda', 'Provize', 'Přehled provizí', 'Výplaty provizí', 'Provizní pravidla', 'Produkty', 'Slevy', 'Sklad', 'Poradci', 'Prodejny', 'Uživatelé', 'API klíče', 'Auditní záznam']);
    assert.equal((await page.locator('#lang-switch').innerText()).trim(), 'English');
    assert.ok(await page.locator('#logout').isVisible());
    await shot(page, 'dashboard');
  });

  test('b2. the "…" loading placeholder is gone once the page is live', async () => {
    assert.equal(await page.locator('#main .loading').isVisible(), false, 'the loading placeholder is still shown');
  });

  test('c. the admin creates an adviser and finds them in the list', async () => {
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/office/advisers'),
      page.locator('nav.sidebar a.nav-link', { hasText: 'Poradci' }).click(),
    ]);
    await livePage('Poradci');
    await page.locator('#advisers-table').waitFor({ state: 'visible' });
    const form = page.locator('form#new-adviser');
    await form.waitFor({ state: 'visible' });
    await form.locator('input[name=name]').fill(ADVISER.name);
    await form.locator('input[name=email]').fill(ADVISER.email);
    await form.locator('input[name=phone]').fill(ADVISER.phone);
    await form.locator('input[name=code]').fill(ADVISER.code);
    await form.locator('input[name=region]').fill(ADVISER.region);
    const shopSelect = form.locator('select[name=home_shop]');
    // The shops arrive with the page's data: wait for a real option after the empty one.
    await poll(async () => (await shopSelect.locator('option').count()) > 1, { message: 'shops in the select' });
    assert.equal(await shopSelect.locator('option').first().getAttribute('value'), '');
    const shopName = (await shopSelect.locator('option').nth(1).innerText()).trim();
    assert.ok(shopName, 'the first shop has a name');
    await shopSelect.selectOption({ index: 1 });
    await form.locator('button[type=submit]', { hasText: 'Vytvořit poradce' }).click();

    const ok = page.locator('.alert-ok');
    await ok.waitFor({ state: 'visible' });
    const okText = (await ok.innerText()).trim();
    assert.match(okText, re(`Poradce ${ADVISER.name} vytvořen.`));
    // No password was given, so one is generated and shown once.
    assert.match(okText, /Počáteční heslo: \S{8,}/);

    await page.fill('input[name=q]', ADVISER.email);
    const row = adviserRow(ADVISER.email);
    await row.waitFor({ state: 'visible' });
    await poll(async () => (await page.locator('#advisers-table tbody tr').count()) === 1, {
      message: 'the search to leave one row',
    });
    const cells = (await row.locator('td').allInnerTexts()).map((c) => c.trim());
    assert.equal(cells[0], ADVISER.code);
    assert.equal(cells[1], `${ADVISER.name}\n${ADVISER.email}`);
    assert.equal(cells[2], `${ADVISER.region}\n${shopName}`);
    assert.equal(cells[3], '0', 'a new adviser has no clients yet');
    assert.equal(cells[4], 'aktivní');
    await shot(page, 'advisers-created');
  });

  test('c2. after creating, the form is emptied for the next adviser', async () => {
    const values = await page.locator('form#new-adviser input:not([type=hidden])').evaluateAll((inputs) =>
      inputs.map((i) => `${i.name}=${i.value}`),
    );
    assert.deepEqual(values, ['name=', 'email=', 'phone=', 'code=', 'region=', 'password=']);
  });

  test('d. the same e-mail again gives an inline error under the e-mail field', async () => {
    const form = page.locator('form#new-adviser');
    await form.locator('input[name=name]').fill(`Dvojník ${stamp}`);
    await form.locator('input[name=email]').fill(ADVISER.email);
    await form.locator('input[name=code]').fill(`D${String(stamp).slice(-7)}`);
    await form.locator('input[name=region]').fill(ADVISER.region);
    await form.locator('select[name=home_shop]').selectOption({ index: 1 });
    await form.locator('button[type=submit]').click();

    const fieldError = form.locator('label.field.has-error:has(input[name=email]) .field-error');
    await fieldError.waitFor({ state: 'visible' });
    assert.equal((await fieldError.innerText()).trim(), 'Tento e-mail už používá jiný účet.');
    assert.equal(await form.locator('input[name=email]').getAttribute('aria-invalid'), 'true');
    await page.locator('.alert-error', { hasText: 'Opravte zvýrazněná pole.' }).waitFor({ state: 'visible' });
    assert.equal(await form.locator('.field-error').count(), 1, 'only the e-mail field is marked');
    // The rest of what was typed stays, and no second adviser appeared.
    assert.equal(await form.locator('input[name=name]').inputValue(), `Dvojník ${stamp}`);
    assert.equal(await form.locator('input[name=region]').inputValue(), ADVISER.region);
    assert.equal(await page.locator('#advisers-table tbody tr').count(), 1);
    await shot(page, 'advisers-duplicate');
  });

  test('d2. the field in error keeps what was typed, to be corrected', async () => {
    assert.equal(await page.locator('form#new-adviser input[name=email]').inputValue(), ADVISER.email);
  });

  test('e0. the row\'s action buttons can be clicked (not covered by the form)', async () => {
    const button = adviserRow(ADVISER.email).locator('button', { hasText: 'Zapsat zařízení' });
    await button.scrollIntoViewIfNeeded();
    const hit = await button.evaluate((b) => {
      const r = b.getBoundingClientRect();
      const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      return top === b || b.contains(top) ? 'the button' : (top?.closest('[id]')?.id || top?.tagName || 'nothing');
    });
    assert.equal(hit, 'the button', 'what a click in the middle of "Zapsat zařízení" lands on');
  });

  test('e. enrolling a device shows a one-time code valid 15 minutes', async () => {
    const row = adviserRow(ADVISER.email);
    await row.locator('button', { hasText: 'Zapsat zařízení' }).click();
    const box = page.locator('#enrol-code');
    await box.waitFor({ state: 'visible' });
    const code = (await box.locator('.code').innerText()).trim();
    assert.match(code, ENROL_CODE);
    enrolCode = code;
    const text = await box.innerText();
    assert.match(text, /platí 15 minut/);
    assert.match(text, re(ADVISER.name));
    await shot(page, 'enrol-code');
  });

  test('e2. a phone enrols with that code, and the office revokes it', async () => {
    // What the phone does with the code: the hub's enrolment API.
    const res = await fetch(`${hub.url}/api/v1/devices/enrol`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: enrolCode, device_name: 'Pixel e2e' }),
    });
    assert.equal(res.status, 201, await res.text());
    const row = adviserRow(ADVISER.email);
    await row.getByRole('button', { name: 'Zařízení', exact: true }).click();
    const devices = page.locator('tr.devices-row');
    await devices.locator('td.strong', { hasText: 'Pixel e2e' }).waitFor({ state: 'visible' });
    await shot(page, 'devices');
    await devices.locator('button', { hasText: 'Odvolat' }).click();
    await page.locator('.alert-ok', { hasText: 'Zařízení Pixel e2e odvoláno' }).waitFor({ state: 'visible' });
    await devices.locator('.pill', { hasText: 'odvoláno' }).waitFor({ state: 'visible' });
    // The code was used once; it cannot enrol a second phone.
    const again = await fetch(`${hub.url}/api/v1/devices/enrol`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: enrolCode, device_name: 'Second phone' }),
    });
    // A used code is answered like an unknown or expired one (a guesser learns nothing).
    assert.equal(again.status, 400);
    assert.match((await again.json()).error, /not valid/);
  });

  test('f. in English, the admin pages and the audit trail', async () => {
    await page.click('#lang-switch');
    await page.locator('nav.sidebar a.nav-link', { hasText: 'Advisers' }).waitFor({ state: 'visible' });
    await page.locator('header.topbar h1', { hasText: /^Advisers$/ }).waitFor({ state: 'visible' });
    const nav = await page.locator('nav.sidebar a.nav-link').allInnerTexts();
    assert.deepEqual(nav, ['Dashboard', 'Orders', 'Customers', 'Duplicates', 'Segments', 'Campaigns', 'Reminders', 'Complaints', 'Eye-exam bookings', 'Notifications', 'Assignment', 'Custom fields', 'Lab', 'Bank', 'Receivables', 'Invoices', 'Till', 'Pohoda', 'Commission', 'Commission report', 'Payouts', 'Commission rules', 'Products', 'Discounts', 'Stock', 'Advisers', 'Shops', 'Users', 'API keys', 'Audit log']);
    assert.equal((await page.locator('#lang-switch').innerText()).trim(), 'Česky');
    assert.equal((await page.locator('#logout').innerText()).trim(), 'Sign out');
    assert.ok(await page.locator('form#new-adviser button[type=submit]', { hasText: 'Create adviser' }).isVisible());
    assert.ok(await page.locator('#advisers-table th', { hasText: 'Region and shop' }).isVisible());
    // The code box re-renders in English.
    assert.match(await page.locator('#enrol-code').innerText(), /valid 15 minutes/);
    // Notices and inline errors already on screen follow the switch too.
    await poll(async () => (await page.title()) === 'Advisers · fieldcase', { message: 'the tab title to turn English' });
    for (const alert of await page.locator('.alert').allInnerTexts()) {
      assert.doesNotMatch(alert, /Opravte|Poradce .* vytvořen/, 'a notice stayed Czech');
    }
    assert.deepEqual(await page.locator('form#new-adviser .field-error').allInnerTexts(), [
      'This e-mail is already used by another account.',
    ]);
    await shot(page, 'advisers-en');

    // The choice is kept: the next pages load in English.
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/office/shops'),
      page.locator('nav.sidebar a.nav-link', { hasText: 'Shops' }).click(),
    ]);
    await livePage('Shops');
    await page.locator('#shops-table tbody tr').first().waitFor({ state: 'visible' });
    assert.equal((await page.locator('#lang-switch').innerText()).trim(), 'Česky');
    await shot(page, 'shops');
    // Edit a shop from the table through the side form.
    const firstRow = page.locator('#shops-table tbody tr').first();
    await firstRow.locator('button', { hasText: 'Edit' }).click();
    const shopForm = page.locator('form#new-shop');
    await page.locator('h2', { hasText: 'Edit shop' }).waitFor({ state: 'visible' });
    const newName = `Optika E2E ${stamp}`;
    await shopForm.locator('input[name=name]').fill(newName);
    await shopForm.locator('button[type=submit]', { hasText: 'Save changes' }).click();
    await page.locator('.alert-ok', { hasText: `Shop ${newName} saved.` }).waitFor({ state: 'visible' });
    await page.locator('#shops-table td', { hasText: newName }).waitFor({ state: 'visible' });
    assert.equal(await shopForm.locator('input[name=name]').inputValue(), '', 'the form is back to a new shop');

    await Promise.all([
      page.waitForURL((u) => u.pathname === '/office/users'),
      page.locator('nav.sidebar a.nav-link', { hasText: 'Users' }).click(),
    ]);
    await livePage('Users');
    await page.locator('#users-table tbody tr', { hasText: ADMIN }).waitFor({ state: 'visible' });
    await shot(page, 'users');

    await Promise.all([
      page.waitForURL((u) => u.pathname === '/office/audit'),
      page.locator('nav.sidebar a.nav-link', { hasText: 'Audit log' }).click(),
    ]);
    await livePage('Audit log');
    const created = page.locator('#audit-table tbody tr', { hasText: 'adviser.create' }).filter({ hasText: ADVISER.email });
    await created.waitFor({ state: 'visible' });
    const cells = (await created.locator('td').allInnerTexts()).map((c) => c.trim());
    assert.equal(cells[1], ADMIN, 'who');
    assert.equal(cells[2], 'adviser.create', 'action');
    assert.match(cells[4], re(`${ADVISER.code} ${ADVISER.name} <${ADVISER.email}>`), 'details');
    // Exactly one: the duplicate attempt did not create anything.
    assert.equal(await created.count(), 1);
    await shot(page, 'audit');
  });

  test('g. signing out returns to the sign-in form and locks the office', async () => {
    await Promise.all([page.waitForURL((u) => u.pathname === '/login'), page.click('#logout')]);
    await page.locator('form input[name=email]').waitFor({ state: 'visible' });
    await page.locator('button[type=submit]').waitFor({ state: 'visible' });

    await page.goto(`${hub.url}/office/advisers`);
    await page.waitForURL((u) => u.pathname === '/login');
    assert.equal(new URL(page.url()).searchParams.get('next'), '/office/advisers');
    await page.locator('form input[name=password]').waitFor({ state: 'visible' });
    assert.equal(await page.locator('nav.sidebar').count(), 0);
  });
});
