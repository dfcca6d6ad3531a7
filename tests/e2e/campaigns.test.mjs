// Issue 15, slice 5: campaigns. The office saves a segment of two customers who
// consent to e-mail, writes a campaign to it (an unknown variable refused, the
// text kept), sees the preview with the unsubscribe footer and the audience,
// launches it (asked twice): both e-mails reach a real SMTP server (aiosmtpd on
// loopback), each with its own unsubscribe link. The customer opens the link
// on a phone-sized screen with no login and unsubscribes; the customer card
// shows the e-mail consent withdrawn and the campaign's card the numbers and
// its effect table.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, poll, shot, signIn } from './lib/hub.mjs';
import { mailsTo, startMailHub } from './lib/mail.mjs';

const OFFICE = 'kancelar@demo.fieldcase.cz';
const WAIT = 60_000;

describe('campaigns: from the segment to the unsubscribe', { concurrency: false }, () => {
  let mail;
  let hub;
  let mailDir;
  let office;
  let guest;
  let page;

  before(async () => {
    mail = await startMailHub();
    ({ hub, dir: mailDir } = mail);
    office = await launchBrowser({ viewport: { width: 1366, height: 900 } });
    office.context.setDefaultTimeout(WAIT);
    guest = await launchBrowser({ viewport: { width: 390, height: 844 } });
    guest.context.setDefaultTimeout(WAIT);
    page = await signIn(office.context, hub.url, OFFICE, '/office/customers');
  });

  after(async () => {
    await guest?.close();
    await office?.close();
    await mail?.stop();
  });

  /// Opens the card of the customer `name` (surname first, as listed).
  const openCard = async (name) => {
    await page.goto(`${hub.url}/office/customers`);
    await page.fill('input[name=q]', name);
    const row = page.locator('#customers-table tbody tr', { hasText: name });
    await row.waitFor({ state: 'visible' });
    await Promise.all([page.waitForURL((u) => /^\/office\/customers\/[0-9a-f-]{36}$/.test(u.pathname)), row.locator('a.customer-link').click()]);
    await page.locator('#consent-email').waitFor({ state: 'visible' });
  };

  test('a campaign goes to the consenting, with a link that unsubscribes without login', async () => {
    // Two customers of one town, both consenting to e-mail.
    const stamp = Date.now();
    const emails = [`alena.${stamp}@example.cz`, `bohdan.${stamp}@example.cz`];
    await page.click('#import-customers summary');
    const csv = 'prijmeni;jmeno;telefon;email;obec\n'
      + `Kampaňová;Alena;608 401 001;${emails[0]};Kampanice\n`
      + `Kampaňový;Bohdan;608 401 002;${emails[1]};Kampanice\n`;
    await page.setInputFiles('#import-form input[type=file]', { name: 'kampan.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await Promise.all([page.waitForURL((u) => u.pathname === '/customers/import'), page.click('#import-form button[type=submit]')]);
    assert.equal((await page.innerText('#imported')).trim(), '2');
    const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Prague' });
    for (const name of ['Kampaňová Alena', 'Kampaňový Bohdan']) {
      await openCard(name);
      await page.selectOption('#consent-form select[name=channel]', 'email');
      await page.selectOption('#consent-form select[name=granted]', 'yes');
      await page.fill('#consent-form input[name=given_on]', today);
      await page.fill('#consent-form input[name=place]', 'Prodejna Kampanice');
      await page.click('#consent-form button[type=submit]');
      await page.locator('#consent-email', { hasText: 'souhlasí' }).waitFor({ state: 'visible' });
    }
    await page.goto(`${hub.url}/office/segments`);
    await page.fill('#segment-form input[name=name]', 'Kampanice');
    await page.fill('#segment-form input[name=town]', 'kampanice');
    await page.locator('#live-count-n', { hasText: /^2$/ }).waitFor({ state: 'visible' });
    await page.click('#save-segment');
    await page.locator('tr.segment-row[data-name="Kampanice"]').waitFor({ state: 'visible' });

    // The draft: an unknown variable is refused and the text kept.
    await page.goto(`${hub.url}/office/campaigns`);
    await page.locator('#campaign-form').waitFor({ state: 'visible' });
    await page.fill('#campaign-name', 'Zimní kolekce – Kampanice');
    await page.selectOption('#campaign-segment', { label: 'Kampanice' });
    await page.fill('#campaign-subject', '{first_name}, nová kolekce');
    await page.fill('#campaign-body', 'Dobrý den, {jmeno},\n\nmáme pro vás nové obruby.');
    await page.fill('#campaign-rate', '3600');
    await page.fill('#campaign-holdout', '0');
    await page.click('#campaign-save');
    await page.locator('.alert', { hasText: 'Neznámá proměnná {jmeno}' }).waitFor({ state: 'visible' });
    assert.match(await page.inputValue('#campaign-body'), /\{jmeno\}/);
    await page.fill('#campaign-body', 'Dobrý den, {first_name} {last_name},\n\nmáme pro vás nové obruby.');
    await page.click('#campaign-save');
    await page.locator('.alert', { hasText: 'Koncept uložen' }).waitFor({ state: 'visible' });
    const row = page.locator('tr.campaign-draft[data-name="Zimní kolekce – Kampanice"]');
    await row.waitFor({ state: 'visible' });
    await shot(page, 'office-campaigns');

    // The card: the preview with its footer, the audience; the launch, asked twice.
    await Promise.all([page.waitForURL((u) => u.pathname.startsWith('/office/campaigns/')), row.locator('a.campaign-link').click()]);
    await page.locator('#campaign-preview', { hasText: 'Odhlásit se můžete jedním kliknutím' }).waitFor({ state: 'visible' });
    await page.locator('#campaign-audience-count', { hasText: /^2$/ }).waitFor({ state: 'visible' });
    await shot(page, 'office-campaign-draft');
    await page.click('#campaign-launch');
    await page.click('#campaign-launch-confirm');
    await page.locator('#campaign-state', { hasText: 'spuštěná' }).waitFor({ state: 'visible' });
    await page.locator('.alert', { hasText: 'Spuštěno: 2 zpráv odejde, 0 zákazníků v kontrolní skupině' }).waitFor({ state: 'visible' });

    // Both e-mails arrive (the job sends every 15 s), each with its own link.
    await poll(async () => (await Promise.all(emails.map((e) => mailsTo(mailDir, e)))).every((m) => m.length === 1),
      { timeoutMs: WAIT, intervalMs: 500, message: 'one e-mail to each customer' });
    const links = [];
    for (const e of emails) {
      const [raw] = await mailsTo(mailDir, e);
      const header = raw.match(/^List-Unsubscribe: <([^>]+)>/m);
      assert.ok(header, 'the List-Unsubscribe header');
      assert.match(raw, /^List-Unsubscribe-Post: List-Unsubscribe=One-Click/m);
      links.push(header[1]);
    }
    assert.notEqual(links[0], links[1]);
    const alena = links[0].replace(/^https?:\/\/[^/]+/, hub.url);

    // Alena unsubscribes on her phone, no login: the page asks, then confirms.
    const phone = await guest.context.newPage();
    await phone.goto(alena);
    await phone.locator('#unsubscribe-address', { hasText: /^al…@example\.cz$/ }).waitFor();
    await shot(phone, 'public-unsubscribe');
    await phone.click('#unsubscribe-confirm');
    await phone.locator('#unsubscribe-done', { hasText: 'vám už posílat nebudeme' }).waitFor();
    await shot(phone, 'public-unsubscribed');
    await phone.goto(alena);
    await phone.locator('#unsubscribe-done', { hasText: 'už odhlášený' }).waitFor();

    // The office sees it: the campaign's numbers and effect; her consent withdrawn.
    await page.reload();
    await page.locator('#campaign-sent', { hasText: /^2$/ }).waitFor({ state: 'visible' });
    await page.locator('#campaign-unsubscribed', { hasText: /^1$/ }).waitFor({ state: 'visible' });
    assert.equal((await page.innerText('#effect-sent .members')).trim(), '2');
    assert.match(await page.innerText('#campaign-uplift'), /Bez kontrolní skupiny/);
    await shot(page, 'office-campaign-launched');
    await openCard('Kampaňová Alena');
    await page.locator('#consent-email', { hasText: 'odvolán' }).waitFor({ state: 'visible' });

    // Her messages are to be in English from now on.
    assert.equal((await page.innerText('#customer-lang-value')).trim(), 'čeština');
    await page.selectOption('#customer-lang-select', 'en');
    await page.click('#customer-lang-save');
    await page.locator('#customer-lang-value', { hasText: 'English' }).waitFor({ state: 'visible' });
  });
});
