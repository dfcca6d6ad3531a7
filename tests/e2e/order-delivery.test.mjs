// Carriers, tracking and the order's public page (issue 11, points 3 and 4): a
// number in the wrong format is refused with the format expected; a right one links
// to the carrier's tracking page and offers the move to "shipped"; the public page
// shows the order and its QR code without login, is not indexed, and answers 404
// (like an unknown link) once revoked.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, shot, signIn, startHub } from './lib/hub.mjs';

const OFFICE = 'kancelar@demo.fieldcase.cz';
const LAB = 'laborator@demo.fieldcase.cz';
const WAIT = 20_000;

/** Opens the card of the first order listed with `status` (and `paid`, if given:
 * `unpaid` for one that still shows a QR code); returns its VS. */
async function openFirst(page, status, paid = '') {
  if (paid) await page.selectOption('select[name=paid]', paid);
  await page.selectOption('select[name=status]', status);
  // The list has been filtered (every row in that status) before a row is picked.
  await page.waitForFunction((code) => {
    const tags = [...document.querySelectorAll('#orders-table tbody tr .status')];
    return tags.length > 0 && tags.every((t) => t.classList.contains(`status-${code}`));
  }, status);
  const row = page.locator('#orders-table tbody tr').first();
  await row.waitFor({ state: 'visible' });
  const vs = (await row.locator('td').first().innerText()).trim();
  await Promise.all([page.waitForURL((u) => u.pathname.startsWith('/office/orders/')), row.locator('a.order-link').click()]);
  await page.locator('#order-vs', { hasText: vs }).waitFor({ state: 'visible' });
  return vs;
}

describe('office: delivery and the public page', { concurrency: false }, () => {
  let hub;
  let browser;

  before(async () => {
    hub = await startHub();
    browser = await launchBrowser({ viewport: { width: 1366, height: 1000 } });
    browser.context.setDefaultTimeout(WAIT);
  });

  after(async () => {
    await browser?.close();
    await hub?.stop();
  });

  test('the lab enters tracking, gets the carrier link and ships', async () => {
    const lab = await launchBrowser({ viewport: { width: 1366, height: 1000 } });
    lab.context.setDefaultTimeout(WAIT);
    try {
      const page = await signIn(lab.context, hub.url, LAB, '/office/orders');
      // The small demo has no order in quality check: the lab moves one there.
      const vs = await openFirst(page, 'in_lab');
      await page.click('#status-moves button[data-to=quality_check]');
      await page.locator('#order-status', { hasText: 'Kontrola kvality' }).waitFor({ state: 'visible' });
      // Unknown format for the carrier: refused, with the format expected.
      await page.selectOption('#delivery-form select[name=carrier]', 'ppl');
      await page.fill('#delivery-form input[name=tracking]', 'RR123456789CZ');
      await page.click('#delivery-form button[type=submit]');
      await page.locator('.alert-error', { hasText: 'neodpovídá formátu dopravce PPL' }).waitFor({ state: 'visible' });
      assert.equal(await page.locator('#tracking-link').count(), 0, 'nothing saved');
      // The right format: saved, linked to PPL's tracking page, "shipped" offered.
      await page.fill('#delivery-form input[name=tracking]', '400 1234 5678');
      await page.click('#delivery-form button[type=submit]');
      await page.locator('.alert-ok', { hasText: 'Doprava uložena.' }).waitFor({ state: 'visible' });
      const link = page.locator('#tracking-link');
      await link.waitFor({ state: 'visible' });
      assert.equal(await link.getAttribute('href'), 'https://www.ppl.cz/vyhledat-zasilku?shipmentId=40012345678');
      assert.equal((await link.innerText()).trim(), '40012345678');
      await page.locator('#order-history tr', { hasText: 'PPL 40012345678' }).waitFor({ state: 'visible' });
      await page.click('#mark-shipped');
      await page.locator('.alert-ok', { hasText: `Objednávka ${vs}: stav změněn na „Odesláno“.` }).waitFor({ state: 'visible' });
      await page.locator('#order-status', { hasText: 'Odesláno' }).waitFor({ state: 'visible' });
      await shot(page, 'order-delivery');
      // The lab may not hand out public links.
      assert.equal(await page.locator('#issue-link').count(), 0);
    } finally {
      await lab.close();
    }
  });

  test('the public page shows the order without login and 404s once revoked', async () => {
    const page = await signIn(browser.context, hub.url, OFFICE, '/office/orders');
    // One that owes something: its public page shows the QR code for it (the
    // demo's bank has paid some orders in full).
    const vs = await openFirst(page, 'confirmed', 'unpaid');
    await page.selectOption('#note-form select[name=kind]', 'customer');
    await page.fill('#note-form textarea[name=body]', 'Brýle vám přivezeme v úterý.');
    await page.click('#note-form button[type=submit]');
    await page.locator('.alert-ok', { hasText: 'Poznámka uložena.' }).waitFor({ state: 'visible' });
    await page.selectOption('#note-form select[name=kind]', 'private');
    await page.fill('#note-form textarea[name=body]', 'Interní: klient dluží za minulou zakázku.');
    await page.click('#note-form button[type=submit]');
    await page.locator('#order-notes .note-private').waitFor({ state: 'visible' });
    await page.click('#issue-link');
    const linkEl = page.locator('#public-link');
    await linkEl.waitFor({ state: 'visible' });
    const url = (await linkEl.innerText()).trim();
    const token = url.split('/o/')[1];
    assert.ok(token.length >= 22, `at least 128 bits: ${token}`);

    // A stranger's browser: no session at all.
    const stranger = await launchBrowser({ viewport: { width: 420, height: 900 } });
    try {
      const pub = await stranger.context.newPage();
      const res = await pub.goto(`${hub.url}/o/${token}`);
      assert.equal(res.status(), 200);
      assert.equal(res.headers()['x-robots-tag'], 'noindex, nofollow');
      assert.equal(await pub.locator('meta[name=robots]').getAttribute('content'), 'noindex, nofollow');
      await pub.locator('h1', { hasText: vs }).waitFor({ state: 'visible' });
      await pub.locator('#public-status', { hasText: 'Potvrzeno' }).waitFor({ state: 'visible' });
      await pub.locator('.public-note', { hasText: 'v úterý' }).waitFor({ state: 'visible' });
      assert.equal(await pub.locator('body', { hasText: 'dluží' }).count(), 0, 'no private note');
      assert.ok((await pub.locator('#public-items tr').count()) >= 2, 'items and total');
      await pub.locator('#public-qr svg').waitFor({ state: 'visible' });
      assert.match(await pub.locator('#public-to-pay').innerText(), /Kč$/);
      // Only the first name and the town; no surname, phone or street.
      const text = await pub.locator('body').innerText();
      assert.ok(!/\+420|@/.test(text), 'no phone or e-mail on the public page');
      await shot(pub, 'order-public');

      // Revoked: the same 404 as a link that never existed.
      await page.click('#revoke-link');
      await page.locator('#no-public-link').waitFor({ state: 'visible' });
      const gone = await pub.goto(`${hub.url}/o/${token}`);
      assert.equal(gone.status(), 404);
      const goneBody = await pub.locator('body').innerText();
      const never = await pub.goto(`${hub.url}/o/${'A'.repeat(token.length)}`);
      assert.equal(never.status(), 404);
      assert.equal(await pub.locator('body').innerText(), goneBody, 'revoked and unknown look the same');
      await pub.locator('#public-not-found').waitFor({ state: 'visible' });
    } finally {
      await stranger.close();
    }
  });
});
