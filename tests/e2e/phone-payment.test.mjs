// Issue 13, point 7: a payment reaches the adviser's phone. The adviser's order
// shows unpaid (or partly paid) with a QR code for what is left; accounting gives
// it part of a payment nobody claimed (the demo's 2 500 Kč from "Optik Brno
// s.r.o."); the phone shows what came by transfer, the new state, and the QR code
// now asks for the new amount left.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { poll, shot, signIn } from './lib/hub.mjs';
import { enrolPhone, startField } from './lib/phone.mjs';

const WAIT = 30_000;
const OFFICE = 'kancelar@demo.fieldcase.cz';
const ACCOUNTING = 'ucetni@demo.fieldcase.cz';

/** "1 234,50 Kč" → 123450 haléře */
const haler = (text) => Math.round(Number(text.replace(/[^0-9,-]/g, '').replace(',', '.')) * 100);
/** The AM of a SPAYD text in haléře. */
const am = (spayd) => Math.round(Number(spayd.match(/\*AM:([0-9.]+)/)[1]) * 100);

describe('money: a payment on the adviser\'s phone', { concurrency: false }, () => {
  let field;

  before(async () => {
    field = await startField({ previews: 1, wait: WAIT });
  });

  after(async () => {
    await field?.stop();
  });

  test('settled in the office, shown on the phone with the QR for what is left', async () => {
    const { hub, browser, previews } = field;
    const phone = await enrolPhone(browser, hub, previews[0], 'P0001', OFFICE);
    const office = await signIn(browser.context, hub.url, ACCOUNTING, '/office/orders');

    // One of P0001's orders that still owes something.
    const option = office.locator('select[name=adviser] option', { hasText: 'P0001' });
    const p0001 = await option.getAttribute('value');
    const adviser = (await option.innerText()).replace('(P0001)', '').trim();
    await office.selectOption('select[name=adviser]', p0001);
    await office.selectOption('select[name=paid]', 'unpaid');
    // The list redraws when the filter answers: wait until every row is P0001's
    // and unpaid (the first row before that may be anyone's).
    const rows = office.locator('#orders-table tbody tr');
    await poll(async () => {
      const all = await rows.count();
      const theirs = await rows.filter({ hasText: adviser }).filter({ has: office.locator('td .unpaid') }).count();
      return all > 0 && all === theirs;
    }, { timeoutMs: WAIT, message: "P0001's unpaid orders listed" });
    const row = rows.first();
    const vs = (await row.locator('a.order-link').innerText()).trim();
    const client = (await row.locator('td div.strong').first().innerText()).trim();
    const left = haler(await row.locator('.unpaid').innerText());

    // The phone shows it owing, the QR code for what is left.
    await phone.click('#tab-clients');
    await phone.fill('#search', client.split(' ')[0]);
    await phone.locator('#client-list .item.client', { hasText: client }).first().click();
    await phone.locator('#orders .item.order', { hasText: `VS ${vs}` }).click();
    await phone.locator('#detail-vs', { hasText: vs }).waitFor();
    assert.match(await phone.innerText('#paid-state'), /nezaplaceno|zaplaceno částečně/);
    assert.equal(am(await phone.getAttribute('#qr', 'data-spayd')), left);

    // Accounting gives it part of the payment nobody claimed.
    const give = Math.min(left, 250000);
    await office.goto(`${hub.url}/office/receivables`);
    await office.locator('#receivables-table tr.receivable', { hasText: 'Optik Brno' }).locator('.settle-open').click();
    await office.fill('#settle-find', vs);
    await office.locator(`#settle-found .settle-add[data-vs="${vs}"]`).click();
    await office.fill(`#settle-parts tr[data-vs="${vs}"] .part-amount`, (give / 100).toFixed(2).replace('.', ','));
    await office.click('#settle-submit');
    await office.locator('.alert-ok', { hasText: 'Platba vyřízena' }).waitFor();

    // The phone follows: paid by transfer, the state, the QR for the new amount left.
    await phone.locator('#order-settled').waitFor({ timeout: WAIT });
    assert.equal(haler(await phone.innerText('#order-settled')), give);
    if (give === left) {
      await phone.locator('#paid-state', { hasText: /^zaplaceno$/ }).waitFor();
      assert.equal(await phone.locator('#qr').count(), 0, 'nothing left: no QR code');
    } else {
      await phone.locator('#paid-state', { hasText: 'zaplaceno částečně' }).waitFor();
      assert.equal(am(await phone.getAttribute('#qr', 'data-spayd')), left - give);
    }
    assert.equal(haler(await phone.innerText('#to-pay')), left - give);
    await shot(phone, 'phone-order-paid');
  });
});
