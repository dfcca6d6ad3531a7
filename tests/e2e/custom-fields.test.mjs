// Issue 12, point 8: custom fields. The administrator adds a choice field of
// customers on the Custom fields page (a choice field without its choices is
// refused first); the office fills it in the new-customer form, giving the
// customer to an adviser, and the card shows it; the adviser's phone shows the
// value on the client and the field in its form, and a change made there reaches
// the office's card.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { poll, shot, signIn } from './lib/hub.mjs';
import { enrolPhone, startField } from './lib/phone.mjs';

const WAIT = 30_000;
const OFFICE = 'kancelar@demo.fieldcase.cz';
const ADMIN = 'admin@demo.fieldcase.cz';

describe('custom fields from the office to the phone and back', { concurrency: false }, () => {
  let field;

  before(async () => {
    field = await startField({ previews: 1, wait: WAIT });
  });

  after(async () => {
    await field?.stop();
  });

  test('defined, filled at the office, shown and changed on the phone', async () => {
    const { hub, browser, previews } = field;
    const page = await enrolPhone(browser, hub, previews[0], 'P0001', OFFICE);

    const admin = await signIn(browser.context, hub.url, ADMIN, '/office/fields');
    await admin.fill('#field-form input[name=label_cs]', 'Věrnostní karta');
    await admin.fill('#field-form input[name=label_en]', 'Loyalty card');
    await admin.selectOption('#field-form select[name=kind]', 'choice');
    await admin.click('#field-submit');
    await admin.locator('.alert-error', { hasText: 'Zkontrolujte' }).waitFor();
    assert.equal(await admin.locator('#fields-table tr.custom-field').count(), 0, 'nothing added');
    await admin.fill('#field-form textarea[name=choices]', 'zlatá\nstříbrná');
    await admin.click('#field-submit');
    await admin.locator('.alert-ok', { hasText: 'Pole přidáno' }).waitFor();
    await admin.locator('#fields-table tr.custom-field', { hasText: 'vernostni_karta' }).waitFor();
    assert.equal(await admin.inputValue('#field-form input[name=label_cs]'), '', 'the form starts empty again');
    await shot(admin, 'custom-fields');

    // A new customer of P0001's with the field filled.
    await admin.goto(`${hub.url}/office/customers`);
    await admin.click('#add-customer summary');
    await admin.fill('#new-customer input[name=first_name]', 'Kamila');
    await admin.fill('#new-customer input[name=last_name]', 'Karetní');
    await admin.selectOption('#new-customer select[name="custom.vernostni_karta"]', 'zlatá');
    const p0001 = await admin.locator('#new-customer select[name=adviser] option', { hasText: 'P0001' }).getAttribute('value');
    await admin.selectOption('#new-customer select[name=adviser]', p0001);
    await admin.click('#new-customer button[type=submit]');
    await admin.locator('.alert-ok', { hasText: 'Zákazník uložen.' }).waitFor();
    await Promise.all([admin.waitForURL((u) => /^\/office\/customers\/[0-9a-f-]{36}$/.test(u.pathname)), admin.click('#new-customer-link')]);
    const card = admin.url();
    await admin.locator('#customer-contacts .custom-values', { hasText: 'zlatá' }).waitFor();
    assert.match(await admin.innerText('#customer-contacts .custom-values'), /Věrnostní karta\s+zlatá/);

    // The phone has the value, and the field in its form; a change there reaches the card.
    await page.click('#tab-clients');
    await page.fill('#search', 'Karetní');
    const row = page.locator('#client-list .item.client', { hasText: 'Karetní' });
    await poll(async () => (await row.count()) > 0, { timeoutMs: WAIT, intervalMs: 250, message: 'the customer on the phone' });
    await row.first().click();
    await page.locator('dd.custom-value', { hasText: 'zlatá' }).waitFor();
    await page.click('#edit-client');
    assert.equal(await page.locator('#custom-vernostni_karta').inputValue(), 'zlatá');
    await page.selectOption('#custom-vernostni_karta', 'stříbrná');
    await page.click('#save-client');
    await page.locator('dd.custom-value', { hasText: 'stříbrná' }).waitFor();
    await shot(page, 'phone-custom-field');
    await poll(async () => {
      await admin.goto(card);
      await admin.locator('#customer-name').waitFor();
      return (await admin.locator('#customer-contacts .custom-values', { hasText: 'stříbrná' }).count()) === 1;
    }, { timeoutMs: WAIT, intervalMs: 500, message: "the phone's change on the office's card" });
  });
});
