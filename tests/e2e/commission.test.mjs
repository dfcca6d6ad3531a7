// Issue 14, slice 2: commission accrues by itself. Accounting writes a rule
// (10 % of everything, from 2024 until the demo's own rules start today) and
// closes one of P0001's delivered, paid orders: its commission appears on the
// order card with "why this amount", on the Commission page in P0001's balance
// and ledger, and on P0001's phone under "Proč tato částka?". The order then
// goes to a complaint and is cancelled: the reversal follows, the balance is
// back where it was. Then the month's statement: on the phone (this month
// closes at the balance and opens where last month closed), in the office with
// its PDF (read back with pdftotext; a store's user is refused it), and the
// report of commission against turnover by adviser and by store.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
  let phone;

  before(async () => {
    field = await startField({ previews: 1, wait: WAIT });
  });

  after(async () => {
    await field?.stop();
  });

  test('a closed order earns, explained; cancelled after a complaint it is reversed', async () => {
    const { hub, browser, previews } = field;
    phone = await enrolPhone(browser, hub, previews[0], 'P0001', OFFICE);
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
    // The list is filtered once every row is a delivered one (the adviser's filter
    // was applied before); the link's number and address are read together, as
    // the list may still re-render.
    await poll(async () => {
      const all = await office.locator('#orders-table tbody tr').count();
      const delivered = await office.locator('#orders-table tbody tr', { hasText: 'Předáno' }).count();
      return all > 0 && all === delivered;
    }, { timeoutMs: WAIT, message: "P0001's delivered orders listed" });
    const [vs, href] = await office.locator('#orders-table tbody tr a.order-link').first()
      .evaluate((a) => [a.textContent.trim(), a.getAttribute('href')]);
    await office.goto(`${hub.url}${href}`);
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

  test('the month\'s statement on the phone and in the office, its PDF, and the report', async () => {
    const { hub, browser } = field;
    await phone.click('#tab-commission');
    const balance = haler(await phone.locator('#balance').innerText());
    await phone.locator('#statement').waitFor();
    assert.equal(haler(await phone.locator('#statement-closing').innerText()), balance, 'this month closes at the balance');
    const month = await phone.locator('#statement-month').inputValue();
    assert.match(month, /^\d{4}-\d{2}$/);
    const opening = haler(await phone.locator('#statement-opening').innerText());
    const parts = ['accruals', 'reversals', 'payouts', 'adjustments'];
    let sum = opening;
    for (const p of parts) sum += haler(await phone.locator(`#statement-${p}`).innerText());
    assert.equal(sum, balance, 'opening + the month\'s lines = closing');
    await shot(phone, 'phone-commission-statement');

    // The office: the same numbers, and the PDF.
    await browser.context.clearCookies();
    const office = await signIn(browser.context, hub.url, ACCOUNTING, '/office/commission');
    const row = office.locator('#balances-table tr.balance[data-adviser=P0001]');
    await row.waitFor();
    await row.locator('.show-ledger').click();
    await office.locator('#adviser-statement').waitFor();
    assert.equal(await office.locator('#adviser-statement #statement-month').inputValue(), month);
    assert.equal(haler(await office.locator('#statement-table .closing').innerText()), balance);
    assert.equal(haler(await office.locator('#statement-table .opening').innerText()), opening);
    const accruals = haler(await office.locator('#statement-table .accruals').innerText());
    const reversals = haler(await office.locator('#statement-table .reversals').innerText());
    const adjustments = haler(await office.locator('#statement-table .adjustments').innerText());
    await shot(office, 'office-commission-statement');
    const href = await office.locator('#statement-pdf').getAttribute('href');
    assert.equal(href, `/office/commission/statements/P0001/${month}`);
    const res = await office.request.get(`${hub.url}${href}`);
    assert.equal(res.status(), 200);
    assert.equal(res.headers()['content-type'], 'application/pdf');
    const dir = await mkdtemp(join(tmpdir(), 'fieldcase-statement-'));
    try {
      const file = join(dir, 'statement.pdf');
      await writeFile(file, await res.body());
      const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
      assert.ok(text.includes('Výpis provizí'), text);
      assert.ok(text.includes('P0001'), text);
      const closing = await office.locator('#statement-table .closing').innerText();
      assert.ok(text.includes(`Konečný zůstatek: ${closing.trim()}`), text);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const bad = await office.request.get(`${hub.url}/office/commission/statements/P0001/2026-13`);
    assert.equal(bad.status(), 400);

    // The report: P0001's commission this month is what the statement books.
    await office.goto(`${hub.url}/office/commission-report`);
    const mine = office.locator(`#report-table tr.report-row[data-month="${month}"][data-code=P0001]`);
    await mine.waitFor();
    assert.equal(haler(await mine.locator('.commission').innerText()), accruals + reversals + adjustments);
    assert.ok(haler(await office.locator('#report-table tfoot .turnover').innerText()) > 0,
      'the demo\'s orders of the last six months make turnover');
    await shot(office, 'office-commission-report');
    await office.selectOption('#report-form select[name=by]', 'store');
    await office.locator('#report-table thead th', { hasText: 'Prodejna' }).waitFor();
    assert.ok(await office.locator('#report-table tr.report-row').count() > 0);
    await office.fill('#report-form input[name=from]', '2026-12');
    await office.fill('#report-form input[name=to]', '2026-01');
    await office.locator('#report-span-error').waitFor();

    // A store's user may not read statements.
    await browser.context.clearCookies();
    const store = await signIn(browser.context, hub.url, 'prodejna@demo.fieldcase.cz', '/office');
    const refused = await store.request.get(`${hub.url}${href}`, { maxRedirects: 0 });
    assert.equal(refused.status(), 403);
  });
});
