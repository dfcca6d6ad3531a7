// Products and the price-list import (issue 11, point 6): the office finds a
// product as the phone would (case and diacritics aside), opens its card with
// the other variants of its model, imports a CSV price list whose valid rows are
// saved (a new product, a new price kept in the price history) and whose invalid
// rows are named by line; withdraws a product. The lab reads products but has no
// import form, and the import refuses it.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, shot, signIn, startHub } from './lib/hub.mjs';

const OFFICE = 'kancelar@demo.fieldcase.cz';
const LAB = 'laborator@demo.fieldcase.cz';
const WAIT = 20_000;

describe('office: products and the price-list import', { concurrency: false }, () => {
  let hub;
  let browser;
  let page;
  let sku;

  before(async () => {
    hub = await startHub();
    browser = await launchBrowser({ viewport: { width: 1366, height: 950 } });
    browser.context.setDefaultTimeout(WAIT);
  });

  after(async () => {
    await browser?.close();
    await hub?.stop();
  });

  test('a frame is found by its code typed in lower case, and its card lists the other variants', async () => {
    page = await signIn(browser.context, hub.url, OFFICE, '/office/products');
    await page.selectOption('select[name=kind]', 'frame');
    // Wait for the narrowed list (the demo's frame codes begin with F-).
    await page.waitForFunction(() => {
      const rows = [...document.querySelectorAll('#products-table tbody tr')];
      return rows.length > 0 && rows.every((tr) => tr.dataset.sku.startsWith('F-'));
    });
    const first = page.locator('#products-table tbody tr').first();
    sku = (await first.getAttribute('data-sku')).trim();
    await page.fill('input[name=q]', `${sku.toLowerCase()}`);
    // Wait for the search's answer (one product) before clicking into it.
    await page.locator('#products-count', { hasText: /^1 produkt$/ }).waitFor({ state: 'visible' });
    await shot(page, 'products');
    // Follow the row's link (read, then opened: the list may redraw under a click).
    const href = await page.locator('#products-table tbody tr', { hasText: sku }).locator('a.product-link').getAttribute('href');
    assert.match(href, /^\/office\/products\/[0-9a-f-]{36}$/);
    await page.goto(`${hub.url}${href}`);
    await page.locator('#product-sku', { hasText: sku }).waitFor({ state: 'visible' });
    assert.ok((await page.locator('#variants tbody tr').count()) >= 1, 'a demo frame model comes in several colours');
  });

  test('a CSV price list saves its valid rows and names each invalid one', async () => {
    await page.goto(`${hub.url}/office/products`);
    const csv = [
      'kód;název;značka;model;cena s DPH;DPH',
      `${sku};Obruba z ceníku;;;4 321,00;21 %`,
      'NEW-001;Nové pouzdro;fieldcase;;199;21',
      'BAD-VAT;Špatná sazba;;;100;15',
      'NEW-001;Podruhé;;;100;21',
    ].join('\n');
    await page.setInputFiles('#import-form input[name=file]', {
      name: 'cenik.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv, 'utf8'),
    });
    await Promise.all([
      page.waitForURL((u) => /^\/catalog\/imports\/[0-9a-f-]{36}$/.test(u.pathname)),
      page.click('#import-form button[type=submit]'),
    ]);
    await page.locator('#import-done').waitFor({ state: 'visible' });
    const num = async (id) => Number((await page.locator(`#${id}`).innerText()).trim());
    assert.equal(await num('rows-read'), 4);
    assert.equal(await num('created'), 1);
    assert.equal(await num('repriced'), 1);
    assert.equal(await num('refused'), 2);
    const refused = await page.locator('#refused-rows tbody tr').allInnerTexts();
    assert.match(refused[0], /^4\s+BAD-VAT\s+Sazba DPH „15“ neplatí/);
    assert.match(refused[1], /^5\s+NEW-001\s+Kód NEW-001 už je na řádku 3/);
    await shot(page, 'products-import-report');

    // The card shows the new price and keeps the old one in its history.
    await page.goto(`${hub.url}/office/products`);
    await page.fill('input[name=q]', sku);
    await page.locator('#products-count', { hasText: /^1 produkt$/ }).waitFor({ state: 'visible' });
    const row = page.locator('#products-table tbody tr', { hasText: sku });
    await row.locator('.price', { hasText: '4 321,00 Kč' }).waitFor({ state: 'visible' });
    await page.goto(`${hub.url}${await row.locator('a.product-link').getAttribute('href')}`);
    await page.locator('#product-price', { hasText: '4 321,00 Kč' }).waitFor({ state: 'visible' });
    assert.equal(await page.locator('#price-history tbody tr').count(), 2, 'the old price stays in the history');
    // A new price on the card, and a price that is not one.
    await page.fill('#price-form input[name=price]', 'zdarma');
    await page.click('#price-form button[type=submit]');
    await page.locator('.alert-error', { hasText: 'Cena „zdarma“ není částka' }).waitFor({ state: 'visible' });
    await page.fill('#price-form input[name=price]', '5 000');
    await page.click('#price-form button[type=submit]');
    await page.locator('#product-price', { hasText: '5 000,00 Kč' }).waitFor({ state: 'visible' });
    assert.equal(await page.locator('#price-history tbody tr').count(), 3);
    // Withdrawn from sale, and back.
    await page.click('#withdraw');
    await page.locator('#product-state', { hasText: 'stažený' }).waitFor({ state: 'visible' });
    await page.click('#reinstate');
    await page.locator('#product-state', { hasText: 'v prodeji' }).waitFor({ state: 'visible' });
  });

  test('a file that is not a price list is refused with the reason', async () => {
    await page.goto(`${hub.url}/office/products`);
    await page.setInputFiles('#import-form input[name=file]', {
      name: 'fotka.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('a;b\n1;2\n', 'utf8'),
    });
    await page.click('#import-form button[type=submit]');
    await page.locator('#import-error', { hasText: 'V záhlaví chybí sloupce: sku, name, price, vat' }).waitFor({ state: 'visible' });
  });

  test('the lab reads products but may not import', async () => {
    await browser.context.clearCookies();
    const lab = await signIn(browser.context, hub.url, LAB, '/office/products');
    await lab.locator('#products-table tbody tr').first().waitFor({ state: 'visible' });
    assert.equal(await lab.locator('#import-form').count(), 0);
    // A forged upload with the lab's own session is refused on the hub.
    const csrf = await lab.evaluate(() => document.cookie);
    const res = await lab.request.post(`${hub.url}/catalog/import`, {
      multipart: { csrf: csrf || 'x', file: { name: 'a.csv', mimeType: 'text/csv', buffer: Buffer.from('sku;name;price;vat\nX;Y;1;21\n') } },
    });
    assert.equal(res.status(), 403);
    await lab.close();
  });
});
