// Issue 15, slice 4: eye-exam bookings. A customer books a slot on a store's
// public page on a phone-sized screen (no login): a form with no way to reach
// them comes back filled in with the reason; a time in the past and one outside
// the hours (off the half hour) are refused (422). The store's staff approve the
// booking on the office's Bookings page, and the customer's e-mail of the
// approval reaches a real SMTP server (aiosmtpd on loopback) with the `.ics` of
// the booked time; the booking's page shows it approved and cancels it. A
// store's staff set their schedule on the page: a shift that ends before it
// starts is refused, a proper one is listed.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, poll, shot, signIn } from './lib/hub.mjs';
import { mailsTo, startMailHub } from './lib/mail.mjs';

const WAIT = 60_000;
const STORE = 'prodejna@demo.fieldcase.cz';

/** The decoded body of the attachment named `name` in a raw e-mail. */
function attachment(raw, name) {
  const at = raw.indexOf(`filename="${name}"`);
  assert.ok(at >= 0, `the e-mail carries ${name}`);
  const headEnd = raw.indexOf('\r\n\r\n', at) >= 0 ? raw.indexOf('\r\n\r\n', at) + 4 : raw.indexOf('\n\n', at) + 2;
  const head = raw.slice(raw.lastIndexOf('--', at), headEnd);
  const body = raw.slice(headEnd, raw.indexOf('\n--', headEnd));
  return /Content-Transfer-Encoding: base64/i.test(head)
    ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
    : body;
}

