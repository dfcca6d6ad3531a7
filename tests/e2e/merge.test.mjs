// Issue 12, point 2: one person entered twice. The adviser creates a client on the
// phone with the phone number of a client they already have (in another format),
// saving despite the warning; the office's duplicate scan (a background job with
// progress) finds the pair; the office merges them, keeping the new record → all
// orders are on the survivor in the office, the old record says where it went, and
// the phone, after its sync, lists one client with all the orders.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { poll, shot, signIn } from './lib/hub.mjs';
import { enrolPhone, startField } from './lib/phone.mjs';

const WAIT = 30_000;
const OFFICE = 'kancelar@demo.fieldcase.cz';

describe('duplicates: scan, merge, the phone follows', { concurrency: false }, () => {
  let hub;
  let preview;
  let browser;

  let field;

  before(async () => {
    field = await startField({ wait: WAIT });
    ({ hub, browser, previews: [preview] } = field);
  });

  after(async () => {
    await field?.stop();
  });

  test('a merged pair leaves one customer with every order, on the office and the phone', async () => {
    // The phone, enrolled as P0001, opens a client who has orders.
    const page = await enrolPhone(browser, hub, preview, 'P0001', OFFICE);
    await page.click('#tab-clients');
    await page.locator('#client-list .item.client').first().waitFor({ state: 'visible' });
    await page.locator('#client-list .item.client').first().click();
    await page.locator('#orders .order').first().waitFor({ state: 'visible' });
    const orders = await page.locator('#orders .order').count();
    const name = (await page.innerText('#client-name')).trim();
    const lastName = name.split(' ').slice(1).join(' ');
    const tel = (await page.getAttribute('#call', 'href')).replace('tel:', '');
    const national = tel.replace(/\D/g, '').slice(-9);

    // The same person again, the number written another way; saved despite the warning.
    await page.click('#tab-clients');
    await page.click('#new-client');
    await page.fill('#first_name', 'Nová');
    await page.fill('#last_name', lastName);
    await page.fill('#phone', `${national.slice(0, 3)}-${national.slice(3, 6)}-${national.slice(6)}`);
    await page.locator('#duplicate-warning', { hasText: name }).waitFor();
    await page.click('#save-client');
    await page.locator('#client-name', { hasText: `Nová ${lastName}` }).waitFor();

    // The office scans the whole base; the pair shows with why.
    const office = await signIn(browser.context, hub.url, OFFICE, '/office/duplicates');
    const row = office.locator('.duplicate-pair', { hasText: 'Nová' });
    await poll(async () => {
      if ((await row.count()) > 0) return true;
      // The phone's client reaches the office with its sync; scan until it is in.
      if ((await office.locator('#scan-running').count()) === 0) {
        await office.click('#start-scan');
        await office.locator('#scan-done, #scan-running').first().waitFor();
      }
      await office.locator('#scan-done').waitFor();
      return (await row.count()) > 0;
    }, { timeoutMs: WAIT, intervalMs: 500, message: 'the pair in the duplicate queue' });
    assert.match(await row.innerText(), /stejný telefon/);
    await shot(office, 'duplicates-queue');
    // Keep the new record (the old one's orders move to it).
    const cells = row.locator('td');
    const newOnLeft = (await cells.nth(0).innerText()).includes('Nová');
    const oldHref = await cells.nth(newOnLeft ? 1 : 0).locator('a.customer-link').getAttribute('href');
    const newHref = await cells.nth(newOnLeft ? 0 : 1).locator('a.customer-link').getAttribute('href');
    await row.locator(newOnLeft ? '.keep-left' : '.keep-right').click();
    await office.locator('#merge-confirm', { hasText: `Nová ${lastName}` }).waitFor();
    await shot(office, 'duplicates-confirm');
    await office.click('#merge-yes');
    await office.locator('.alert-ok', { hasText: `přesunuto zakázek ${orders}` }).waitFor();
    // The queue is read again after the merge (the notice may come first).
    await poll(async () => (await row.count()) === 0, { timeoutMs: WAIT, message: 'the pair left the queue' });

    // The survivor's card has every order; the old record points to it.
    await office.goto(`${hub.url}${newHref}`);
    await office.locator('#customer-orders tbody tr').first().waitFor();
    assert.equal(await office.locator('#customer-orders tbody tr').count(), orders);
    await office.locator('.merged-here', { hasText: name }).waitFor();
    await shot(office, 'merge-survivor-card');
    await office.goto(`${hub.url}${oldHref}`);
    await office.locator('#customer-merged').waitFor();
    assert.equal(await office.getAttribute('#merged-into', 'href'), newHref);
    assert.equal(await office.locator('#customer-edit').count(), 0, 'a merged record is not edited');

    // The phone, after its sync: the old record is no longer listed; the new one
    // has every order.
    await page.click('#tab-clients');
    await page.fill('#search', lastName);
    const firstName = name.split(' ')[0];
    const old = page.locator('#client-list .item.client .name', { hasText: `${lastName} ${firstName}` });
    const listed = page.locator('#client-list .item.client', { hasText: `${lastName} Nová` });
    await poll(async () => (await old.count()) === 0 && (await listed.count()) === 1,
      { timeoutMs: WAIT, intervalMs: 250, message: 'the merged client gone from the phone\'s list' });
    await listed.first().click();
    await page.locator('#client-name', { hasText: `Nová ${lastName}` }).waitFor();
    await poll(async () => (await page.locator('#orders .order').count()) === orders,
      { timeoutMs: WAIT, intervalMs: 250, message: 'the orders on the survivor on the phone' });
    await shot(page, 'merge-phone-survivor');
  });
});
