// Issue 12, point 7: GDPR erasure. An adviser's phone enters a client; the
// administrator erases her on the customer card (a wrong confirmation is refused
// first); the card says so, and the phone, told its workspace was rewritten
// without its history, moves to the new one by itself: the client's name is gone
// from it, and what the adviser saves next still reaches the office.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { poll, shot, signIn } from './lib/hub.mjs';
import { enrolPhone, startField } from './lib/phone.mjs';

const WAIT = 30_000;
const OFFICE = 'kancelar@demo.fieldcase.cz';
const ADMIN = 'admin@demo.fieldcase.cz';

describe('GDPR erasure from the card to the phone', { concurrency: false }, () => {
  let field;

  before(async () => {
    field = await startField({ previews: 1, wait: WAIT });
  });

  after(async () => {
    await field?.stop();
  });

  /** Opens the office's card of the customer found by `q`. */
  async function openCard(office, hub, q, text) {
    await office.goto(`${hub.url}/office/customers`);
    const row = office.locator('#customers-table tbody tr', { hasText: text });
    await poll(async () => {
      await office.fill('input[name=q]', q);
      return (await row.count()) > 0;
    }, { timeoutMs: WAIT, intervalMs: 500, message: `${text} in the office's list` });
    await Promise.all([office.waitForURL((u) => u.pathname.startsWith('/office/customers/')),
      row.first().locator('a.customer-link').click()]);
  }

  test('erased on the card, gone from the phone, which keeps working', async () => {
    const { hub, browser, previews } = field;
    const page = await enrolPhone(browser, hub, previews[0], 'P0001', OFFICE);
    await page.click('#tab-clients');
    await page.click('#new-client');
    await page.fill('#first_name', 'Zdeňka');
    await page.fill('#last_name', 'Vymazalová');
    await page.fill('#phone', '603 111 222');
    await page.click('#save-client');
    await page.locator('#client-name', { hasText: 'Zdeňka Vymazalová' }).waitFor();

    const office = await signIn(browser.context, hub.url, ADMIN, '/office/customers');
    await openCard(office, hub, 'vymazalova', 'Vymazalová');
    await office.click('#customer-erase summary');
    await office.fill('#erase-reason', 'žádost zákazníka ze 4. 12. 2026');
    await office.fill('#erase-confirm', 'ano');
    await office.click('#erase-submit');
    await office.locator('.alert-error', { hasText: 'VYMAZAT' }).waitFor();
    assert.match(await office.innerText('#customer-name'), /Vymazalová/, 'nothing erased yet');
    await office.fill('#erase-confirm', 'VYMAZAT');
    await office.click('#erase-submit');
    await office.locator('.alert-ok', { hasText: 'Osobní údaje vymazány' }).waitFor();
    await office.locator('#customer-erased').waitFor();
    assert.doesNotMatch(await office.innerText('#customer-card'), /Vymazalová|603/);
    await shot(office, 'customer-erased');

    // The phone moves to the rewritten workspace by itself: her name is gone.
    await page.click('#tab-clients');
    await poll(async () => {
      await page.fill('#search', 'Vymaz');
      return (await page.locator('#client-list .item.client', { hasText: 'Vymazalová' }).count()) === 0;
    }, { timeoutMs: WAIT, intervalMs: 500, message: 'the erased name gone from the phone' });
    // On the new workspace the phone is online again (the status bar follows the
    // replaced device).
    await page.locator('#status .state', { hasText: 'Online' }).waitFor();
    await shot(page, 'phone-after-erasure');

    // And it keeps syncing: a client saved now reaches the office.
    await page.click('#new-client');
    await page.fill('#first_name', 'Petr');
    await page.fill('#last_name', 'Povýmazový');
    await page.click('#save-client');
    await page.locator('#client-name', { hasText: 'Petr Povýmazový' }).waitFor();
    await openCard(office, hub, 'povymazovy', 'Povýmazový');
  });
});
