// The office moves an order along the workflow: the office user finds a fresh
// order, confirms it, and sees it confirmed; only the moves the role may make are
// offered.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, shot, startHub } from './lib/hub.mjs';

const OFFICE = 'kancelar@demo.fieldcase.cz';
const PASSWORD = 'fieldcase-demo';
const WAIT = 20_000;

describe('office: orders', { concurrency: false }, () => {
  let hub;
  let browser;
  let page;

  before(async () => {
    hub = await startHub();
    browser = await launchBrowser({ viewport: { width: 1366, height: 900 } });
    browser.context.setDefaultTimeout(WAIT);
    page = await browser.context.newPage();
  });

  after(async () => {
    await browser?.close();
    await hub?.stop();
  });

  test('the office confirms a fresh order', async () => {
    await page.goto(`${hub.url}/login?next=/office/orders`);
    await page.fill('input[name=email]', OFFICE);
    await page.fill('input[name=password]', PASSWORD);
    await Promise.all([page.waitForURL((u) => u.pathname === '/office/orders'), page.click('button[type=submit]')]);
    await page.locator('header.topbar h1', { hasText: 'Objednávky' }).waitFor({ state: 'visible' });
    await page.locator('#orders-table tbody tr').first().waitFor({ state: 'visible' });

    await page.selectOption('select[name=status]', 'intake');
    const row = page.locator('#orders-table tbody tr', { hasText: 'Přijato' }).first();
    await row.waitFor({ state: 'visible' });
    const vs = (await row.locator('td').first().innerText()).trim();
    const offered = (await row.locator('td.actions button').allInnerTexts()).map((t) => t.trim());
    assert.deepEqual(offered.sort(), ['→ Potvrzeno', '→ Zrušeno'], 'the office may confirm or cancel an intake order');
    await shot(page, 'orders');

    await row.locator('button', { hasText: '→ Potvrzeno' }).click();
    await page.locator('.alert-ok', { hasText: `Objednávka ${vs}: stav změněn na „Potvrzeno“.` }).waitFor({ state: 'visible' });
    // It leaves the intake list and shows as confirmed when searched for.
    await page.selectOption('select[name=status]', '');
    await page.fill('input[name=q]', vs);
    const confirmed = page.locator('#orders-table tbody tr', { hasText: vs });
    await confirmed.locator('.status', { hasText: 'Potvrzeno' }).waitFor({ state: 'visible' });
    const next = (await confirmed.locator('td.actions button').allInnerTexts()).map((t) => t.trim());
    assert.deepEqual(next, ['→ Zrušeno'], 'after confirming, the office may only cancel (the lab takes it on)');
    await shot(page, 'orders-confirmed');
  });

  test('the search finds a client typed in lower case and without diacritics', async () => {
    // Find a listed client whose surname starts with a Czech capital (Š, Č, Ř, Ž …):
    // SQLite's LOWER() folded only ASCII, so "šimková" missed "Šimková".
    await page.fill('input[name=q]', '');
    await page.locator('#orders-table tbody tr').first().waitFor({ state: 'visible' });
    const rows = await page.locator('#orders-table tbody tr').evaluateAll((trs) =>
      trs.map((tr) => [tr.cells[0].innerText.trim(), tr.cells[1].querySelector('.strong').innerText.trim()]));
    const [vs, name] = rows.find(([, n]) => /^[ŠČŘŽĎŤŇ]/.test(n)) ?? rows.find(([, n]) => /[^\x00-\x7f]/.test(n));
    assert.ok(name, `a client name with diacritics among ${rows.length} rows`);
    const surname = name.split(' ')[0];
    const folded = surname.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase();
    for (const typed of [surname.toLowerCase(), folded, `${folded.slice(0, 4)} ${vs.slice(0, 6)}`]) {
      await page.fill('input[name=q]', typed);
      // The order is found (other orders may match too: a frame's colour "Černá").
      await page.locator('#orders-table tbody tr', { hasText: vs }).waitFor({ state: 'visible' });
    }
    await page.fill('input[name=q]', folded);
    const hit = page.locator('#orders-table tbody tr', { hasText: vs });
    await hit.waitFor({ state: 'visible' });
    // The matched word is highlighted, and only it (the VS was matched by the query
    // before this one).
    await hit.locator('mark', { hasText: surname }).waitFor({ state: 'visible' });
    await hit.locator('td').first().locator('mark').waitFor({ state: 'detached' });
    await shot(page, 'orders-search');
    await page.fill('input[name=q]', 'zzzqqq');
    await page.locator('p.muted', { hasText: /^0 / }).waitFor({ state: 'visible' });
    assert.equal(await page.locator('#orders-table tbody tr', { hasText: vs }).count(), 0, 'a word nobody has finds nothing');
  });

  test('an open Orders page stops answering once the session ends in another tab', async () => {
    // The page from the test above is still open and working.
    await page.fill('input[name=q]', '');
    await page.locator('#orders-table tbody tr').first().waitFor({ state: 'visible' });
    const other = await browser.context.newPage();
    await other.goto(`${hub.url}/office`);
    await Promise.all([other.waitForURL((u) => u.pathname === '/login'), other.click('#logout')]);
    await other.close();
    // A search in the old tab is refused by the hub: the page shows the session ended.
    await page.fill('input[name=q]', '2026');
    await page.locator('h1', { hasText: 'Přihlášení vypršelo' }).waitFor({ state: 'visible' });
    assert.equal(await page.locator('#orders-table').count(), 0, 'no orders are listed after logout');
    await shot(page, 'orders-after-logout');
  });
});
