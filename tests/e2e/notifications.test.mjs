// Issue 15, slice 1: the office's Notifications page and a status change that
// tells the customer. The hub runs with a real SMTP server on loopback (aiosmtpd,
// tests/fixtures/smtp_sink.py). The office sees the demo's triggers, is refused a
// template naming a variable that does not exist, saves a good one and sees its
// preview; it moves an order (whose customer has an e-mail) to "ready for
// pickup" and the order card lists the e-mail sent, which the SMTP server got.

import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, poll, shot, signIn } from './lib/hub.mjs';
import { startMailHub } from './lib/mail.mjs';

const WAIT = 60_000;
// The administrator: the office edits notifications too, but "ready for pickup" is a
// store's (or the administrator's) move.
const OFFICE = 'admin@demo.fieldcase.cz';

describe('notifications: the office sets them, a status change sends an e-mail', { concurrency: false }, () => {
  let hub;
  let browser;
  let mail;
  let mailDir;

  before(async () => {
    mail = await startMailHub();
    ({ hub, dir: mailDir } = mail);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await mail?.stop();
  });

  test('templates are checked and previewed; the order card shows the e-mail sent', async () => {
    const page = await signIn(browser.context, hub.url, OFFICE, '/office/notifications');
    const ready = page.locator('#triggers-table tr[data-status=ready_for_pickup]');
    assert.equal(await ready.locator('input[data-channel=email]').isChecked(), true, 'the demo tells by e-mail');
    // The other events: a payment tells the customer by e-mail; commission goes to
    // the adviser's phone only (no e-mail box to tick).
    const payment = page.locator('#triggers-table tr[data-event=payment_matched]');
    assert.equal(await payment.locator('input[data-channel=email]').isChecked(), true, 'payments by e-mail');
    const commission = page.locator('#triggers-table tr[data-event=commission_accrued]');
    assert.equal(await commission.locator('input[data-channel=push]').isChecked(), true, 'commission by push');
    assert.equal(await commission.locator('input[data-channel=email]').count(), 0, 'commission never by e-mail');

    // A variable that does not exist is refused; the saved template is unchanged.
    // The editor holds the demo's e-mail template once it has loaded.
    await poll(async () => (await page.inputValue('#template-body')).includes('{order_vs}'),
      { timeoutMs: WAIT, message: 'the saved template in the editor' });
    await page.fill('#template-subject', 'Brýle {order_vs}');
    await page.fill('#template-body', 'Dobrý den {jmeno}');
    await page.click('#template-save');
    await page.locator('.alert-error', { hasText: 'proměnnou, kterou neznáme' }).waitFor();
    await page.fill('#template-body', 'Dobrý den, {customer_name},\n\nvaše brýle ({order_vs}) jsou ve stavu: {status}.\n\n{shop_name}');
    await page.locator('#template-preview', { hasText: 'Dobrý den, Jana Nováková,' }).waitFor();
    await page.click('#template-save');
    await page.locator('.alert-ok', { hasText: 'Šablona uložena' }).waitFor();
    await page.selectOption('#template-channel', 'sms');
    await page.locator('#sms-parts').waitFor();
    await shot(page, 'office-notifications');
    // Another event's template: the demo's e-mail of a payment, previewed with its amount.
    await page.selectOption('#template-event', 'payment_matched');
    await page.selectOption('#template-channel', 'email');
    await poll(async () => (await page.inputValue('#template-body')).includes('{amount}'),
      { timeoutMs: WAIT, message: 'the payment template in the editor' });
    await page.locator('#template-preview', { hasText: 'přijali platbu 1 500,00 Kč' }).waitFor();

    // Orders on their way through the lab whose customer has an e-mail go on to
    // "ready for pickup" (the administrator makes each move).
    const links = [];
    for (const [status, label] of [['lenses_ordered', 'Čočky objednány'], ['in_lab', 'V laboratoři']]) {
      await page.goto(`${hub.url}/office/orders`);
      await page.selectOption('select[name=status]', status);
      await poll(async () => {
        const all = await page.locator('#orders-table tbody tr').count();
        const listed = await page.locator('#orders-table tbody tr', { hasText: label }).count();
        return all > 0 && all === listed;
      }, { timeoutMs: WAIT, message: `the orders in ${status}` });
      links.push(...await page.locator('#orders-table tbody tr a.order-link').evaluateAll(
        (as) => as.map((a) => a.getAttribute('href'))));
    }
    // (One in twenty demo customers withdrew their e-mail consent: their message is
    // listed as not sent, with why, and the next order is tried.)
    let email = '';
    let vs = '';
    let row = '';
    for (const href of links) {
      await page.goto(`${hub.url}${href}`);
      const found = (await page.locator('#order-client').innerText()).match(/[\w.+-]+@[\w.-]+/);
      if (!found) continue;
      for (const [to, label] of [['in_lab', 'V laboratoři'], ['quality_check', 'Kontrola kvality'],
        ['ready_for_pickup', 'Připraveno k vyzvednutí']]) {
        const move = page.locator(`#status-moves button[data-to=${to}]`);
        if (to === 'in_lab' && !(await move.count())) continue; // already in the lab
        await move.click();
        await page.locator('#order-status', { hasText: label }).waitFor();
      }
      // The job plans and sends it (every 15 s); the card lists it.
      const mail = page.locator('#order-notifications-table tr[data-channel=email]');
      await poll(async () => {
        await page.reload();
        await page.locator('#order-notifications').waitFor();
        return (await mail.count()) === 1 && /notification-(sent|skipped|failed)/.test(await mail.getAttribute('class'));
      }, { timeoutMs: WAIT, intervalMs: 1_000, message: 'the e-mail listed on the order card' });
      if ((await mail.getAttribute('class')).includes('notification-skipped')) {
        assert.match(await mail.innerText(), /zákazník tento kanál odmítl/);
        continue;
      }
      assert.match(await mail.getAttribute('class'), /notification-sent/);
      email = found[0];
      vs = (await page.locator('#order-vs').innerText()).trim();
      row = await mail.innerText();
      break;
    }
    assert.ok(email, 'an order in the lab whose customer takes e-mail');
    assert.ok(row.includes(email), row);
    assert.ok(row.includes(`vaše brýle (${vs}) jsou ve stavu: Připraveno k vyzvednutí.`), row);
    await shot(page, 'order-card-notifications');

    // The SMTP server got exactly that one, to that customer.
    const files = (await readdir(mailDir)).filter((f) => f.endsWith('.eml'));
    assert.equal(files.length, 1);
    const raw = await readFile(join(mailDir, files[0]), 'utf8');
    assert.match(raw, new RegExp(`^To: ${email.replace(/[.+]/g, '\\$&')}`, 'm'));
  });
});
