// Issue 12, point 5: reminders. The demo hub makes its reminders when it starts
// (an eye exam 24 months after the last prescription, contact lenses before the
// supply runs out); the Reminders page lists them with their adviser; an adviser's
// phone has them on its Today screen, and snoozing one there shows in the office.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { poll, shot, signIn } from './lib/hub.mjs';
import { enrolPhone, startField } from './lib/phone.mjs';

const WAIT = 30_000;
const OFFICE = 'kancelar@demo.fieldcase.cz';

describe('reminders: the office\'s rules, the adviser\'s Today screen', { concurrency: false }, () => {
  let hub;
  let preview;
  let browser;

  let field;

  before(async () => {
    field = await startField({ wait: WAIT });
    ({ hub, browser, previews: [preview] } = field);
  });

  after(async () => {
    await field?.stop();
  });

  test('a reminder reaches the adviser\'s phone; snoozed there, the office sees it', async () => {
    const office = await signIn(browser.context, hub.url, OFFICE, '/office/reminders');
    // A rule's number out of range is refused.
    await office.fill('#rule-eye_exam input[name=months]', '500');
    await office.click('#rule-eye_exam button[type=submit]');
    await office.locator('.alert-error', { hasText: 'měsíce 0–120' }).waitFor();
    await office.fill('#rule-eye_exam input[name=months]', '24');
    await office.click('#rule-eye_exam button[type=submit]');
    await office.locator('.alert-ok', { hasText: 'Pravidlo uloženo' }).waitFor();
    // Run now (the hub ran at its start too): the list has P0001's reminders.
    await office.click('#run-reminders');
    await office.locator('.alert-ok', { hasText: 'Nových připomínek' }).waitFor();
    const rows = office.locator('#reminders-table tr.reminder', { hasText: 'P0001' });
    await rows.first().waitFor();
    await shot(office, 'office-reminders');

    const phone = await enrolPhone(browser, hub, preview, 'P0001', OFFICE);
    const task = phone.locator('#visits .item', { hasText: 'Pozvat na vyšetření zraku' }).first();
    await task.waitFor();
    const title = (await task.locator('.name').innerText()).trim();
    const who = /: (.+) \(poslední předpis/.exec(title)[1];
    await task.locator('button.snooze').click();
    await shot(phone, 'phone-today-reminders');

    // The office's list, all states: that customer's reminder is snoozed.
    await office.selectOption('#reminder-state', 'all');
    const row = office.locator('#reminders-table tr.reminder', { hasText: who });
    await poll(async () => (await row.locator('.snoozed').count()) > 0,
      { timeoutMs: WAIT, message: `${who}'s reminder snoozed in the office` });
    assert.match(await row.first().innerText(), /odloženo, splatné/);
  });
});
