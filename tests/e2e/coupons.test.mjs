// Issue 12, point 4: a coupon's usage limit holds under concurrent orders from two
// phones. The office hands out a coupon for one order only. Two advisers, each with
// their own phone and offline, take an order with it (each phone sees the coupon
// apply: it cannot know about the other). Both phones come online at once. The hub
// gives the one use to one order; the other order loses the coupon, its adviser's
// inbox says why, and the office sees the coupon on one order only.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, poll, shot, signIn, startHub } from './lib/hub.mjs';
import { cli, enrolPhone, startPreview } from './lib/phone.mjs';

const WAIT = 30_000;
const OFFICE = 'kancelar@demo.fieldcase.cz';

/** Takes an order for the first client with a Ray-Ban frame and `coupon`; its VS. */
async function orderWithCoupon(page, coupon) {
  await page.click('#tab-clients');
  await page.locator('#client-list .item.client').first().click();
  await page.click('#new-order');
  await page.fill('#frame-search', 'Ray-Ban');
  await page.locator('#catalog-frames button').first().click();
  await page.locator('#chosen-frame').waitFor();
  await page.fill('#coupon', coupon);
  await page.click('#apply-coupon');
  await page.locator('#coupon-applied', { hasText: 'JEDEN: −10 %' }).waitFor();
  await page.locator('#coupon-limited', { hasText: 'potvrdí centrála' }).waitFor();
  const vs = (await page.innerText('#order-vs')).trim();
  await page.click('#submit-order');
  await page.locator('#detail-vs', { hasText: vs }).waitFor();
  await page.locator('#order-coupon', { hasText: 'JEDEN' }).waitFor();
  return vs;
}

describe('coupons: a usage limit holds when two phones sync at once', { concurrency: false }, () => {
  let hub;
  let previews = [];
  let browser;

  before(async () => {
    hub = await startHub();
    previews = await Promise.all([startPreview(), startPreview()]);
    browser = await launchBrowser({ viewport: { width: 1366, height: 900 } });
    browser.context.setDefaultTimeout(WAIT);
  });

  after(async () => {
    await browser?.close();
    await Promise.all(previews.map((p) => p.stop()));
    await hub?.stop();
  });

  test('two offline orders with a one-use coupon: exactly one keeps it', async () => {
    assert.equal(await cli(hub, 'coupon', 'add', '--code', 'jeden', '--percent', '10',
      '--max-uses', '1', '--message', 'Jen pro jednu objednávku', '--by', OFFICE), 'JEDEN');
    const phones = [
      await enrolPhone(browser, hub, previews[0], 'P0001', OFFICE),
      await enrolPhone(browser, hub, previews[1], 'P0002', OFFICE),
    ];
    // Both advisers work offline; each phone applies the coupon.
    const vs = [];
    for (const page of phones) {
      await page.locator('#status .state', { hasText: 'Online' }).waitFor();
      await page.click('#toggle-online');
      await page.locator('#status .state', { hasText: 'Offline' }).waitFor();
      vs.push(await orderWithCoupon(page, 'jeden'));
    }
    await shot(phones[1], 'phone-coupon-offline');

    // Both come online at the same moment.
    await Promise.all(phones.map((p) => p.click('#toggle-online')));
    await Promise.all(phones.map((p) => p.locator('#status .pending', { hasText: 'Čeká: 0' }).waitFor()));
    await poll(async () => {
      const [a, b] = await Promise.all([
        cli(hub, 'projection', '--adviser', 'P0001'), cli(hub, 'projection', '--adviser', 'P0002')]);
      return a.includes(vs[0]) && b.includes(vs[1]);
    }, { timeoutMs: WAIT, message: 'both orders in the office projection' });

    // One phone keeps the coupon on its order; the other loses it and is told why.
    const kept = await poll(async () => {
      const has = await Promise.all(phones.map((p) => p.locator('#order-coupon').count()));
      return has[0] + has[1] === 1 ? has.indexOf(1) : undefined;
    }, { timeoutMs: WAIT, message: 'the coupon to stay on exactly one order' });
    const loser = phones[1 - kept];
    await loser.locator('#status .rejections', { hasText: /Zamítnuto: [1-9]/ }).waitFor();
    await loser.click('#tab-inbox');
    await loser.locator('#inbox .item.bad', { hasText: 'Kupón JEDEN nebyl uplatněn' })
      .filter({ hasText: 'lze použít nejvýš 1×' }).waitFor();
    await shot(loser, 'phone-coupon-used-up');
    assert.equal(await phones[kept].locator('#order-coupon', { hasText: 'JEDEN' }).count(), 1);

    // The office: one use of one, and the coupon on the winner's order only.
    const listed = (await cli(hub, 'coupon', 'list')).split('\n').find((l) => l.startsWith('JEDEN\t'));
    assert.deepEqual(listed.split('\t').slice(3), ['active', '1', '1'], listed);
    const office = await signIn(browser.context, hub.url, OFFICE, '/office/orders');
    for (const [i, v] of vs.entries()) {
      await office.fill('input[name=q]', v);
      const row = office.locator('#orders-table tbody tr', { hasText: v });
      await row.waitFor();
      assert.equal(await row.locator('.coupon', { hasText: 'Kupón JEDEN' }).count(), i === kept ? 1 : 0,
        `order ${v} ${i === kept ? 'keeps' : 'lost'} the coupon in the office`);
    }
  });
});
