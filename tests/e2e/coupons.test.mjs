// Issue 12, point 4: a coupon's usage limit holds under concurrent orders from two
// phones. The office hands out a coupon for one order only. Two advisers, each with
// their own phone and offline, take an order with it (each phone sees the coupon
// apply: it cannot know about the other). Both phones come online at once. The hub
// gives the one use to one order; the other order loses the coupon, its adviser's
// inbox says why, and the office sees the coupon on one order only.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { poll, shot, signIn } from './lib/hub.mjs';
import { cli, enrolPhone, startField } from './lib/phone.mjs';

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
  let phones = [];

  let field;

  before(async () => {
    field = await startField({ previews: 2, wait: WAIT });
    ({ hub, browser, previews } = field);
  });

  after(async () => {
    await field?.stop();
  });

  test('two offline orders with a one-use coupon: exactly one keeps it', async () => {
    assert.equal(await cli(hub, 'coupon', 'add', '--code', 'jeden', '--percent', '10',
      '--max-uses', '1', '--message', 'Jen pro jednu objednávku', '--by', OFFICE), 'JEDEN');
    phones = [
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
    // The order says so too.
    await loser.click('#tab-clients');
    await loser.locator('#client-list .item.client').first().click();
    await loser.click(`#orders .order:has-text("${vs[1 - kept]}")`);
    await loser.locator('.order-news', { hasText: 'Kupón JEDEN nebyl uplatněn' }).waitFor();
    assert.equal(await loser.locator('#order-coupon').count(), 0);
    assert.equal(await phones[kept].locator('#order-coupon', { hasText: 'JEDEN' }).count(), 1);

    // The office: one use of one, and the coupon on the winner's order only.
    const listed = (await cli(hub, 'coupon', 'list')).split('\n').find((l) => l.startsWith('JEDEN\t'));
    assert.deepEqual(listed.split('\t').slice(3), ['active', '1', '1'], listed);
    const office = await signIn(browser.context, hub.url, OFFICE, '/office/orders');
    // The office's list reads SQL, which the hub's projection writes after the
    // phones see their verdicts: each row is read again until it shows it.
    for (const [i, v] of vs.entries()) {
      const want = i === kept ? 1 : 0;
      let seen;
      await poll(async () => {
        await office.goto(`${hub.url}/office/orders`);
        await office.fill('input[name=q]', v);
        const row = office.locator('#orders-table tbody tr', { hasText: v });
        await row.waitFor();
        seen = await row.innerText();
        return (await row.locator('.coupon', { hasText: 'Kupón JEDEN' }).count()) === want;
      }, {
        timeoutMs: WAIT,
        message: () => `order ${v} ${want ? 'keeps' : 'lost'} the coupon in the office; its row: ${seen}`,
      });
    }
    // The winner's card shows the coupon with its message.
    await office.fill('input[name=q]', vs[kept]);
    const won = office.locator('#orders-table tbody tr', { hasText: vs[kept] });
    await Promise.all([office.waitForURL((u) => u.pathname.startsWith('/office/orders/')),
      won.locator('a.order-link').click()]);
    await office.locator('#coupon-message', { hasText: 'Jen pro jednu objednávku' }).waitFor();
    await office.goto(`${hub.url}/office/discounts`);
    await office.locator('#coupon-JEDEN .uses', { hasText: '1 / 1' }).waitFor();
    await office.close();
  });

  test('the office gives a customer agreed prices; the phone prices their order with them', async () => {
    const phone = phones[0];
    await phone.click('#tab-clients');
    await phone.locator('#client-list .item.client').first().click();
    const name = (await phone.innerText('#client-name')).trim();

    // A tier on the Discounts page (a class it cannot read is refused).
    // (The browser has the office's session from the test above.)
    const office = await browser.context.newPage();
    await office.goto(`${hub.url}/office/discounts`);
    await office.fill('#tier-form input[name=code]', 'vip');
    await office.fill('#tier-form input[name=name]', 'VIP');
    await office.fill('#tier-form input[name=classes]', 'frame 20');
    await office.click('#tier-form button[type=submit]');
    await office.locator('.alert-error', { hasText: 'zapište třídu=procento' }).waitFor();
    await office.fill('#tier-form input[name=code]', 'b2b');
    await office.fill('#tier-form input[name=name]', 'Firmy');
    await office.fill('#tier-form input[name=classes]', 'frame=20, lens=10');
    await office.click('#tier-form button[type=submit]');
    await office.locator('#tier-B2B', { hasText: 'frame=20, lens=10' }).waitFor();
    assert.equal(await office.locator('#tier-VIP').count(), 0, 'the refused tier is not saved');
    await shot(office, 'office-discounts');

    // The customer's card: their terms.
    await office.goto(`${hub.url}/office/customers`);
    await office.fill('input[name=q]', name);
    // The row of that customer (not the first row of the list before the search
    // answered: the list redraws when the search comes back).
    const row = name.split(' ').reduce((rows, word) => rows.filter({ hasText: word }),
      office.locator('#customers-table tbody tr')).first();
    await row.waitFor();
    await Promise.all([office.waitForURL((u) => u.pathname.startsWith('/office/customers/')),
      row.locator('a.customer-link').click()]);
    await office.locator('#terms-none').waitFor();
    await office.fill('#terms-form input[name=min_discount]', '150');
    await office.click('#terms-form button[type=submit]');
    await office.locator('.alert-error', { hasText: 'není procento od 0 do 100' }).waitFor();
    await office.fill('#terms-form input[name=min_discount]', '5');
    await office.selectOption('#terms-form select[name=tier]', 'B2B');
    await office.click('#terms-form button[type=submit]');
    await office.locator('#terms-now', { hasText: 'tarif Firmy' }).waitFor();
    await shot(office, 'office-customer-terms');
    // The customer's personal data (GDPR) as a PDF: their name and their terms.
    const href = await office.locator('#gdpr-pdf').getAttribute('href');
    const res = await office.request.get(`${hub.url}${href}`);
    assert.equal(res.status(), 200);
    assert.equal(res.headers()['content-type'], 'application/pdf');
    const dir = await mkdtemp(join(tmpdir(), 'fieldcase-gdpr-'));
    try {
      const file = join(dir, 'export.pdf');
      await writeFile(file, await res.body());
      const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
      assert.ok(text.includes(`Osobní údaje: ${name}`), text);
      assert.ok(text.includes('sleva nejméně 5 % · B2B'), text);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }

    // The phone (online) gets them; the frame is 20 % off in the order builder.
    await phone.click('#new-order');
    await phone.locator('#customer-terms', { hasText: 'nejméně 5 %, obruby 20 %, čočky 10 %' }).waitFor();
    await phone.fill('#frame-search', 'Ray-Ban');
    const pick = phone.locator('#catalog-frames button').first();
    const price = czk(await pick.innerText());
    await pick.click();
    await phone.locator('#chosen-frame').waitFor();
    await poll(async () => czk(await phone.innerText('#order-total')) === Math.round(price * 80) / 100,
      { timeoutMs: WAIT, message: `the frame at 80 % of ${price} Kč` });
    await shot(phone, 'phone-customer-terms');
    await office.close();
  });
});

/** The last amount in `text` (`… · 3 290,00 Kč`) in CZK. */
function czk(text) {
  const all = [...text.matchAll(/(\d[\d\s\u00a0]*,\d{2})\s*Kč/g)];
  return Number(all.at(-1)[1].replace(/[\s\u00a0]/g, '').replace(',', '.'));
}
