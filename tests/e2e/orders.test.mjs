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

  test('the search finds an order by its client\'s phone however it is written', async () => {
    // The demo writes phones as "+420 603 123 456"; people type them every which way.
    await page.goto(`${hub.url}/office/orders`);
    const first = page.locator('#orders-table tbody tr').first();
    await first.waitFor({ state: 'visible' });
    const vs = (await first.locator('td').first().innerText()).trim();
    await Promise.all([
      page.waitForURL((u) => /^\/office\/orders\/[0-9a-f-]{36}$/.test(u.pathname)),
      first.locator('a.order-link').click(),
    ]);
    const contact = await page.locator('#order-client p').nth(1).innerText();
    const phone = /\+420 (\d{3}) (\d{3}) (\d{3})/.exec(contact);
    assert.ok(phone, `a demo phone on the card: ${contact}`);
    const [, a, b, c] = phone;
    await page.goto(`${hub.url}/office/orders`);
    await page.locator('#orders-table tbody tr').first().waitFor({ state: 'visible' });
    for (const typed of [`${a}${b}${c}`, `${a}-${b}-${c}`, `+420${a}${b}${c}`, `00420 ${a} ${b}${c}`, `(${a}) ${b} ${c}`]) {
      // Empty the list first, so the row seen next is the search's answer.
      await page.fill('input[name=q]', 'zzzqqq');
      await page.locator('#orders-table tbody tr', { hasText: vs }).waitFor({ state: 'detached' });
      await page.fill('input[name=q]', typed);
      await page.locator('#orders-table tbody tr', { hasText: vs }).waitFor({ state: 'visible' });
    }
    await shot(page, 'orders-phone-search');
  });

  test('tabs count per status, filters narrow, columns sort, pages go on and back', async () => {
    await page.goto(`${hub.url}/office/orders`);
    await page.locator('#orders-table tbody tr').first().waitFor({ state: 'visible' });
    const tabCount = async (status) =>
      Number((await page.locator(`#status-tabs .tab[data-status="${status}"] .count`).innerText()).trim());
    const all = await tabCount('');
    const closed = await tabCount('closed');
    assert.ok(all > 50 && closed > 0, `demo orders: ${all}, closed ${closed}`);
    // A tab narrows the list to its status; the counts stay.
    await page.click('#status-tabs .tab[data-status="closed"]');
    await page.locator('#status-tabs .tab.active[data-status="closed"]').waitFor({ state: 'visible' });
    await page.waitForFunction(() => [...document.querySelectorAll('#orders-table tbody .status')].every((s) => s.classList.contains('status-closed')));
    assert.equal(await tabCount(''), all);
    // Sorted by amount, largest first, then smallest first.
    const amounts = async () => (await page.locator('#orders-table tbody td.num').evaluateAll((tds) =>
      tds.map((td) => Number(td.firstChild.textContent.replace(/[^0-9,]/g, '').replace(',', '.')))));
    // The rows arrive after the header's arrow: wait until they are in order.
    const sortedRows = (descending) => page.waitForFunction((desc) => {
      const v = [...document.querySelectorAll('#orders-table tbody td.num')].map((td) =>
        Number(td.firstChild.textContent.replace(/[^0-9,]/g, '').replace(',', '.')));
      return v.length > 1 && v.every((x, i) => i === 0 || (desc ? v[i - 1] >= x : v[i - 1] <= x));
    }, descending);
    await page.click('button.sort[data-sort="Částka"]');
    await page.locator('button.sort', { hasText: 'Částka ↓' }).waitFor({ state: 'visible' });
    await sortedRows(true);
    await page.click('button.sort[data-sort="Částka"]');
    await page.locator('button.sort', { hasText: 'Částka ↑' }).waitFor({ state: 'visible' });
    await sortedRows(false);
    const got = await amounts();
    // The next page starts after the last row; back returns to the first.
    const first = await page.locator('#orders-table tbody tr td:first-child').allInnerTexts();
    await page.click('#next-page');
    await page.locator('#page-info', { hasText: 'strana 2' }).waitFor({ state: 'visible' });
    await page.waitForFunction((vs) => !document.querySelector('#orders-table tbody tr td:first-child').innerText.includes(vs), first[0]);
    const second = await page.locator('#orders-table tbody tr td:first-child').allInnerTexts();
    assert.equal(second.filter((vs) => first.includes(vs)).length, 0, 'no order on both pages');
    const next = await amounts();
    assert.ok(next[0] >= got[got.length - 1], 'the second page goes on where the first ended');
    await page.click('#prev-page');
    await page.locator('#page-info', { hasText: 'strana 1' }).waitFor({ state: 'visible' });
    await page.locator('#orders-table tbody tr td:first-child', { hasText: first[0] }).first().waitFor({ state: 'visible' });
    assert.deepEqual(await page.locator('#orders-table tbody tr td:first-child').allInnerTexts(), first);
    // Unpaid only: each row says what is left.
    await page.click('#status-tabs .tab[data-status=""]');
    await page.selectOption('select[name=paid]', 'unpaid');
    await page.waitForFunction(() => {
      const rows = [...document.querySelectorAll('#orders-table tbody tr')];
      return rows.length > 0 && rows.every((r) => r.querySelector('.unpaid'));
    });
    assert.ok((await tabCount('')) < all, 'unpaid orders are fewer than all');
    await shot(page, 'orders-filters');
    await page.selectOption('select[name=paid]', '');
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
