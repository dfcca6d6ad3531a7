// Issue 13, point 5: a store works its till for a day. The demo's store user
// opens the shift with a 2 000 Kč float, sells goods from the shop's stock in
// cash and by card, refunds one receipt, takes cash out with a voucher, and
// closes the shift with 10 Kč less than the drawer should hold: the difference
// is shown and recorded, and the Z report prints (read back with pdftotext)
// with the sales, the refund, the VAT breakdown and the difference. The receipt
// prints on 80-mm paper.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, pdfText, shot, signIn, startHub } from './lib/hub.mjs';

const STORE = 'prodejna@demo.fieldcase.cz';
const WAIT = 20_000;

/** "1 234,50 Kč" → 1234.5 */
const czk = (text) => Number(text.replace(/[^0-9,-]/g, '').replace(',', '.'));

describe('money: a store till for a day', { concurrency: false }, () => {
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

  test('open, sell, refund, close with a difference, print the Z report', async () => {
    page = await signIn(browser.context, hub.url, STORE, '/office/till');
    await page.locator('#till-closed').waitFor();
    await page.fill('#till-float', '2000');
    await page.click('#till-open');
    await page.locator('.alert-ok', { hasText: 'Směna otevřena' }).waitFor();
    await page.locator('#till-expected', { hasText: '2 000,00 Kč' }).waitFor();

    // Two goods from the shop's stock, paid in cash.
    const options = page.locator('#till-goods option:not([value=""])');
    await options.first().waitFor({ state: 'attached' });
    assert.ok(await options.count() >= 2, 'the shop has goods in stock');
    const skus = [await options.nth(0).getAttribute('value'), await options.nth(1).getAttribute('value')];
    for (const sku of skus) {
      await page.selectOption('#till-goods', sku);
      await page.click('#till-add');
    }
    await page.locator('#till-cart li').nth(1).waitFor();
    const first = czk(await page.innerText('#till-total'));
    assert.ok(first > 0);
    await shot(page, 'till-sale');
    await page.click('#till-sell');
    await page.locator('.alert-ok', { hasText: 'Prodáno' }).waitFor();
    const cashRow = page.locator('#till-entries tr.kind-sale').first();
    await cashRow.waitFor();

    // One more, by card.
    await page.selectOption('#till-goods', skus[0]);
    await page.click('#till-add');
    const second = czk(await page.innerText('#till-total'));
    await page.selectOption('#till-pay', 'card');
    await page.click('#till-sell');
    await page.locator('#till-entries tr.kind-sale').nth(1).waitFor();

    // The cash receipt is refunded whole, in cash.
    // Listed newest first: the last sale is the first one, paid in cash.
    const number = await page.locator('#till-entries tr.kind-sale').last().getAttribute('data-number');
    const row = page.locator(`#till-entries tr.kind-sale[data-number="${number}"]`);
    await row.locator('.refund summary').click();
    await row.locator('.refund-submit').click();
    await page.locator('.alert-error', { hasText: 'Zkontrolujte' }).waitFor();
    await row.locator('.refund-reason').fill('zákazník si to rozmyslel');
    await row.locator('.refund-submit').click();
    await page.locator('.alert-ok', { hasText: 'Vráceno' }).waitFor();
    await page.locator('#till-entries tr.kind-refund').waitFor();

    // 500 Kč out to the bank.
    await page.selectOption('#voucher-kind', 'out');
    await page.fill('#voucher-amount', '500');
    await page.fill('#voucher-reason', 'odvod do banky');
    await page.click('#voucher-save');
    await page.locator('#till-entries tr.kind-cash_out').waitFor();

    // The cash receipt was refunded: the drawer holds the float less the voucher.
    const expected = 2000 - 500;
    assert.equal(czk(await page.innerText('#till-expected')), expected);
    await shot(page, 'till-shift');

    // The receipt prints on 80-mm paper.
    const href = await page.locator(`#till-entries tr.kind-sale[data-number="${number}"] a.receipt-pdf`).getAttribute('href');
    const slip = await pdfText(page, `${hub.url}${href}`, 'till-receipt.pdf');
    assert.match(slip.info, /Page size:\s+226\.8 x/);
    for (const text of ['Účtenka', number, 'Celkem', 'Hotově', 'IČO 12345678']) {
      assert.ok(slip.text.includes(text), `the receipt says ${text}:\n${slip.text}`);
    }

    // Closing with 10 Kč short.
    await page.fill('#till-counted', String(expected - 10));
    await page.fill('#till-close-note', 'chybí desetikoruna');
    await page.click('#till-close-submit');
    await page.locator('.alert-ok', { hasText: 'Směna uzavřena; rozdíl -10,00 Kč' }).waitFor();
    await page.locator('#till-closed').waitFor();
    const shift = page.locator('#till-shifts tr.shift').first();
    assert.equal(czk(await shift.locator('.shift-difference').innerText()), -10);
    await shot(page, 'till-closed');

    const z = await pdfText(page, `${hub.url}${await shift.locator('a.z-report').getAttribute('href')}`, 'z-report.pdf');
    for (const text of ['Denní uzávěrka (Z)', 'Prodeje (2)', 'Vrácení (1)', 'Výběry (1)', 'Sazba DPH', 'Hotovost má být', 'Hotovost napočítána', 'Rozdíl', 'chybí desetikoruna']) {
      assert.ok(z.text.includes(text), `the Z report says ${text}:\n${z.text}`);
    }
    assert.match(z.text, /Tržba celkem\s+([\d\s ]+,\d\d) Kč/);
    const turnover = czk(z.text.match(/Tržba celkem\s+([\d\s ]+,\d\d Kč)/)[1]);
    assert.equal(turnover, second, 'the card sale stays; the cash sale was refunded');
    assert.ok(first > 0);
  });
});
