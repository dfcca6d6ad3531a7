// The adviser's app in a phone-sized browser (390×844), over the LiveView preview.
//
// The field day from the issue: enrol with a code the office issued → the hub
// stops → create a client, record a prescription, build and submit a glasses
// order, record case movements, request a payout → the hub comes back → the
// pending count drains, the order reaches the office, the office's status change
// shows on the phone, and the payout (over what the office's ledger now allows)
// comes back rejected in the inbox. Then logout wipes the phone, and a device the
// office revokes wipes itself. Every screen is photographed and checked: controls
// at least 44 px, nothing wider than the phone, no English left in the Czech UI.

import assert from 'node:assert/strict';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, poll, shot, startHub } from './lib/hub.mjs';
import { cli, startPreview } from './lib/phone.mjs';

const WAIT = 20_000;
const OFFICE = 'kancelar@demo.fieldcase.cz';
const PASSWORD = 'fieldcase-demo';

// Words that would betray an untranslated Czech screen.
const ENGLISH = /\b(Save|Client|Clients|Order|Orders|Settings|Inbox|Today|Waiting|Synced|Rejected|Back|Submit|Lenses|Frame|Balance|Payout|Case|Search|Prescription|Enrol|Language|Delete|Log out)\b/;

/** Waits until the input shows `value` (LiveView answers each click asynchronously). */
async function hasValue(page, selector, value) {
  await poll(async () => (await page.inputValue(selector)) === value,
    { timeoutMs: WAIT, message: `${selector} to read ${value}` });
}

/** Screenshot plus the checks every screen must pass. */
async function screen(page, name, { czech = true } = {}) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, name);
  const small = await page.$$eval('button, input, select, a.button', (els) =>
    els
      .filter((e) => e.offsetParent !== null && e.type !== 'checkbox')
      .filter((e) => e.getBoundingClientRect().height < 44)
      .map((e) => e.id || e.outerHTML.slice(0, 80)));
  assert.deepEqual(small, [], `${name}: every control is at least 44 px tall`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  assert.equal(overflow, false, `${name}: nothing wider than the phone`);
  if (czech) {
    const text = await page.locator('body').innerText();
    assert.doesNotMatch(text, ENGLISH, `${name}: no English left in the Czech UI`);
  }
}