describe('eye-exam bookings: from the public page to the confirmation', { concurrency: false }, () => {
  let mail;
  let hub;
  let mailDir;
  let office;
  let guest;

  before(async () => {
    mail = await startMailHub();
    ({ hub, dir: mailDir } = mail);
    office = await launchBrowser();
    office.context.setDefaultTimeout(WAIT);
    guest = await launchBrowser({ viewport: { width: 390, height: 844 } });
    guest.context.setDefaultTimeout(WAIT);
  });

  after(async () => {
    await guest?.close();
    await office?.close();
    await mail?.stop();
  });

  test('a customer books a slot, the store approves it, the e-mail with the .ics arrives', async () => {
    const pub = await guest.context.newPage();
    await pub.goto(`${hub.url}/book`);
    // Praha Anděl: the demo's store staff (prodejna@) handle their own store's bookings.
    await Promise.all([pub.waitForURL((u) => u.pathname.startsWith('/book/')), pub.locator('a.book-store[href="/book/PHA1"]').click()]);
    const storeUrl = new URL(pub.url());
    // The first day of the two weeks with free slots at least three days ahead
    // (the demo's own bookings are on the next two).
    const days = await pub.locator('#book-days a.book-day').evaluateAll((as) => as.map((a) => a.dataset.day));
    let day = '';
    for (const d of days.slice(3)) {
      await pub.goto(`${storeUrl.origin}${storeUrl.pathname}?day=${d}`);
      if (await pub.locator('#book-slots label.book-slot').count() > 0) {
        day = d;
        break;
      }
    }
    assert.ok(day, 'a day with free slots');
    await shot(pub, 'public-booking-slots');
    const slot = pub.locator('#book-slots label.book-slot').first();
    const time = await slot.getAttribute('data-time');
    const key = await slot.locator('input').getAttribute('value');
    await slot.locator('input').check();

    // No e-mail and no phone: refused, the form kept.
    await pub.fill('#book-name', 'Alena Testová');
    await pub.click('#book-submit');
    await pub.locator('#book-error', { hasText: 'e-mail nebo telefon' }).waitFor();
    assert.equal(await pub.inputValue('#book-name'), 'Alena Testová');

    // A time in the past, and one off the half hour (outside the slots): refused.
    const [shift, at] = key.split('/');
    const post = (slotKey) => pub.request.post(`${storeUrl.origin}${storeUrl.pathname}`, {
      form: { day, slot: slotKey, name: 'Alena Testová', email: 'alena@example.cz' },
      maxRedirects: 0,
    });
    const past = await post(`${shift}/${Math.floor(Date.now() / 1000) - 3600}`);
    assert.equal(past.status(), 422);
    assert.match(await past.text(), /už minul/);
    const outside = await post(`${shift}/${Number(at) + 7 * 60}`);
    assert.equal(outside.status(), 422);
    assert.match(await outside.text(), /mimo otevírací dobu/);

    // A proper request.
    const email = `alena.${Date.now()}@example.cz`;
    await pub.locator(`#book-slots input[value="${key}"]`).check();
    await pub.fill('#book-email', email);
    await pub.fill('#book-phone', '603 123 456');
    await Promise.all([pub.waitForURL((u) => u.pathname.startsWith('/b/')), pub.click('#book-submit')]);
    await pub.locator('#booking-notice').waitFor();
    await pub.locator('#booking-status', { hasText: 'čeká na potvrzení' }).waitFor();
    assert.match(await pub.locator('#booking-when').innerText(), new RegExp(`${time}$`));
    const bookingUrl = pub.url().split('?')[0];
    await shot(pub, 'public-booking-requested');

    // The store approves it.
    const staff = await signIn(office.context, hub.url, STORE, '/office/bookings');
    await staff.selectOption('#booking-shop', ''); // every store's (a store's staff see their own first)
    await staff.check('#pending-only');
    const row = staff.locator('#bookings-table tr.booking-pending[data-name="Alena Testová"]');
    await row.waitFor();
    await shot(staff, 'office-bookings-pending');
    await Promise.all([staff.waitForURL((u) => u.pathname.startsWith('/office/bookings/')),
      row.locator('a.booking-link').click()]);
    await staff.locator('#booking-customer', { hasText: email }).waitFor();
    await staff.click('#booking-approve');
    await staff.locator('#booking-state', { hasText: 'potvrzeno' }).waitFor();
    await shot(staff, 'office-booking-approved');

    // The e-mails (the request's and the approval's, the job sends every 15 s);
    // the approval's carries the .ics at the booked time.
    await poll(async () => (await mailsTo(mailDir, email)).length === 2,
      { timeoutMs: WAIT, intervalMs: 500, message: `two e-mails to ${email}` });
    const approval = (await mailsTo(mailDir, email)).find((m) => m.includes('vysetreni-zraku.ics'));
    assert.ok(approval, 'the approval carries the .ics');
    assert.match(approval, /Content-Type: text\/calendar/i);
    const ics = attachment(approval, 'vysetreni-zraku.ics');
    const start = new Date(Number(at) * 1000).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
    assert.match(ics, new RegExp(`DTSTART:${start}`));
    assert.match(ics, /BEGIN:VEVENT/);
    assert.ok(ics.includes(bookingUrl.split('/b/')[1]), 'the booking\'s link in the event');

    // The customer's page: approved; cancelling frees the slot.
    await pub.goto(bookingUrl);
    await pub.locator('#booking-status', { hasText: 'potvrzeno' }).waitFor();
    await Promise.all([pub.waitForURL(bookingUrl), pub.click('#booking-cancel')]);
    await pub.locator('#booking-status', { hasText: 'zrušeno' }).waitFor();
    await pub.goto(`${storeUrl.origin}${storeUrl.pathname}?day=${day}`);
    await pub.locator(`#book-slots input[value="${key}"]`).waitFor();
  });

  test('a store sets its schedule on the Bookings page: a bad shift refused, a good one listed', async () => {
    await office.context.clearCookies();
    const staff = await signIn(office.context, hub.url, STORE, '/office/bookings');
    // A store's staff open on their own store, whose schedule the page shows.
    await staff.locator('#schedule-box').waitFor({ state: 'attached' });
    await staff.click('#schedule-box summary');
    assert.equal(await staff.inputValue('#opens-1'), '09:00');
    const inAWeek = new Date(Date.now() + 7 * 86_400_000).toLocaleDateString('sv-SE', { timeZone: 'Europe/Prague' });
    await staff.fill('#shift-day', inAWeek);
    await staff.fill('#shift-starts', '15:00');
    await staff.fill('#shift-ends', '14:00');
    await staff.fill('#shift-optometrist', 'Mgr. Rozvrhová');
    await staff.click('#shift-save');
    await staff.locator('#schedule-box .alert-error', { hasText: 'končí dřív, než začne' }).waitFor();
    await staff.fill('#shift-ends', '17:00');
    await staff.click('#shift-save');
    await staff.locator('#schedule-box .alert-ok', { hasText: 'Směna přidána' }).waitFor();
    await staff.locator('#shifts-table tr.shift', { hasText: 'Mgr. Rozvrhová' }).waitFor();
    await shot(staff, 'office-bookings-schedule');
  });
});
