// Warehouse stock in the office (issue 11, point 6): the Stock page lists the central
// warehouse's levels and records a receipt (stock-taking below zero is refused); an
// adviser's empty sample case says so; an order whose frame neither the warehouse nor the case can cover
// is flagged in the list and on its card, which says where its stock comes from.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, shot, signIn, startHub } from './lib/hub.mjs';

const OFFICE = 'kancelar@demo.fieldcase.cz';
const WAIT = 20_000;

describe('office: stock', { concurrency: false }, () => {
  let hub;
  let browser;
  let page;

  before(async () => {
    hub = await startHub();
    browser = await launchBrowser({ viewport: { width: 1366, height: 950 } });
    browser.context.setDefaultTimeout(WAIT);
  });

  after(async () => {
    await browser?.close();
    await hub?.stop();
  });

  test('the central warehouse takes a receipt', async () => {
    page = await signIn(browser.context, hub.url, OFFICE, '/office/stock');
    const first = page.locator('#levels-table tbody tr').first();
    await first.waitFor({ state: 'visible' });
    const sku = await first.getAttribute('data-sku');
    const onHand = Number(await first.locator('.on-hand').innerText());
    await page.fill('#stock-form input[name=sku]', sku);
    await page.fill('#stock-form input[name=quantity]', '5');
    await page.fill('#stock-form input[name=note]', 'dodávka');
    await page.click('#stock-form button[type=submit]');
    await page.locator('.alert-ok', { hasText: `Zapsáno: ${sku} +5.` }).waitFor({ state: 'visible' });
    await page.locator(`#levels-table tr[data-sku="${sku}"] .on-hand`, { hasText: String(onHand + 5) }).waitFor({ state: 'visible' });
    // Stock-taking cannot go below zero: refused, nothing changes.
    await page.fill('#stock-form input[name=sku]', sku);
    await page.selectOption('#stock-form select[name=kind]', 'adjust');
    await page.fill('#stock-form input[name=quantity]', String(-(onHand + 6)));
    await page.click('#stock-form button[type=submit]');
    await page.locator('.alert-error', { hasText: 'nic se nezměnilo' }).waitFor({ state: 'visible' });
    assert.equal(Number(await page.locator(`#levels-table tr[data-sku="${sku}"] .on-hand`).innerText()), onHand + 5);
    await shot(page, 'stock');
  });

  test("an adviser's sample case: empty until the phone records one", async () => {
    // The demo's cases live on phones (mobile.test.mjs fills one and checks it here).
    const first = await page.locator('select[name=adviser] option').nth(1).getAttribute('value');
    await page.selectOption('select[name=adviser]', first);
    await page.locator('#case-empty').waitFor({ state: 'visible' });
  });

  test('an order short of stock is flagged in the list and on its card', async () => {
    await page.goto(`${hub.url}/office/orders`);
    await page.locator('#orders-table tbody tr').first().waitFor({ state: 'visible' });
    let flagged = page.locator('#orders-table tbody tr', { has: page.locator('.stock-short') }).first();
    for (let i = 0; i < 10 && (await flagged.count()) === 0; i++) {
      await page.click('#next-page');
      await page.locator('#page-info', { hasText: `strana ${i + 2}` }).waitFor({ state: 'visible' });
      flagged = page.locator('#orders-table tbody tr', { has: page.locator('.stock-short') }).first();
    }
    assert.ok((await flagged.count()) > 0, 'the demo has orders short of stock');
    const href = await flagged.locator('a.order-link').getAttribute('href');
    await page.goto(`${hub.url}${href}`);
    await page.locator('#order-stock #stock-short', { hasText: 'Chybí skladem' }).waitFor({ state: 'visible' });
    assert.match(await page.locator('#stock-source').innerText(), /skladu|kufru/);
    await shot(page, 'order-stock-short');
  });
});
