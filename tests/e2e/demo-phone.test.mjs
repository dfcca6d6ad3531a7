// A demo whose phones have work: the phone preview enrolled as the demo adviser
// P0001 lists that adviser's seeded clients and orders — the same clients the
// office's Advisers page counts for P0001.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, shot, startHub } from './lib/hub.mjs';
import { cli, startPreview } from './lib/phone.mjs';

const WAIT = 30_000;
const OFFICE = 'kancelar@demo.fieldcase.cz';
const PASSWORD = 'fieldcase-demo';

describe('demo: an enrolled phone has its adviser\'s work', { concurrency: false }, () => {
  let hub;
  let preview;
  let browser;

  before(async () => {
    hub = await startHub();
    preview = await startPreview();
    browser = await launchBrowser({ viewport: { width: 1366, height: 900 } });
    browser.context.setDefaultTimeout(WAIT);
  });

  after(async () => {
    await browser?.close();
    await preview?.stop();
    await hub?.stop();
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
    const code = await cli(hub, 'device', 'code', '--adviser', 'P0001', '--by', OFFICE);
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(preview.url);
    await page.fill('#hub', hub.url);
    await page.fill('#code', code);
    await page.click('button[type=submit]');
    await page.locator('h1', { hasText: 'Dnes' }).waitFor();
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
});
