// Issue 14, slice 2: commission accrues by itself. Accounting writes a rule
// (10 % of everything, from 2024 until the demo's own rules start today) and
// closes one of P0001's delivered, paid orders: its commission appears on the
// order card with "why this amount", on the Commission page in P0001's balance
// and ledger, and on P0001's phone under "Proč tato částka?". The order then
// goes to a complaint and is cancelled: the reversal follows, the balance is
// back where it was.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { poll, shot, signIn } from './lib/hub.mjs';
import { enrolPhone, startField } from './lib/phone.mjs';

const WAIT = 30_000;
const OFFICE = 'kancelar@demo.fieldcase.cz';
const ACCOUNTING = 'ucetni@demo.fieldcase.cz';

/** "1 234,50 Kč" → 123450 haléře */
const haler = (text) => Math.round(Number(text.replace(/[^0-9,-]/g, '').replace(',', '.')) * 100);

/** Reloads `page` until `locator` shows (the accrual runs in the background). */
async function reloadUntil(page, locator, timeoutMs = WAIT) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      await locator.first().waitFor({ timeout: 2_000 });
      return;
    } catch (e) {
      if (Date.now() > end) throw e;
      await page.reload();
    }
  }
}

describe('commission: accrual on the card, the page and the phone', { concurrency: false }, () => {
  let field;

  before(async () => {
    field = await startField({ previews: 1, wait: WAIT });
  });

  after(async () => {
    await field?.stop();
  });

  test('a closed order earns, explained; cancelled after a complaint it is reversed', async () => {
    const { hub, browser, previews } = field;
    const phone = await enrolPhone(browser, hub, previews[0], 'P0001', OFFICE);
    await phone.click('#tab-commission');
    const start = haler(await phone.locator('#balance').innerText());

    // Accounting's rule, up to the day the demo's rules start.
    const today = new Date().toISOString().slice(0, 10);
    const office = await signIn(browser.context, hub.url, ACCOUNTING, '/office/commission-rules');
    await office.locator('#rules-table tr.rule').first().waitFor();
    await office.fill('#rule-rate', '10');
    await office.fill('#rule-from', '2024-01-01');
    await office.fill('#rule-to', today);
    await office.click('#rule-save');
    await office.locator('.alert-ok', { hasText: 'Pravidlo uloženo' }).waitFor();

    // One of P0001's delivered orders, closed by accounting.
    await office.goto(`${hub.url}/office/orders`);
    const p0001 = await office.locator('select[name=adviser] option', { hasText: 'P0001' }).getAttribute('value');
    await office.selectOption('select[name=adviser]', p0001);
    await office.selectOption('select[name=status]', 'delivered');
    const row = office.locator('#orders-table tbody tr', { hasText: 'Předáno' }).first();
    await row.waitFor();
    const vs = (await row.locator('a.order-link').innerText()).trim();
    await Promise.all([
      office.waitForURL((u) => /^\/office\/orders\/[0-9a-f-]{36}$/.test(u.pathname)),
      row.locator('a.order-link').click(),
    ]);
    await office.locator('#order-vs', { hasText: vs }).waitFor();
    const cardPath = new URL(office.url()).pathname;
    await office.locator('#order-commission').waitFor();
    assert.equal(await office.locator('#order-commission-lines').count(), 0, 'nothing before');
    await office.click('#status-moves button[data-to=closed]');
    await office.locator('#order-status', { hasText: 'Uzavřeno' }).waitFor();

    // The card: the accrual with its explanation.
    const accrual = office.locator('#order-commission-lines tr.commission-accrual');
    await reloadUntil(office, accrual);
    const why = await accrual.first().locator('td.why').innerText();
    assert.match(why, new RegExp(`^Zakázka VS ${vs}, úroveň [^:]+: 10,00 % ze základu .* Kč \\(řádky .*; pravidlo v1\\) = .* Kč$`));
    const earned = haler(await accrual.first().locator('td.num').innerText());
    assert.ok(earned > 0);
    await shot(office, 'commission-order-card');

    // The Commission page: P0001's balance and ledger.
    await office.goto(`${hub.url}/office/commission`);
    const balance = office.locator('#balances-table tr.balance[data-adviser=P0001]');
    await balance.waitFor();
    assert.equal(haler(await balance.locator('td.strong').innerText()), start + earned);
    await balance.locator('.show-ledger').click();
    await office.locator('#ledger-table tr.ledger-accrual td.why', { hasText: `Zakázka VS ${vs}` }).waitFor();
    await shot(office, 'commission-page');

    // The phone: the line and why.
    const line = phone.locator('#journal .item', { hasText: `VS ${vs}` }).first();
    await line.waitFor({ timeout: WAIT });
    await line.locator('details.why summary', { hasText: 'Proč tato částka?' }).click();
    assert.equal(await line.locator('.why-text').innerText(), why);
    assert.equal(haler(await phone.locator('#balance').innerText()), start + earned);
    await shot(phone, 'phone-commission-why');

    // A complaint, then cancelled: reversed.
    await browser.context.clearCookies();
    const desk = await signIn(browser.context, hub.url, OFFICE, '/office/orders');
    await desk.goto(`${hub.url}${cardPath}`);
    await desk.locator('#order-vs', { hasText: vs }).waitFor();
    await desk.click('#status-moves button[data-to=complaint]');
    await desk.locator('#order-status', { hasText: 'Reklamace' }).waitFor();
    await desk.click('#status-moves button[data-to=cancelled]');
    await desk.locator('#order-status', { hasText: 'Zrušeno' }).waitFor();
    await reloadUntil(desk, desk.locator('#order-commission-lines tr.commission-reversal'));
    const back = await desk.locator('#order-commission-lines tr.commission-reversal td.why').innerText();
    assert.match(back, /^Storno \(zakázka zrušena\): Zakázka VS/);
    await phone.locator('#journal .item', { hasText: 'Storno' }).first().waitFor({ timeout: WAIT });
    await poll(async () => haler(await phone.locator('#balance').innerText()) === start, {
      timeoutMs: WAIT,
      message: 'the balance back where it was',
    });
  });
});
