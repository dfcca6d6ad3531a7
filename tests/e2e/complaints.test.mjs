// Issue 15, slice 3: complaints. The customer opens one on the order's public page
// (no login): a file that is not a photo, and one over 8 MB, are refused with the
// form kept filled in; with a real photo it is received (number, deadline). The
// office lists it; customer service adds a photo and decides it on its card (a rejection without a
// reason refused) and the customer is told — the e-mails reach a real SMTP server
// on loopback and the public page shows the decision. The demo's complaint of 25
// days ago shows its alarm on the list and the card; the protocol is a PDF. A
// complaint received at the office puts the order in complaint; a remake sends it
// back to the lab with a task the lab marks done.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, pdfText, poll, shot, signIn } from './lib/hub.mjs';
import { mailsTo, startMailHub } from './lib/mail.mjs';
import { enrolPhone, firstOrderOnPhone, moveOrderTo, openOrderCard, startPreview } from './lib/phone.mjs';

const WAIT = 60_000;
const ADMIN = 'admin@demo.fieldcase.cz';
const CARE = 'pece@demo.fieldcase.cz';
// A 1×1 PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

describe('complaints: from the public page to the decision', { concurrency: false }, () => {
  let hub;
  let browser;
  let office; // customer service's own browser
  let care; // its page, signed in
  let mail;
  let mailDir;

  before(async () => {
    mail = await startMailHub();
    ({ hub, dir: mailDir } = mail);
    browser = await launchBrowser();
    browser.context.setDefaultTimeout(WAIT);
    office = await launchBrowser();
    office.context.setDefaultTimeout(WAIT);
    care = await signIn(office.context, hub.url, CARE, '/office/complaints');
  });

  after(async () => {
    await browser?.close();
    await office?.close();
    await mail?.stop();
  });

  test('a customer complains on the public page; customer service decides; the customer is told', async () => {
    // A delivered order whose customer has an e-mail; its public link.
    const admin = await signIn(browser.context, hub.url, ADMIN, '/office/orders');
    await admin.selectOption('select[name=status]', 'delivered');
    await poll(async () => {
      const all = await admin.locator('#orders-table tbody tr').count();
      const listed = await admin.locator('#orders-table tbody tr', { hasText: 'Předáno' }).count();
      return all > 0 && all === listed;
    }, { timeoutMs: WAIT, message: 'the delivered orders' });
    const links = await admin.locator('#orders-table tbody tr a.order-link').evaluateAll(
      (as) => as.map((a) => a.getAttribute('href')));
    let email = '';
    let vs = '';
    for (const href of links) {
      await admin.goto(`${hub.url}${href}`);
      const found = (await admin.locator('#order-client').innerText()).match(/[\w.+-]+@[\w.-]+/);
      if (!found) continue;
      email = found[0];
      vs = (await admin.locator('#order-vs').innerText()).trim();
      break;
    }
    assert.ok(email, 'a delivered order whose customer has an e-mail');
    await admin.click('#issue-link');
    const link = (await admin.locator('#public-link').innerText()).trim();
    const url = `${hub.url}/o/${link.split('/o/')[1]}`;

    // The customer, with no session.
    const guest = await launchBrowser({ viewport: { width: 390, height: 844 } });
    try {
      const pub = await guest.context.newPage();
      pub.setDefaultTimeout(WAIT);
      await pub.goto(url);
      await pub.locator('#complaint-form-box summary').click();
      await pub.locator('#complaint-form input[name=item]').first().check();
      const reason = 'Pravá čočka má po týdnu škrábanec přes celé zorné pole.';
      await pub.fill('#complaint-reason', reason);
      // Not a photo: refused, the form comes back as it was.
      await pub.setInputFiles('#complaint-photos', { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
      await pub.click('#complaint-submit');
      await pub.locator('#complaint-error', { hasText: 'není fotka' }).waitFor();
      assert.equal(await pub.inputValue('#complaint-reason'), reason, 'the reason is kept');
      assert.equal(await pub.locator('#complaint-form input[name=item]').first().isChecked(), true);
      // Too big (9 MB, JPEG bytes): refused.
      const big = Buffer.alloc(9 * 1024 * 1024);
      big.set([0xff, 0xd8, 0xff, 0xe0]);
      await pub.setInputFiles('#complaint-photos', { name: 'big.jpg', mimeType: 'image/jpeg', buffer: big });
      await pub.click('#complaint-submit');
      await pub.locator('#complaint-error', { hasText: '8 MB' }).waitFor();
      // A real photo: received.
      await pub.setInputFiles('#complaint-photos', { name: 'scratch.png', mimeType: 'image/png', buffer: PNG });
      await pub.click('#complaint-submit');
      const sent = pub.locator('#complaint-sent');
      await sent.waitFor();
      const number = (await sent.locator('.strong').innerText()).trim();
      assert.match(number, new RegExp(`^R${vs}-\\d+$`));
      const mine = pub.locator(`#public-complaints li[data-number="${number}"]`);
      await mine.locator('.complaint-open', { hasText: 'zbývá 30 dní' }).waitFor();
      await shot(pub, 'public-complaint-received');

      // Customer service: the list, the card with the photo, the decision.
      await care.goto(`${hub.url}/office/complaints`);
      const row = care.locator(`#complaints-table tr[data-number="${number}"]`);
      await row.waitFor();
      assert.match(await row.innerText(), /zbývá 30 dní/);
      await Promise.all([care.waitForURL((u) => u.pathname.startsWith('/office/complaints/')),
        row.locator('a.complaint-link').click()]);
      await care.locator('#complaint-reason', { hasText: reason }).waitFor();
      const photo = care.locator('#complaint-photos img.complaint-photo');
      await photo.waitFor();
      await poll(() => photo.evaluate((img) => img.complete && img.naturalWidth === 1),
        { timeoutMs: WAIT, message: 'the photo shown' });
      // Staff add a photo on the card; a file that is not one is refused.
      const cardUrl = care.url();
      await care.setInputFiles('#photo-form input[type=file]', { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
      await Promise.all([care.waitForURL((u) => u.pathname.endsWith('/photos')), care.click('#photo-form button[type=submit]')]);
      await care.locator('#photo-error', { hasText: 'není fotka' }).waitFor();
      await care.goto(cardUrl);
      await care.setInputFiles('#photo-form input[type=file]', { name: 'detail.png', mimeType: 'image/png', buffer: PNG });
      await Promise.all([care.waitForURL((u) => !u.pathname.endsWith('/photos')), care.click('#photo-form button[type=submit]')]);
      await poll(async () => (await care.locator('#complaint-photos img.complaint-photo').count()) === 2,
        { timeoutMs: WAIT, message: 'two photos on the card' });
      // A rejection must say why.
      await care.selectOption('#decision', 'reject');
      await care.click('#decision-submit');
      await care.locator('.alert-error', { hasText: 'Zdůvodnění' }).waitFor();
      await care.selectOption('#decision', 'remake');
      await care.fill('#decision-reason', 'Vyrobíme novou čočku; brýle si vyzvedněte na prodejně.');
      await care.click('#decision-submit');
      await care.locator('#complaint-decision', { hasText: 'nové brýle' }).waitFor();
      await care.fill('#note-body', 'Zákazník volal, souhlasí s výrobou.');
      await care.click('#note-form button[type=submit]');
      await care.locator('.complaint-note', { hasText: 'souhlasí s výrobou' }).waitFor();
      await shot(care, 'office-complaint-decided');
      const protocol = await care.locator('#complaint-protocol').getAttribute('href');
      const { text } = await pdfText(care, `${hub.url}${protocol}`, 'complaint-protocol.pdf');
      assert.match(text, new RegExp(`Reklamační protokol ${number}`));
      assert.match(text, /nové brýle/);

      // The customer is told: the e-mails of receipt and decision at the SMTP
      // server (the job sends every 15 s), the decision on the public page.
      await poll(async () => (await mailsTo(mailDir, email)).length === 2,
        { timeoutMs: WAIT, intervalMs: 500, message: `two e-mails to ${email}` });
      await pub.goto(url);
      await mine.locator('.complaint-decision', { hasText: 'nové brýle' }).waitFor();
      await mine.locator('.complaint-decision-reason', { hasText: 'Vyrobíme novou čočku' }).waitFor();
      await shot(pub, 'public-complaint-decided');
    } finally {
      await guest.close();
    }
  });

  test('the demo complaint of 25 days ago shows its alarm', async () => {
    await care.goto(`${hub.url}/office/complaints`);
    const alarm = care.locator('#complaints-table tr.urgency-alarm');
    await alarm.first().waitFor();
    assert.match(await alarm.first().innerText(), /Alarm: 25\. den/);
    assert.match(await alarm.first().innerText(), /zbývá 5 dní/);
    await care.locator('#complaint-alarms', { hasText: '1' }).waitFor();
    await care.locator('#complaints-table tr.urgency-warning').first().waitFor();
    await shot(care, 'office-complaints-alarm');
    await Promise.all([care.waitForURL((u) => u.pathname.startsWith('/office/complaints/')),
      alarm.first().locator('a.complaint-link').click()]);
    await care.locator('#complaint-urgency', { hasText: 'Alarm' }).waitFor();
  });

  test('a complaint received at the office reaches the adviser\'s phone', async () => {
    const preview = await startPreview();
    try {
      const phone = await enrolPhone(browser, hub, preview, 'P0001', ADMIN);
      const vs = await firstOrderOnPhone(phone);
      const admin = await browser.context.newPage();
      await admin.goto(`${hub.url}/office/orders`);
      await openOrderCard(admin, vs);
      await moveOrderTo(admin, 'delivered');
      // The office receives the complaint on the order card.
      await admin.locator('#order-complaint-open summary').click();
      await admin.locator('#order-complaint-form input[name=item]').first().check();
      await admin.fill('#order-complaint-form textarea[name=reason]', 'Obroučka praská u nosníku.');
      await admin.click('#order-complaint-form button[type=submit]');
      await admin.locator('.alert-ok', { hasText: 'přijata' }).waitFor();
      const number = (await admin.locator('#order-complaints li.order-complaint a').last().innerText()).trim();
      // The phone shows it on the order.
      await phone.bringToFront();
      await phone.click('#tab-clients');
      await phone.locator('#client-list .item.client').first().click();
      await phone.click(`#orders .order:has-text("${vs}")`);
      const item = phone.locator(`#order-complaints .complaint[data-number="${number}"]`);
      await item.waitFor();
      assert.match(await item.innerText(), /Obroučka praská u nosníku\.[\s\S]*zbývá 30 dní/);
      await shot(phone, 'phone-order-complaint');

      // The order is in complaint; deciding a remake sends it back to the lab
      // and hands the lab a task, which the lab marks done.
      await admin.bringToFront();
      await admin.reload();
      await admin.locator('#order-status', { hasText: 'Reklamace' }).waitFor();
      const orderUrl = admin.url();
      await Promise.all([admin.waitForURL((u) => u.pathname.startsWith('/office/complaints/')),
        admin.locator('#order-complaints li.order-complaint a').last().click()]);
      await admin.selectOption('#decision', 'remake');
      await admin.fill('#decision-reason', 'Nová obroučka, stejné čočky.');
      await admin.click('#decision-submit');
      await admin.locator('#complaint-decision', { hasText: 'nové brýle' }).waitFor();
      await admin.locator('#complaint-tasks li.complaint-task[data-team="lab"]', { hasText: 'Vyrobit brýle znovu' }).waitFor();
      await admin.goto(orderUrl);
      await admin.locator('#order-status', { hasText: 'V laboratoři' }).waitFor();
      const lab = await launchBrowser();
      try {
        lab.context.setDefaultTimeout(WAIT);
        const desk = await signIn(lab.context, hub.url, 'laborator@demo.fieldcase.cz', '/office/complaints');
        const task = desk.locator('#open-tasks li.complaint-task', { hasText: number });
        await task.waitFor();
        await shot(desk, 'office-lab-complaint-task');
        await task.locator('button.task-done').click();
        await desk.locator('.alert-ok', { hasText: 'Úkol splněn' }).waitFor();
        await poll(async () => (await desk.locator('#open-tasks li.complaint-task', { hasText: number }).count()) === 0,
          { timeoutMs: WAIT, message: 'the task done' });
      } finally {
        await lab.close();
      }
    } finally {
      await preview.stop();
    }
  });
});
