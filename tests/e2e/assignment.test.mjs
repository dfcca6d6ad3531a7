// Issue 12, point 6: assignment. The office draws an adviser's region (postal
// codes) on the Assignment page, and moves a customer by hand on the card: the
// customer leaves the old adviser's phone (which is told) and reaches the new
// adviser's phone.

import { after, before, describe, test } from 'node:test';
import { poll, shot, signIn } from './lib/hub.mjs';
import { enrolPhone, startField } from './lib/phone.mjs';

const WAIT = 30_000;
const OFFICE = 'kancelar@demo.fieldcase.cz';

describe('assignment: regions and moving a customer', { concurrency: false }, () => {
  let hub;
  let browser;
  let previews = [];
  let field;

  before(async () => {
    field = await startField({ previews: 2, wait: WAIT });
    ({ hub, browser, previews } = field);
  });

  after(async () => {
    await field?.stop();
  });

  test('a region is drawn; a customer moved on the card changes phones', async () => {
    const office = await signIn(browser.context, hub.url, OFFICE, '/office/assignment');
    // A postal code that is not one is refused.
    await office.fill('#rule-form input[name=from]', '6020');
    await office.fill('#rule-form input[name=to]', '69999');
    await office.click('#rule-form button[type=submit]');
    await office.locator('.alert-error', { hasText: '5 číslic' }).waitFor();
    await office.fill('#rule-form input[name=from]', '600 00');
    await office.click('#rule-form button[type=submit]');
    await office.locator('#rules-table tr.rule', { hasText: '60000' }).waitFor();
    await office.click('#assign-now');
    await office.locator('.alert-ok', { hasText: 'Přiřazeno zákazníků' }).waitFor();
    await shot(office, 'office-assignment');

    // P0001's first client moves to P0002.
    const from = await enrolPhone(browser, hub, previews[0], 'P0001', OFFICE);
    const to = await enrolPhone(browser, hub, previews[1], 'P0002', OFFICE);
    await from.click('#tab-clients');
    await from.locator('#client-list .item.client').first().click();
    const name = (await from.innerText('#client-name')).trim();
    await office.goto(`${hub.url}/office/customers`);
    await office.fill('input[name=q]', name);
    // The row of that customer (not the first row of the list before the search
    // answered: the list redraws when the search comes back).
    const row = name.split(' ').reduce((rows, word) => rows.filter({ hasText: word }),
      office.locator('#customers-table tbody tr')).first();
    await row.waitFor();
    await Promise.all([office.waitForURL((u) => u.pathname.startsWith('/office/customers/')),
      row.locator('a.customer-link').click()]);
    await office.click('#customer-move summary');
    const p0002 = await office.locator('#move-form select[name=adviser] option', { hasText: 'P0002' }).getAttribute('value');
    await office.selectOption('#move-form select[name=adviser]', p0002);
    await office.click('#move-form button[type=submit]');
    await office.locator('.alert-ok', { hasText: 'Zákazník přeřazen' }).waitFor();
    await office.locator('#customer-adviser', { hasText: 'P0002' }).waitFor();

    // The new adviser's phone has the customer; the old one's does not, and says why.
    // (Each phone's page is brought to the front before it is used: a page left in
    // the background may not paint what its app received.)
    await to.bringToFront();
    await to.click('#tab-clients');
    await to.fill('#search', name.split(' ').at(-1));
    await to.locator('.client .name', { hasText: name.split(' ').at(-1) }).first().waitFor();
    await from.bringToFront();
    await from.click('#tab-inbox');
    // (Up to a minute: a phone whose connection dropped dials again within 30 s. If
    // the note never comes, the failure says what the phone showed.)
    try {
      await from.locator('#inbox .item', { hasText: 'přešel k poradci' }).waitFor({ timeout: 2 * WAIT });
    } catch (err) {
      const seen = await from.innerText('body').catch((e) => `(page unreadable: ${e.message})`);
      await shot(from, 'phone-moved-customer-inbox-missing').catch(() => {});
      throw new Error(`${err.message}\nP0001's phone showed:\n${seen}\nIts log ended:\n${previews[0].log()}`);
    }
    await from.click('#tab-clients');
    await poll(async () => {
      await from.fill('#search', name);
      return (await from.locator('.client .name', { hasText: name.split(' ').reverse().join(' ') }).count()) === 0;
    }, { timeoutMs: WAIT, message: `${name} gone from P0001's phone` });
    await shot(to, 'phone-moved-customer');
  });
});
