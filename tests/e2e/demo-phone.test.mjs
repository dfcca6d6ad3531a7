// A demo whose phones have work: the phone preview enrolled as the demo adviser
// P0001 lists that adviser's seeded clients and orders — the same clients the
// office's Advisers page counts for P0001.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, poll, shot, signIn } from './lib/hub.mjs';
import { enrolPhone, firstOrderOnPhone, moveOrderTo, openOrderCard, startField } from './lib/phone.mjs';

const WAIT = 30_000;
const OFFICE = 'kancelar@demo.fieldcase.cz';
const ADMIN = 'admin@demo.fieldcase.cz';
const PASSWORD = 'fieldcase-demo';

describe('demo: an enrolled phone has its adviser\'s work', { concurrency: false }, () => {
  let hub;
  let preview;
  let browser;
  let page;

  let field;

  before(async () => {
    field = await startField({ wait: WAIT });
    ({ hub, browser, previews: [preview] } = field);
  });

  after(async () => {
    await field?.stop();
  });

  test('P0001 sees the seeded clients the office counts for P0001', async () => {
    // The office's count first.
    const office = await browser.context.newPage();
    await office.goto(`${hub.url}/login?next=/office/advisers`);
    await office.fill('input[name=email]', OFFICE);
    await office.fill('input[name=password]', PASSWORD);
    await Promise.all([office.waitForURL((u) => u.pathname === '/office/advisers'), office.click('button[type=submit]')]);
    const row = office.locator('#advisers-table tbody tr', { hasText: 'P0001' });
    await row.waitFor({ state: 'visible' });
    const counted = Number((await row.locator('td.clients').innerText()).trim());
    assert.ok(counted > 0, `the demo gives P0001 clients (office counts ${counted})`);
    await shot(office, 'demo-office-advisers');

    // The phone enrols as P0001 and finds them.
    page = await enrolPhone(browser, hub, preview, 'P0001', OFFICE);
    await page.click('#tab-clients');
    await page.locator('#client-list .item.client').first().waitFor({ state: 'visible' });
    const meta = page.locator('.row .meta', { hasText: '/' });
    await meta.filter({ hasText: new RegExp(`/ ${counted}$`) }).waitFor({ state: 'visible' });
    await shot(page, 'demo-phone-clients');
    // A seeded client's detail shows their prescription and orders.
    await page.locator('#client-list .item.client').first().click();
    await page.locator('#prescriptions .item').first().waitFor({ state: 'visible' });
    await shot(page, 'demo-phone-client');
  });

  test('the adviser hands an order over offline; the office card shows it with the adviser as author', async () => {
    assert.ok(page, 'the phone enrolled in the test above');
    // An order of P0001's that is not cancelled.
    const vs = await firstOrderOnPhone(page);

    // The office (admin) brings it to "ready for pickup" at a store.
    // A browser of its own: this one has the office user's session.
    const adminBrowser = await launchBrowser({ viewport: { width: 1366, height: 1000 } });
    adminBrowser.context.setDefaultTimeout(WAIT);
    const office = await signIn(adminBrowser.context, hub.url, ADMIN, '/office/orders');
    const adviser = await openOrderCard(office, vs);
    await moveOrderTo(office, 'ready_for_pickup');
    // The office enters tracking and issues the public link; both reach the phone.
    await office.selectOption('#delivery-form select[name=carrier]', 'ppl');
    await office.fill('#delivery-form input[name=tracking]', '400 1234 5678');
    await office.click('#delivery-form button[type=submit]');
    await office.locator('#tracking-link').waitFor({ state: 'visible' });
    await office.click('#issue-link');
    const publicUrl = (await office.locator('#public-link').innerText()).trim();

    // The phone learns it, goes offline, and the adviser hands the glasses over.
    await page.click('#tab-clients');
    await page.locator('#client-list .item.client').first().click();
    await page.locator('#orders .order', { hasText: vs }).filter({ hasText: 'Připraveno k vyzvednutí' }).waitFor({ state: 'visible' });
    await page.click(`#orders .order:has-text("${vs}")`);
    const tracking = page.locator('#order-tracking');
    await tracking.waitFor({ state: 'visible' });
    assert.equal(await tracking.getAttribute('href'), 'https://www.ppl.cz/vyhledat-zasilku?shipmentId=40012345678');
    assert.equal(await page.locator('#order-public-link').getAttribute('href'), publicUrl);
    await page.locator('#order-timeline li', { hasText: 'Připraveno k vyzvednutí' }).waitFor({ state: 'visible' });
    await page.click('#share-link');
    await page.locator('.meta', { hasText: 'Odkaz je připravený ke sdílení' }).waitFor({ state: 'visible' });
    await shot(page, 'demo-phone-order-info');
    await page.click('#toggle-online');
    await page.locator('#status .state', { hasText: 'Offline' }).waitFor();
    const moves = (await page.locator('#status-moves button').allInnerTexts()).map((t) => t.trim());
    assert.deepEqual(moves, ['Předáno klientovi'], 'the adviser may only hand it over');
    await page.click('#move-delivered');
    await page.locator('#order-status', { hasText: 'Předáno' }).waitFor();
    await shot(page, 'demo-phone-handed-over');
    await page.click('#toggle-online');
    await page.locator('#status .state', { hasText: 'Online' }).waitFor();

    // After sync the office card shows it, from the phone, by the adviser.
    const handed = office.locator('#order-history tr.event-phone', { hasText: 'Předáno' });
    // The card is drawn when opened: open it again until the phone's change is in.
    await poll(async () => {
      await office.reload();
      await office.locator('#order-history').waitFor({ state: 'visible' });
      return (await handed.count()) > 0;
    }, { timeoutMs: WAIT, intervalMs: 250, message: 'the phone\'s hand-over in the history' });
    assert.equal((await handed.locator('.event-actor').innerText()).trim(), adviser);
    assert.match(await handed.locator('.event-change').innerText(), /Připraveno k vyzvednutí\s*→\s*Předáno/);
    await office.locator('#order-status', { hasText: 'Předáno' }).waitFor({ state: 'visible' });
    await shot(office, 'demo-office-handed-over');
    await adminBrowser.close();
  });
});