describe('adviser app: the field day at phone size', { concurrency: false }, () => {
  let hub;
  let preview;
  let browser;
  let page;

  before(async () => {
    hub = await startHub();
    preview = await startPreview(['--push-token', 'android:e2e-push-token-1']);
    browser = await launchBrowser({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    browser.context.setDefaultTimeout(WAIT);
    page = await browser.context.newPage();
  });

  after(async () => {
    await browser?.close();
    await preview?.stop();
    await hub?.stop();
  });

  test('offline field day, then the hub takes it all and answers', async () => {
    // The office credited commission earlier; the phone learns it on connecting.
    await cli(hub, 'commission', 'add', '--adviser', 'P0001', '--kind', 'accrual', '--amount', '1500',
      '--note', 'Objednávka 2026000001', '--by', OFFICE);
    // And a spring coupon; the phone gets it on connecting, and checks it offline.
    assert.equal(await cli(hub, 'coupon', 'add', '--code', 'jaro 10', '--percent', '10',
      '--valid-until', '2099-12-31', '--message', 'Jarní akce: sleva na celé brýle', '--by', OFFICE), 'JARO10');
    // And one for big orders only.
    assert.equal(await cli(hub, 'coupon', 'add', '--code', 'velka', '--amount', '500',
      '--min-order', '100000', '--by', OFFICE), 'VELKA');
    const code = await cli(hub, 'device', 'code', '--adviser', 'P0001', '--by', OFFICE);
    assert.match(code, /\S{6,}/, 'the office issued a code');

    await page.goto(preview.url);
    await page.locator('h1', { hasText: 'Připojení zařízení' }).waitFor();
    await page.click('button[type=submit]');
    await page.locator('.error', { hasText: 'Vyplňte adresu centrály i kód' }).waitFor();
    await screen(page, 'phone-enrol');
    // A wrong code: the app says what to do, in the adviser's words.
    await page.fill('#hub', hub.url);
    await page.fill('#code', 'ABCDE-FGHJK');
    await page.click('button[type=submit]');
    await page.locator('.error', { hasText: 'Kód neplatí' }).waitFor();
    await page.fill('#hub', hub.url);
    await page.fill('#code', code);
    await page.click('button[type=submit]');
    await page.locator('#status .state', { hasText: 'Online' }).waitFor();
    await page.locator('h1', { hasText: 'Dnes' }).waitFor();

    await page.click('#tab-commission');
    await page.locator('#balance', { hasText: '1 500,00' }).waitFor();

    // The adviser works offline, and the hub stops too. Meanwhile the office pays
    // 1 000 Kč out.
    await page.click('#toggle-online');
    const listen = new URL(hub.url).host;
    await hub.stop({ keepData: true });
    await page.locator('#status .state', { hasText: 'Offline' }).waitFor();
    await cli(hub, 'commission', 'add', '--adviser', 'P0001', '--kind', 'payout', '--amount', '-1000',
      '--note', 'Výplata hotově', '--by', OFFICE);

    // Today: add a task, see it listed.
    await page.click('#tab-today');
    await page.click('#save-task');
    await page.locator('.field-error[data-field=title]', { hasText: 'Povinný údaj' }).waitFor();
    await page.fill('#task-title', 'Zavolat paní Terénní kvůli obrubě');
    await page.click('#save-task');
    await page.locator('#visits .name', { hasText: 'Zavolat paní Terénní' }).waitFor();
    await screen(page, 'phone-today');

    // A new client.
    await page.click('#tab-clients');
    await page.click('#new-client');
    await page.fill('#first_name', 'Božena');
    await page.fill('#last_name', 'Terénní');
    await page.fill('#phone', '601 222 333');
    await page.fill('#email', 'bozena@example.cz');
    await page.fill('#city', 'Třebíč');
    await page.fill('#street', 'Karlovo nám. 1');
    await page.fill('#postal_code', '67401');
    await page.click('#save-client');
    await page.locator('#client-name', { hasText: 'Božena Terénní' }).waitFor();
    assert.equal(await page.getAttribute('#call', 'href'), 'tel:+420601222333');
    assert.equal(await page.getAttribute('#mail', 'href'), 'mailto:bozena@example.cz');
    assert.match(await page.getAttribute('#map', 'href'), /mapy\.cz.*Trebic|mapy\.cz.*Třebíč/);
    await page.locator('#status .pending', { hasText: /Čeká: [1-9]/ }).waitFor();

    // The same phone again: the form warns and offers the existing client.
    await page.click('#tab-clients');
    await page.click('#new-client');
    await page.fill('#last_name', 'Terénní');
    await page.fill('#phone', '+420601222333');
    await page.locator('#duplicate-warning', { hasText: 'Božena Terénní' }).waitFor();
    assert.equal((await page.innerText('#save-client')).trim(), 'Přesto uložit');
    await screen(page, 'phone-client-duplicate');
    await page.fill('#search', '').catch(() => {});
    await page.click('#tab-clients');
    await page.fill('#search', 'trebic');
    await page.locator('.client .name', { hasText: 'Terénní Božena' }).waitFor();
    await screen(page, 'phone-clients');
    await page.click('.client >> text=Terénní Božena');

    // The prescription: steppers in quarters, inline errors from the shared rules.
    await page.click('#new-prescription');
    for (let i = 0; i < 5; i++) await page.click('#right-sph-minus');
    await hasValue(page, '#right-sph', '-1,25');
    await page.click('#right-cyl-minus');
    await page.click('#right-cyl-minus');
    await page.fill('#left-sph', '-1,00');
    await page.click('#save-rx');
    await page.locator('.field-error[data-field="right.axis"]', { hasText: 'Povinný údaj' }).waitFor();
    await screen(page, 'phone-prescription');
    for (let i = 0; i < 18; i++) await page.click('#right-axis-plus');
    await hasValue(page, '#right-axis', '90');
    await page.locator('.field-error[data-field="right.axis"]').waitFor({ state: 'detached' });
    await page.click('#save-rx');
    await page.locator('#prescriptions .meta', { hasText: 'P -1,25 / -0,50' }).waitFor();
    await screen(page, 'phone-client');

    // The sample case: take two frames in, count them (one is missing).
    await page.click('#tab-case');
    await page.fill('#case-search', 'frame cerna');
    const first = page.locator('#case-found button').first();
    await first.waitFor();
    const frame = (await first.innerText()).replace('+1 ', '').trim();
    await first.click();
    await page.locator('#case-items .qty', { hasText: '1' }).waitFor();
    await first.click();
    await page.locator('#case-items .qty', { hasText: '2' }).waitFor();
    await page.click('#case-items button:has-text("Inventura")');
    await page.fill('#case-items input', '3');
    await page.click('#case-items button:has-text("Uložit")');
    await page.locator('#discrepancies', { hasText: 'rozdíl +1' }).waitFor();
    await screen(page, 'phone-case');

    // The order: frame from the case, lenses with advice, coating, discount, deposit.
    await page.click('#tab-clients');
    await page.click('.client >> text=Terénní Božena');
    await page.click('#new-order');
    await page.click(`#case-frames button:has-text("${frame.split(' ').slice(0, 2).join(' ')}")`);
    await page.locator('#chosen-frame', { hasText: 'z kufru' }).waitFor();
    await page.selectOption('#lens-index', '1.74');
    await page.selectOption('#lens-design', 'single_vision');
    await page.locator('#lens-advice', { hasText: 'stačí 1,50' }).waitFor();
    await page.selectOption('#lens-index', '1.50');
    await page.locator('#lens-advice').waitFor({ state: 'detached' });
    await page.locator('#chosen-lens').waitFor();
    await page.locator('label.check input').first().check();
    await page.fill('#discount', '10');
    const beforeCoupon = await page.innerText('#order-total');
    await page.fill('#coupon', 'PODZIM');
    await page.click('#apply-coupon');
    await page.locator('.field-error[data-field=coupon]', { hasText: 'Takový kupón neznáme' }).waitFor();
    // A coupon for bigger orders says so, and the order would not be saved with it.
    await page.fill('#coupon', 'velka');
    await page.click('#apply-coupon');
    await page.locator('#coupon-not-applicable', { hasText: 'Kupón platí pro objednávku od 100 000,00 Kč.' }).waitFor();
    assert.equal(await page.locator('#coupon-applied').count(), 0, 'a coupon that does not apply takes nothing off');
    await page.fill('#coupon', 'Jaro-10');
    await page.click('#apply-coupon');
    await page.locator('#coupon-applied', { hasText: 'JARO10: −10 %' }).waitFor();
    await page.locator('#coupon-message', { hasText: 'Jarní akce: sleva na celé brýle' }).waitFor();
    await page.locator('#coupon-not-applicable').waitFor({ state: 'detached' });
    await poll(async () => (await page.innerText('#order-total')) !== beforeCoupon,
      { timeoutMs: WAIT, message: 'the coupon lowering the total' });
    await page.fill('#deposit', '999999');
    await page.click('#submit-order');
    await page.locator('.field-error[data-field=deposit]').waitFor();
    await page.fill('#deposit', '500');
    await page.locator('.field-error[data-field=deposit]').waitFor({ state: 'detached' });
    const vs = (await page.innerText('#order-vs')).trim();
    assert.match(vs, /^9\d{9}$/, 'a field order gets the adviser\'s variable symbol');
    await screen(page, 'phone-order-builder');
    await page.click('#submit-order');
    await page.locator('#detail-vs', { hasText: vs }).waitFor();
    await page.locator('#order-status', { hasText: 'Přijato' }).waitFor();
    // The coupon is a field of the order (not text in its note).
    await page.locator('#order-coupon', { hasText: 'JARO10' }).waitFor();
    await page.locator('#order-coupon-message', { hasText: 'Jarní akce: sleva na celé brýle' }).waitFor();
    const spayd = await page.getAttribute('#qr', 'data-spayd');
    assert.match(spayd, new RegExp(`^SPD\\*1\\.0\\*ACC:CZ\\d{22}\\*AM:\\d+\\.\\d{2}\\*CC:CZK\\*X-VS:${vs}\\*`));
    assert.ok(await page.locator('#qr svg').count(), 'the QR code is drawn');
    await screen(page, 'phone-order');

    // The frame sold with the order left the case.
    await page.click('#tab-case');
    await page.locator('#case-items .qty', { hasText: '2' }).waitFor();

    // A payout the phone allows (it still sees 1 500 Kč).
    await page.click('#tab-commission');
    await page.fill('#payout-amount', '99999');
    await page.click('#request-payout');
    await page.locator('#payout-message', { hasText: 'převyšuje dostupný zůstatek' }).waitFor();
    await page.fill('#payout-amount', '1200');
    await page.click('#request-payout');
    await page.locator('#payout-message', { hasText: 'rozhodne centrála' }).waitFor();
    await page.locator('#payout-requests', { hasText: 'čeká na centrálu' }).waitFor();
    await screen(page, 'phone-commission');
    const pending = Number((await page.innerText('#status .pending')).replace(/\D/g, ''));
    assert.ok(pending > 5, `changes wait for the hub (${pending})`);

    // The hub is back on the same address. The phone, set offline, waits until the
    // adviser pulls the page down: that syncs at once.
    hub = await startHub({ dataDir: hub.dataDir, listen });
    await page.evaluate(() => window.scrollTo(0, 0));
    const touch = await page.context().newCDPSession(page);
    await touch.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x: 195, y: 200 }] });
    for (const y of [240, 280, 320, 360]) {
      await touch.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x: 195, y }] });
    }
    await page.locator('#pull', { hasText: 'Pusťte pro synchronizaci' }).waitFor();
    await touch.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    await page.locator('#pull').waitFor({ state: 'detached' });
    await page.locator('#status .pending', { hasText: 'Čeká: 0' }).waitFor();
    await poll(async () => (await cli(hub, 'projection', '--adviser', 'P0001')).includes(vs),
      { timeoutMs: WAIT, message: 'the order in the office projection' });

    // The payout comes back rejected: the office's ledger now allows 500 Kč.
    await page.locator('#status .rejections', { hasText: 'Zamítnuto: 1' }).waitFor();
    await page.click('#tab-inbox');
    await page.locator('#inbox .item.bad', { hasText: 'převyšuje dostupný zůstatek' }).waitFor();
    await screen(page, 'phone-inbox');
    await page.click('#inbox .item.bad button.fix');
    await page.locator('#payout-requests', { hasText: 'zamítnuto' }).waitFor();
    await page.locator('#balance', { hasText: '500,00' }).waitFor();

    // The office confirms the order; the phone shows it.
    const office = await officePage(browser, hub, '/office/orders');
    await office.fill('input[name=q]', vs);
    const row = office.locator('#orders-table tbody tr', { hasText: vs });
    await row.locator('.coupon', { hasText: 'Kupón JARO10' }).waitFor();
    await row.locator('button', { hasText: '→ Potvrzeno' }).click();
    await office.locator('.alert-ok', { hasText: `Objednávka ${vs}` }).waitFor();
    // The office sees the adviser's sample case as the phone recorded it: two frames
    // taken in, then counted.
    await office.goto(`${hub.url}/office/stock`);
    const p0001 = await office.locator('select[name=adviser] option', { hasText: 'P0001' }).getAttribute('value');
    await office.selectOption('select[name=adviser]', p0001);
    await office.locator('#case-moves tbody tr').nth(2).waitFor();
    assert.ok((await office.locator('#case-moves').innerText()).includes('count'), 'the stock-taking is listed');
    assert.ok((await office.locator('#case-contents tbody tr').count()) >= 1, 'the case holds the frame');
    await shot(office, 'office-adviser-case');
    await office.close();
    await page.click('#tab-clients');
    await page.click('.client >> text=Terénní Božena');
    await page.click(`#orders .order:has-text("${vs}")`);
    await page.locator('#order-status', { hasText: 'Potvrzeno' }).waitFor();
    await screen(page, 'phone-order-confirmed');

    // A push makes the phone sync at once, even after the adviser went offline.
    await page.click('#toggle-online');
    await page.locator('#status .state', { hasText: 'Offline' }).waitFor();
    const pushed = await fetch(`${preview.url}/push`, { method: 'POST' });
    assert.equal(pushed.status, 204);
    await page.locator('#status .state', { hasText: 'Online' }).waitFor();

    // Settings: English, diagnostics, then back to Czech.
    await page.click('#tab-settings');
    await screen(page, 'phone-settings');
    await page.click('#lang-en');
    await page.locator('h1', { hasText: 'Settings' }).waitFor();
    await page.click('#diagnostics');
    await page.locator('#diagnostics-text', { hasText: 'fieldcase-mobile' }).waitFor();
    const diagnostics = await page.innerText('#diagnostics-text');
    assert.doesNotMatch(diagnostics, /Terénní|601 222 333/, 'no client details in the diagnostics');
    await screen(page, 'phone-settings-en', { czech: false });
    await page.click('#lang-cs');
    await page.locator('h1', { hasText: 'Nastavení' }).waitFor();

    // Logout wipes the phone.
    await page.click('#logout');
    await page.locator('#logout-confirm').waitFor();
    await page.click('#logout-confirm');
    await page.locator('h1', { hasText: 'Připojení zařízení' }).waitFor();
    await assert.rejects(access(join(preview.dir, 'device.db')), 'the local database is gone');
  });

  test('a device the office revokes wipes itself', async () => {
    const code = await cli(hub, 'device', 'code', '--adviser', 'P0001', '--by', OFFICE);
    await page.goto(preview.url);
    await page.fill('#hub', hub.url);
    await page.fill('#code', code);
    await page.click('button[type=submit]');
    await page.locator('#status .state', { hasText: 'Online' }).waitFor();

    const office = await officePage(browser, hub, '/office/advisers');
    await revokeDevices(office);
    await office.close();

    await page.locator('.warning', { hasText: 'Kancelář toto zařízení odpojila' }).waitFor({ timeout: 60_000 });
    await screen(page, 'phone-revoked');
    await assert.rejects(access(join(preview.dir, 'device.db')), 'the local database is gone');
  });
});

