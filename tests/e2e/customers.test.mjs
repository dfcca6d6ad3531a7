// The office finds a customer (issue 12, point 1) and imports a file of them: by a phone however it is typed,
// by a name typed without diacritics; the card shows contacts, adviser, prescriptions
// and orders, and an order's card leads to its customer and back. The office edits a
// customer (found then by the new number) and creates one; a refused field keeps
// what was typed; the lab may look but not edit.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, shot, signIn, startHub } from './lib/hub.mjs';

const LAB = 'laborator@demo.fieldcase.cz';

const OFFICE = 'kancelar@demo.fieldcase.cz';
const WAIT = 20_000;

describe('office: customers', { concurrency: false }, () => {
  let hub;
  let browser;
  let page;

  before(async () => {
    hub = await startHub();
    browser = await launchBrowser({ viewport: { width: 1366, height: 900 } });
    browser.context.setDefaultTimeout(WAIT);
    page = await signIn(browser.context, hub.url, OFFICE, '/office/customers');
  });

  after(async () => {
    await browser?.close();
    await hub?.stop();
  });

  /// Empties the list with a word nobody has, so the rows seen next are the answer.
  const emptyList = async () => {
    await page.fill('input[name=q]', 'zzzqqq');
    await page.locator('#no-customers').waitFor({ state: 'visible' });
  };

  test('a customer is found by a phone typed in another format', async () => {
    await page.locator('header.topbar h1', { hasText: 'Zákazníci' }).waitFor({ state: 'visible' });
    const first = page.locator('#customers-table tbody tr').first();
    await first.waitFor({ state: 'visible' });
    await Promise.all([
      page.waitForURL((u) => /^\/office\/customers\/[0-9a-f-]{36}$/.test(u.pathname)),
      first.locator('a.customer-link').click(),
    ]);
    const name = (await page.locator('#customer-name').innerText()).trim();
    const contact = await page.locator('#customer-contacts').innerText();
    const phone = /\+420 (\d{3}) (\d{3}) (\d{3})/.exec(contact);
    assert.ok(phone, `a demo phone on the card: ${contact}`);
    const [, a, b, c] = phone;
    await shot(page, 'customer-card');
    await page.goto(`${hub.url}/office/customers`);
    await page.locator('#customers-table tbody tr').first().waitFor({ state: 'visible' });
    const [firstName, ...rest] = name.split(' ');
    const listed = `${rest.join(' ')} ${firstName}`;
    for (const typed of [`${a}${b}${c}`, `${a} ${b} ${c}`, `${a}-${b}-${c}`, `+420${a}${b}${c}`, `00420 ${a} ${b}${c}`, `(${a}) ${b} ${c}`]) {
      await emptyList();
      await page.fill('input[name=q]', typed);
      const row = page.locator('#customers-table tbody tr', { hasText: listed });
      await row.waitFor({ state: 'visible' });
      assert.equal(await page.locator('#customers-table tbody tr').count(), 1, `only ${listed} has ${typed}`);
      // The matched phone is highlighted.
      assert.ok((await row.locator('td').nth(1).locator('mark').count()) > 0, `the phone is marked for ${typed}`);
    }
    await shot(page, 'customers-phone-search');
  });

  test('a name typed in lower case without diacritics finds the customer', async () => {
    await page.goto(`${hub.url}/office/customers`);
    await page.locator('#customers-table tbody tr').first().waitFor({ state: 'visible' });
    // A listed customer whose surname has a Czech letter.
    const names = await page.locator('#customers-table tbody a.customer-link').allInnerTexts();
    assert.ok(names.length > 0);
    const withDiacritics = names.map((n) => n.trim()).find((n) => n.normalize('NFD') !== n) ?? names[0].trim();
    const [surname] = withDiacritics.split(' ');
    const plain = surname.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
    await emptyList();
    await page.fill('input[name=q]', plain);
    await page.locator('#customers-table tbody tr', { hasText: withDiacritics }).waitFor({ state: 'visible' });
    const shown = await page.locator('#customers-table tbody a.customer-link').allInnerTexts();
    assert.ok(shown.every((n) => n.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().includes(plain)), `${plain}: ${shown}`);
    assert.match(await page.locator('#page-info').innerText(), /nejnovější první/);
  });

  test('pages go on and back; an order leads to its customer and back', async () => {
    await page.goto(`${hub.url}/office/customers`);
    await page.locator('#customers-table tbody tr').first().waitFor({ state: 'visible' });
    const firstPage = await page.locator('#customers-table tbody a.customer-link').allInnerTexts();
    assert.equal(firstPage.length, 50);
    await page.click('#next-page');
    await page.locator('#page-info', { hasText: 'strana 2' }).waitFor({ state: 'visible' });
    await page.waitForFunction((first) => {
      const now = [...document.querySelectorAll('#customers-table tbody a.customer-link')].map((a) => a.innerText);
      return now.length > 0 && !now.includes(first);
    }, firstPage[0]);
    const secondPage = await page.locator('#customers-table tbody a.customer-link').allInnerTexts();
    assert.ok(secondPage[0].localeCompare(firstPage[49], 'cs', { sensitivity: 'base' }) >= 0 || secondPage[0] !== firstPage[0]);
    await page.click('#prev-page');
    await page.locator('#page-info', { hasText: 'strana 1' }).waitFor({ state: 'visible' });

    await page.goto(`${hub.url}/office/orders`);
    const order = page.locator('#orders-table tbody tr').first();
    await order.waitFor({ state: 'visible' });
    const vs = (await order.locator('td').first().innerText()).trim();
    await Promise.all([page.waitForURL((u) => /^\/office\/orders\/[0-9a-f-]{36}$/.test(u.pathname)), order.locator('a.order-link').click()]);
    await Promise.all([
      page.waitForURL((u) => /^\/office\/customers\/[0-9a-f-]{36}$/.test(u.pathname)),
      page.click('#order-customer-link'),
    ]);
    const onCard = page.locator('#customer-orders a.order-link', { hasText: vs });
    await onCard.waitFor({ state: 'visible' });
    assert.ok((await page.locator('#customer-orders tbody tr').count()) >= 1);
    await shot(page, 'customer-card-orders');
    await Promise.all([page.waitForURL((u) => /^\/office\/orders\/[0-9a-f-]{36}$/.test(u.pathname)), onCard.click()]);
    await page.locator('#order-vs', { hasText: vs }).waitFor({ state: 'visible' });
  });

  test('the office edits a customer and finds them by the new number', async () => {
    await page.goto(`${hub.url}/office/customers`);
    const first = page.locator('#customers-table tbody tr').first();
    await first.waitFor({ state: 'visible' });
    await Promise.all([page.waitForURL((u) => /^\/office\/customers\/[0-9a-f-]{36}$/.test(u.pathname)), first.locator('a.customer-link').click()]);
    const card = page.url();
    const name = (await page.locator('#customer-name').innerText()).trim();
    await page.click('#customer-edit summary');
    // A bad phone: refused with the field marked, what was typed stays.
    await page.fill('#customer-form input[name=phone]', '12');
    await page.fill('#customer-form input[name=city]', 'Horní Dolní');
    await page.click('#customer-form button[type=submit]');
    await page.locator('.alert-error', { hasText: 'Zkontrolujte označená pole.' }).waitFor({ state: 'visible' });
    await page.locator('#customer-form .field.has-error input[name=phone]').waitFor({ state: 'visible' });
    assert.equal(await page.locator('#customer-form input[name=city]').inputValue(), 'Horní Dolní');
    // A good one, typed without spaces: saved normalised, shown on the card.
    await page.fill('#customer-form input[name=phone]', '739012345');
    await page.click('#customer-form button[type=submit]');
    await page.locator('.alert-ok', { hasText: 'Uloženo: Telefon, Obec.' }).waitFor({ state: 'visible' });
    await page.locator('#customer-phone', { hasText: '+420 739 012 345' }).waitFor({ state: 'visible' });
    await page.locator('#customer-address', { hasText: 'Horní Dolní' }).waitFor({ state: 'visible' });
    assert.equal(await page.locator('#customer-form input[name=phone]').inputValue(), '+420 739 012 345', 'the form shows what was saved');
    await shot(page, 'customer-edited');
    await page.goto(`${hub.url}/office/customers`);
    await emptyList();
    await page.fill('input[name=q]', '+420 739-012-345');
    const [firstName, ...rest] = name.split(' ');
    await page.locator('#customers-table tbody tr', { hasText: `${rest.join(' ')} ${firstName}` }).waitFor({ state: 'visible' });
    assert.equal(await page.locator('#customers-table tbody tr').count(), 1);

    // The office creates its own customer: first with that customer's phone, typed
    // another way — a duplicate warning names them and nothing is saved.
    await page.click('#add-customer summary');
    await page.fill('#new-customer input[name=first_name]', 'Zdeňka');
    await page.fill('#new-customer input[name=last_name]', 'Nováčková');
    await page.fill('#new-customer input[name=phone]', '739 012 345');
    await page.fill('#new-customer input[name=postal_code]', '60200');
    await page.click('#new-customer button[type=submit]');
    const warning = page.locator('#duplicate-warning');
    await warning.locator('li.duplicate', { hasText: name }).waitFor({ state: 'visible' });
    assert.match(await warning.innerText(), /stejný telefon \(100 %\)/);
    assert.equal((await page.locator('#new-customer button[type=submit]').innerText()).trim(), 'Přesto uložit');
    await shot(page, 'customer-duplicate-warning');
    // Another number: no duplicate, saved; then the card.
    await page.fill('#new-customer input[name=phone]', '00420 608 555 444');
    await page.click('#new-customer button[type=submit]');
    await page.locator('.alert-ok', { hasText: 'Zákazník uložen.' }).waitFor({ state: 'visible' });
    await Promise.all([page.waitForURL((u) => /^\/office\/customers\/[0-9a-f-]{36}$/.test(u.pathname)), page.click('#new-customer-link')]);
    await page.locator('#customer-name', { hasText: 'Zdeňka Nováčková' }).waitFor({ state: 'visible' });
    await page.locator('#customer-phone', { hasText: '+420 608 555 444' }).waitFor({ state: 'visible' });
    await page.locator('#customer-address', { hasText: '602 00' }).waitFor({ state: 'visible' });
    await page.locator('#customer-adviser', { hasText: 'Bez poradce.' }).waitFor({ state: 'visible' });

    // The lab may look the customer up, but not change them.
    await browser.context.clearCookies();
    const lab = await signIn(browser.context, hub.url, LAB, '/office/customers');
    await lab.goto(card);
    await lab.locator('#customer-name').waitFor({ state: 'visible' });
    assert.equal(await lab.locator('#customer-edit').count(), 0, 'no edit form for the lab');
    await lab.goto(`${hub.url}/office/customers`);
    await lab.locator('#customers-table tbody tr').first().waitFor({ state: 'visible' });
    assert.equal(await lab.locator('#add-customer').count(), 0, 'no new-customer form for the lab');
    await lab.close();
  });

  test('a call and a consent go into the history; the list filters on consent', async () => {
    await browser.context.clearCookies();
    page = await signIn(browser.context, hub.url, OFFICE, '/office/customers');
    await emptyList();
    await page.fill('input[name=q]', 'Nováčková');
    const row = page.locator('#customers-table tbody tr', { hasText: 'Nováčková Zdeňka' });
    await row.waitFor({ state: 'visible' });
    await Promise.all([page.waitForURL((u) => /^\/office\/customers\/[0-9a-f-]{36}$/.test(u.pathname)), row.locator('a.customer-link').click()]);
    await page.locator('#consent-email', { hasText: 'nikdy nedán' }).waitFor({ state: 'visible' });
    await page.selectOption('#history-form select[name=kind]', 'call_in');
    await page.fill('#history-form textarea[name=body]', 'Volala kvůli slunečním brýlím');
    await page.click('#history-form button[type=submit]');
    await page.locator('#customer-history li.history-call_in', { hasText: 'Volala kvůli slunečním brýlím' }).waitFor({ state: 'visible' });
    // A consent without a place is refused; with one it is recorded and shown.
    await page.selectOption('#consent-form select[name=channel]', 'email');
    await page.fill('#consent-form input[name=place]', '   ');
    await page.click('#consent-form button[type=submit]');
    await page.locator('.alert-error', { hasText: 'Uveďte, kde zákazník souhlas dal nebo odvolal.' }).waitFor({ state: 'visible' });
    await page.fill('#consent-form input[name=place]', 'Prodejna Brno');
    await page.fill('#consent-form input[name=evidence]', 'F-2026-118');
    await page.click('#consent-form button[type=submit]');
    await page.locator('#consent-email', { hasText: 'souhlasí' }).waitFor({ state: 'visible' });
    await page.locator('#consent-email', { hasText: 'Prodejna Brno · F-2026-118' }).waitFor({ state: 'visible' });
    await page.locator('#customer-history li.history-consent', { hasText: 'E-mail: souhlasí (Prodejna Brno)' }).waitFor({ state: 'visible' });
    await shot(page, 'customer-history');
    // The list: she is among those who consented to e-mail, not among those who did not.
    await page.goto(`${hub.url}/office/customers`);
    await page.locator('#customers-table tbody tr').first().waitFor({ state: 'visible' });
    await page.fill('input[name=q]', 'novackova zdenka');
    await page.selectOption('select[name=consent]', 'email');
    await page.locator('#customers-table tbody tr', { hasText: 'Nováčková Zdeňka' }).waitFor({ state: 'visible' });
    await page.selectOption('select[name=consent]', 'no-email');
    await page.locator('#customers-table tbody tr', { hasText: 'Nováčková Zdeňka' }).waitFor({ state: 'detached' });
    await page.selectOption('select[name=consent]', 'email');
    await page.locator('#customers-table tbody tr', { hasText: 'Nováčková Zdeňka' }).waitFor({ state: 'visible' });
  });

  test('a file of customers is imported: bad rows reported by line, the rest found', async () => {
    await page.goto(`${hub.url}/office/customers`);
    await page.click('#import-customers summary');
    // Windows-1250, as Czech Excel saves CSV: "Dvořák" with ř = 0xF8, á = 0xE1.
    const rows = [
      Buffer.from('prijmeni;jmeno;telefon;obec\n'),
      Buffer.concat([Buffer.from('Dvo'), Buffer.from([0xf8, 0xe1]), Buffer.from('kimport;Karel;608 111 222;Plzen\n')]),
      Buffer.from(';Bez;;Brno\n'),
      Buffer.from('Importova;Eva;12;Brno\n'),
      Buffer.from('Importova;Jana;;Brno\n'),
    ];
    await page.setInputFiles('#import-form input[type=file]', {
      name: 'zakaznici.csv', mimeType: 'text/csv', buffer: Buffer.concat(rows),
    });
    await Promise.all([page.waitForURL((u) => u.pathname === '/customers/import'), page.click('#import-form button[type=submit]')]);
    await page.locator('#import-done').waitFor();
    assert.equal((await page.innerText('#imported')).trim(), '2');
    assert.equal((await page.innerText('#refused')).trim(), '2');
    const refused = await page.locator('#refused-rows tbody tr').allInnerTexts();
    assert.match(refused[0], /^3\s+příjmení: Povinný údaj/);
    assert.match(refused[1], /^4\s+telefon: Neplatný formát/);
    await shot(page, 'customers-import-report');
    // The imported customer is found by the name typed without diacritics.
    await page.click('#back-to-customers');
    await page.fill('input[name=q]', 'dvorakimport');
    await page.locator('#customers-table tbody tr', { hasText: 'Dvořákimport' }).waitFor({ state: 'visible' });
  });
});
