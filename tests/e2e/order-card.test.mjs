// An order's card (issue 11, point 2): the office opens an order from the list, sees
// client, prescription, lines and the VAT breakdown, writes notes of three kinds and
// confirms it; the history shows each change with its author. A word of a private
// note finds the order for the office, and not for the lab, whose card does not show
// the note either.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, shot, signIn, startHub } from './lib/hub.mjs';

const OFFICE = 'kancelar@demo.fieldcase.cz';
const LAB = 'laborator@demo.fieldcase.cz';
const WAIT = 20_000;
// A word no demo order has: found only through the private note.
const SECRET = 'Kvěťákový';

describe('office: the order card', { concurrency: false }, () => {
  let hub;
  let browser;
  let vs;
  let cardPath;

  before(async () => {
    hub = await startHub();
    browser = await launchBrowser({ viewport: { width: 1366, height: 1000 } });
    browser.context.setDefaultTimeout(WAIT);
  });

  after(async () => {
    await browser?.close();
    await hub?.stop();
  });

  test('the office opens a card, writes notes, confirms; the history has the authors', async () => {
    const page = await signIn(browser.context, hub.url, OFFICE, '/office/orders');
    await page.selectOption('select[name=status]', 'intake');
    const row = page.locator('#orders-table tbody tr', { hasText: 'Přijato' }).first();
    await row.waitFor({ state: 'visible' });
    vs = (await row.locator('td').first().innerText()).trim();
    await Promise.all([
      page.waitForURL((u) => /^\/office\/orders\/[0-9a-f-]{36}$/.test(u.pathname)),
      row.locator('a.order-link').click(),
    ]);
    cardPath = new URL(page.url()).pathname;
    await page.locator('#order-vs', { hasText: vs }).waitFor({ state: 'visible' });
    await page.locator('#order-status', { hasText: 'Přijato' }).waitFor({ state: 'visible' });
    // Lines with the VAT breakdown and what is left to pay.
    assert.ok((await page.locator('#order-lines tbody tr').count()) >= 1, 'the lines are listed');
    assert.ok((await page.locator('#order-totals .vat-row').count()) >= 1, 'a VAT row per rate');
    assert.match(await page.locator('#order-to-pay').innerText(), /Kč$/);
    // The office may confirm or cancel an intake order, nothing else.
    const moves = (await page.locator('#status-moves button').allInnerTexts()).map((t) => t.trim()).sort();
    assert.deepEqual(moves, ['→ Potvrzeno', '→ Zrušeno']);

    for (const [kind, body] of [
      ['customer', 'Brýle budou v pátek na prodejně.'],
      ['private', `Klient chce ${SECRET} rámeček, nevolat po 18. hodině.`],
    ]) {
      await page.selectOption('#note-form select[name=kind]', kind);
      await page.fill('#note-form textarea[name=body]', body);
      await page.click('#note-form button[type=submit]');
      await page.locator('.alert-ok', { hasText: 'Poznámka uložena.' }).waitFor({ state: 'visible' });
      await page.locator(`#order-notes .note-${kind} .note-body`, { hasText: body }).waitFor({ state: 'visible' });
    }
    // An empty note is refused with a message and adds nothing.
    const notes = await page.locator('#order-notes .note').count();
    await page.fill('#note-form textarea[name=body]', '   ');
    await page.click('#note-form button[type=submit]');
    await page.locator('.alert-error', { hasText: 'Poznámka je prázdná.' }).waitFor({ state: 'visible' });
    assert.equal(await page.locator('#order-notes .note').count(), notes);

    await page.click('#status-moves button[data-to=confirmed]');
    await page.locator('.alert-ok', { hasText: `Objednávka ${vs}: stav změněn na „Potvrzeno“.` }).waitFor({ state: 'visible' });
    await page.locator('#order-status', { hasText: 'Potvrzeno' }).waitFor({ state: 'visible' });
    const status = page.locator('#order-history tr.event-office', { hasText: 'Potvrzeno' });
    await status.waitFor({ state: 'visible' });
    assert.equal((await status.locator('.event-actor').innerText()).trim(), 'Karel Kancelář');
    assert.match(await status.locator('.event-change').innerText(), /Přijato\s*→\s*Potvrzeno/);
    await page.locator('#order-history tr.event-office', { hasText: SECRET }).waitFor({ state: 'visible' });
    await shot(page, 'order-card');

    // The private word finds the order for the office.
    await page.goto(`${hub.url}/office/orders`);
    await page.locator('#orders-table tbody tr').first().waitFor({ state: 'visible' });
    await page.fill('input[name=q]', 'kvetakovy');
    await page.locator('p.muted', { hasText: /^1 / }).waitFor({ state: 'visible' });
    await page.locator('#orders-table tbody tr', { hasText: vs }).waitFor({ state: 'visible' });
    await page.close();
  });

  test('the lab neither finds the order by the private word nor reads the note', async () => {
    assert.ok(cardPath, 'the test above opened a card');
    // A browser of its own: the lab's session is not the office's.
    const lab = await launchBrowser({ viewport: { width: 1366, height: 1000 } });
    lab.context.setDefaultTimeout(WAIT);
    const page = await signIn(lab.context, hub.url, LAB, '/office/orders');
    await page.locator('#orders-table tbody tr').first().waitFor({ state: 'visible' });
    await page.fill('input[name=q]', 'kvetakovy');
    await page.locator('p.muted', { hasText: /^0 / }).waitFor({ state: 'visible' });
    // The same order is found by its number, and its card hides the private note.
    await page.fill('input[name=q]', vs);
    await page.locator('#orders-table tbody tr', { hasText: vs }).waitFor({ state: 'visible' });
    await page.goto(`${hub.url}${cardPath}`);
    await page.locator('#order-notes .note-customer').waitFor({ state: 'visible' });
    assert.equal(await page.locator('#order-notes .note-private').count(), 0);
    assert.equal(await page.locator('#order-history', { hasText: SECRET }).count(), 0);
    const kinds = await page.locator('#note-form select[name=kind] option').evaluateAll((os) => os.map((o) => o.value));
    assert.deepEqual(kinds, ['customer', 'lab'], 'the lab cannot write private notes');
    await shot(page, 'order-card-lab');
    await lab.close();
  });
});