/** An office page at desktop size, signing in when the session asks for it. */
async function officePage(browser, hub, path) {
  const office = await browser.context.newPage();
  await office.setViewportSize({ width: 1366, height: 900 });
  await office.goto(`${hub.url}${path}`);
  if (new URL(office.url()).pathname === '/login') {
    await office.fill('input[name=email]', OFFICE);
    await office.fill('input[name=password]', PASSWORD);
    await Promise.all([office.waitForURL((u) => u.pathname === path), office.click('button[type=submit]')]);
  }
  return office;
}

/** Opens P0001's devices in the office and revokes every one still active. */
async function revokeDevices(office) {
  await office.fill('input[name=q]', 'P0001');
  const row = office.locator('#advisers-table tbody tr', { hasText: 'P0001' }).first();
  await row.getByRole('button', { name: 'Zařízení', exact: true }).click();
  const devices = office.locator('tr.devices-row');
  await devices.locator('td.strong', { hasText: 'fieldcase-mobile' }).first().waitFor();
  // The app registered the push token the platform gave it (--push-token).
  await devices.locator('td.push', { hasText: 'push: android' }).first().waitFor();
  const revoke = devices.locator('button', { hasText: 'Odvolat' });
  for (let left = await revoke.count(); left > 0; left--) {
    await revoke.first().click();
    await poll(async () => (await revoke.count()) < left, { timeoutMs: WAIT, message: 'the device revoked' });
  }
}
