// Issue 13, points 3 and 4: accounting settles a receivable by hand, and issues
// an order's invoice whose PDF carries the VAT breakdown. Point 3: A payment nobody's
// (the demo's 2 500 Kč from "Optik Brno s.r.o." with an unknown VS) is split over
// two unpaid orders found by their variable symbols, the rest written off with a
// reason; the payment leaves the list, the write-off is listed, and each order's
// card shows the payment with what it gave. The Bank page shows the account's
// status and the movements with their decisions in words.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, pdfText, shot, signIn, startHub } from './lib/hub.mjs';

const ACCOUNTING = 'ucetni@demo.fieldcase.cz';
const WAIT = 20_000;

/** "1 234,50 Kč" → 1234.5 */
const czk = (text) => Number(text.replace(/[^0-9,-]/g, '').replace(',', '.'));

describe('money: receivables', { concurrency: false }, () => {
  let hub;
  let browser;
  let page;

  before(async () => {
    hub = await startHub();
    browser = await launchBrowser({ viewport: { width: 1366, height: 1000 } });
    browser.context.setDefaultTimeout(WAIT);
  });

  after(async () => {
    await browser?.close();
    await hub?.stop();
  });

  test('the bank page explains each movement', async () => {
    page = await signIn(browser.context, hub.url, ACCOUNTING, '/office/bank');
    await page.locator('#bank-accounts tr.bank-account', { hasText: 'Provozní účet (demo)' }).waitFor();
    await page.locator('#movements-table tr.decision-matched .reason', { hasText: 'spárováno podle VS' }).first().waitFor();
    await page.locator('#movements-table tr.decision-receivable .reason', { hasText: 'žádná objednávka nemá VS 123' }).waitFor();
    await page.locator('#movements-table tr.decision-ignored .reason', { hasText: 'odchozí platba' }).waitFor();
    await shot(page, 'bank');
  });

  test('a payment split over two orders, the rest written off', async () => {
    await page.goto(`${hub.url}/office/orders`);
    await page.selectOption('select[name=paid]', 'unpaid');
    await page.locator('td .unpaid').first().waitFor();
    // Two unpaid orders that each still owe at least 1 000 Kč.
    const rows = page.locator('tr', { has: page.locator('td .unpaid') });
    const picked = [];
    for (let i = 0; i < await rows.count() && picked.length < 2; i += 1) {
      const left = czk(await rows.nth(i).locator('.unpaid').innerText());
      if (left >= 1000) picked.push((await rows.nth(i).locator('a.order-link').innerText()).trim());
    }
    assert.equal(picked.length, 2, 'two unpaid orders owing 1 000 Kč or more');

    await page.goto(`${hub.url}/office/receivables`);
    const row = page.locator('#receivables-table tr.receivable', { hasText: 'Optik Brno' });
    await row.waitFor();
    assert.ok(czk(await page.innerText('#age-31 .stat-value')) >= 2500, 'the 40-day-old payment is aged 31–60');
    await row.locator('.settle-open').click();
    await page.locator('#settle-open', { hasText: '2 500,00 Kč' }).waitFor();
    for (const vs of picked) {
      await page.fill('#settle-find', vs);
      await page.locator(`#settle-found .settle-add[data-vs="${vs}"]`).click();
      await page.locator(`#settle-parts tr[data-vs="${vs}"]`).waitFor();
      await page.fill(`#settle-parts tr[data-vs="${vs}"] .part-amount`, '1000');
    }
    await page.locator('#settle-rest', { hasText: '500,00 Kč' }).waitFor();
    await page.selectOption('#settle-rest-kind', 'write_off');
    await shot(page, 'receivables-settle');
    // Without a reason the write-off is refused and nothing is written.
    await page.click('#settle-submit');
    await page.locator('.alert-error', { hasText: 'Zkontrolujte' }).waitFor();
    await page.fill('#settle-reason', 'poplatek za zahraniční platbu');
    await page.click('#settle-submit');
    await page.locator('.alert-ok', { hasText: 'Platba vyřízena' }).waitFor();
    await page.locator('#receivables-table tr.receivable', { hasText: 'Optik Brno' }).waitFor({ state: 'detached' });
    await page.locator('#returns tr.settlement-write_off', { hasText: 'poplatek za zahraniční platbu' }).waitFor();
    await shot(page, 'receivables');

    // Each order's card shows the payment and what it gave.
    for (const vs of picked) {
      await page.goto(`${hub.url}/office/orders`);
      await page.fill('input[name=q]', vs);
      const link = page.locator('a.order-link', { hasText: vs }).first();
      await link.waitFor();
      await Promise.all([page.waitForURL((u) => u.pathname.startsWith('/office/orders/')), link.click()]);
      await page.locator('#order-payments-table tr.payment', { hasText: '1 000,00 Kč' }).waitFor();
      assert.ok(czk(await page.innerText('#order-settled')) >= 1000);
    }
    await shot(page, 'order-payments');
  });

  test('an invoice issued on the order card, its PDF with the VAT breakdown', async () => {
    // The card the previous test ended on: an order with lines, partly paid.
    await page.click('#issue-invoice');
    const issued = page.locator('#order-invoices .alert-ok', { hasText: 'vystaven' });
    await issued.waitFor();
    const number = (await issued.innerText()).match(/FV\d{10}/)[0];
    const row = page.locator(`#order-invoices tr.invoice[data-number="${number}"]`);
    await row.waitFor();
    await shot(page, 'order-invoices');
    // A second invoice of the same order is refused.
    await page.click('#issue-invoice');
    await page.locator('#order-invoices .alert-error', { hasText: 'dobropisem' }).waitFor();
    const href = await row.locator('a.invoice-pdf').getAttribute('href');
    const text = await pdfText(page, `${hub.url}${href}`, 'invoice.pdf');
    for (const expected of ['Faktura – daňový doklad', number, 'Rekapitulace DPH', 'DPH 21 %', 'Datum uskutečnění zdanitelného plnění', 'IČO: 12345678', 'K úhradě']) {
      assert.ok(text.text.includes(expected), `${expected} in:\n${text.text}`);
    }
  });
});
