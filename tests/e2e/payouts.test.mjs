// Issue 14, slice 3: payouts with four eyes. Two advisers have earned (ledger
// lines from the CLI) and get payout accounts on the page (replacing the demo's). Accounting writes a
// request under the limit (5 000 Kč) and one over it: the administrator's one
// approval is enough for the first; the second waits — the administrator may not
// approve twice, its author may not approve it at all — until a second
// accountant approves. The batch of both is made; its FIO file is downloaded and
// checked line by line; marked paid, the payouts are in the advisers' balances,
// and the self-employed one (an IČO failing its check refused first) has the
// self-billing invoice whose PDF says it was issued by the customer.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, shot, signIn, startHub } from './lib/hub.mjs';
import { cli } from './lib/phone.mjs';

const WAIT = 20_000;
const ACCOUNTING = 'ucetni@demo.fieldcase.cz';
const ADMIN = 'admin@demo.fieldcase.cz';
const SECOND = 'ucetni2@demo.fieldcase.cz';

describe('payouts: approvals, four eyes and the bank file', { concurrency: false }, () => {
  let hub;
  let browser;

  before(async () => {
    hub = await startHub();
    browser = await launchBrowser({ viewport: { width: 1366, height: 1000 } });
    browser.context.setDefaultTimeout(WAIT);
    process.env.FIELDCASE_NEW_PASSWORD = 'fieldcase-demo';
    await cli(hub, 'user', 'add', '--email', SECOND, '--name', 'Druhá Účetní', '--role', 'accounting');
    for (const adviser of ['P0003', 'P0004']) {
      await cli(hub, 'commission', 'add', '--adviser', adviser, '--kind', 'accrual', '--amount', '20000',
        '--note', 'Provize za listopad', '--by', ACCOUNTING);
    }
  });

  after(async () => {
    await browser?.close();
    await hub?.stop();
  });

  /** Signs `email` in on the Payouts page (a fresh session). */
  async function as(email) {
    await browser.context.clearCookies();
    return signIn(browser.context, hub.url, email, '/office/payouts');
  }

  /** The waiting request of `adviser`. */
  const request = (page, adviser) => page.locator(`#requests-table tr.payout-request[data-adviser=${adviser}]`);

  test('approve under the limit, four eyes over it, the batch file', async () => {
    let page = await as(ACCOUNTING);
    // Payout accounts; a bad one refused.
    for (const [adviser, account] of [['P0003', '19-2000145399'], ['P0004', '2000145399'], ['P0004', '12-2000145399']]) {
      await page.fill('#account-adviser', adviser);
      await page.fill('#account-number', account);
      await page.fill('#account-bank', '0800');
      await page.click('#account-save');
      if (account.startsWith('12-')) {
        await page.locator('.alert-error', { hasText: 'account' }).waitFor();
      } else {
        await page.locator('.alert-ok', { hasText: 'Účet uložen' }).waitFor();
      }
    }
    await page.locator('#accounts-table tr[data-adviser=P0003]', { hasText: '19-2000145399/0800' }).waitFor();
    await page.locator('#accounts-table tr[data-adviser=P0004]', { hasText: '2000145399/0800' }).waitFor();
    // P0003 invoices as self-employed: an IČO failing its check is refused, then saved.
    await page.fill('#account-adviser', 'P0003');
    await page.fill('#account-number', '19-2000145399');
    await page.fill('#account-bank', '0800');
    await page.check('#account-self-employed');
    await page.fill('#account-ico', '25596642');
    await page.fill('#account-street', 'Masarykova 1');
    await page.fill('#account-city', 'Brno');
    await page.fill('#account-postal', '602 00');
    await page.click('#account-save');
    await page.locator('.alert-error', { hasText: 'ico' }).waitFor();
    await page.fill('#account-ico', '25596641');
    await page.click('#account-save');
    await page.locator('.alert-ok', { hasText: 'Účet uložen' }).waitFor();
    await page.locator('#accounts-table tr[data-adviser=P0003]', { hasText: 'OSVČ, IČO 25596641' }).waitFor();

    // Requests: over the balance refused; 3 000 and 8 000 Kč written.
    for (const [adviser, amount] of [['P0003', '20001'], ['P0003', '3000'], ['P0004', '8000']]) {
      await page.fill('#request-adviser', adviser);
      await page.fill('#request-amount', amount);
      await page.click('#request-save');
      if (amount === '20001') {
        await page.locator('.alert-error', { hasText: 'převyšuje zůstatek' }).waitFor();
      } else {
        await request(page, adviser).waitFor();
      }
    }
    // Its author may not approve it.
    await request(page, 'P0003').locator('.approve-payout').click();
    await page.locator('.alert-error', { hasText: 'Vlastní žádost schválit nelze' }).waitFor();
    await shot(page, 'payouts-waiting');

    // The administrator: one approval is enough under the limit; over it, it waits.
    page = await as(ADMIN);
    await request(page, 'P0003').locator('.approve-payout').click();
    await page.locator('.alert-ok', { hasText: 'Výplata schválena' }).waitFor();
    await request(page, 'P0003').locator('td.approvals', { hasText: '1/1' }).waitFor();
    await request(page, 'P0004').locator('.approve-payout').click();
    await page.locator('.alert-ok', { hasText: 'čeká na druhé schválení' }).waitFor();
    await request(page, 'P0004').locator('td.approvals', { hasText: '1/2' }).waitFor();
    await request(page, 'P0004').locator('.approve-payout').click();
    await page.locator('.alert-error', { hasText: 'už schválili' }).waitFor();
    await request(page, 'P0004').locator('td.approvals', { hasText: '1/2' }).waitFor();

    // Not ready: the batch takes only the approved one… so the second accountant first.
    page = await as(SECOND);
    await request(page, 'P0004').locator('.approve-payout').click();
    await page.locator('.alert-ok', { hasText: 'Výplata schválena' }).waitFor();
    await request(page, 'P0004').locator('td.approvals', { hasText: '2/2' }).waitFor();

    // The batch from the demo's account, due 2026-12-07.
    await page.locator('#batch-account option').nth(1).waitFor({ state: 'attached' });
    const account = await page.locator('#batch-account option').nth(1).getAttribute('value');
    await page.selectOption('#batch-account', account);
    await page.fill('#batch-date', '2026-12-07');
    await page.click('#batch-make');
    await page.locator('.alert-ok', { hasText: 'Dávka V' }).waitFor();
    const batch = page.locator('#payout-batches .batch').first();
    const number = await batch.getAttribute('data-number');
    assert.match(number, /^V\d{4}-0001$/);
    assert.equal(await batch.locator('tr.batch-item').count(), 2);
    assert.equal(await page.locator('#requests-table tr.payout-request').count(), 0, 'nothing waits');
    await shot(page, 'payouts-batch');

    // The file, line by line.
    const href = await batch.locator('a.batch-file').getAttribute('href');
    const response = await page.request.get(`${hub.url}${href}`);
    assert.equal(response.status(), 200);
    assert.match(response.headers()['content-disposition'], new RegExp(`${number}\\.xml`));
    const lines = (await response.text()).trim().split('\n').map((l) => l.trim());
    const payment = (to, amount, adviser) => [
      '<DomesticTransaction>',
      '<accountFrom>2900000099</accountFrom>',
      '<currency>CZK</currency>',
      `<amount>${amount}</amount>`,
      `<accountTo>${to}</accountTo>`,
      '<bankCode>0800</bankCode>',
      '<ks>0558</ks>',
      `<vs>${number.slice(1, 5)}000001</vs>`,
      '<date>2026-12-07</date>',
      `<messageForRecipient>Provize ${adviser}, výplata ${number}</messageForRecipient>`,
      `<comment>fieldcase ${number} ${adviser}</comment>`,
      '<paymentType>431001</paymentType>',
      '</DomesticTransaction>',
    ];
    assert.deepEqual(lines, [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<Import xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="http://www.fio.cz/schema/importIB.xsd">',
      '<Orders>',
      ...payment('19-2000145399', '3000.00', 'P0003'),
      ...payment('2000145399', '8000.00', 'P0004'),
      '</Orders>',
      '</Import>',
    ]);

    // Paid: the payouts are in the balances.
    await batch.locator('.batch-paid').click();
    await page.locator('.alert-ok', { hasText: 'Vyplaceno 2 poradcům' }).waitFor();
    await batch.locator('.batch-state', { hasText: 'vyplaceno' }).waitFor();
    // P0003's self-billing invoice, its PDF issued by the customer.
    const invoice = page.locator('#self-billing-table tr.self-billing[data-adviser=P0003]');
    await invoice.waitFor();
    assert.match(await invoice.locator('.total').innerText(), /^3 000,00 Kč$/);
    assert.equal(await page.locator('#self-billing-table tr.self-billing[data-adviser=P0004]').count(), 0, 'P0004 is employed');
    await shot(page, 'payouts-self-billing');
    const pdf = await page.request.get(`${hub.url}${await invoice.locator('a.self-billing-pdf').getAttribute('href')}`);
    assert.equal(pdf.status(), 200);
    const dir = await mkdtemp(join(tmpdir(), 'fieldcase-self-billing-'));
    try {
      const file = join(dir, 'invoice.pdf');
      await writeFile(file, await pdf.body());
      const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
      for (const expected of ['Vystaveno odběratelem', 'IČO: 25596641', 'Masarykova 1', '3 000,00 Kč', number]) {
        assert.ok(text.includes(expected), `${expected} in ${text}`);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    await page.goto(`${hub.url}/office/commission`);
    const p3 = page.locator('#balances-table tr.balance[data-adviser=P0003]');
    await p3.waitFor();
    assert.match(await p3.innerText(), /-3 000,00 Kč/);
    assert.match(await p3.locator('td.strong').innerText(), /^17 000,00 Kč$/);
  });
});
