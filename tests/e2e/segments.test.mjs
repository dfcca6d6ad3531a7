// Segments (issue 12, point 3): the office saves a segment whose count follows the
// filter as it is typed, and exports its e-mails as CSV; the file lists only the
// customers who consent to e-mail now (not the one who withdrew, not the one who
// never gave it); the Customers page lists the segment's customers. A store may not
// open the page.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, shot, signIn, startHub } from './lib/hub.mjs';

const OFFICE = 'kancelar@demo.fieldcase.cz';
const WAIT = 20_000;

/// yyyy-mm-dd of `days` ago, in Prague (the browser's zone).
const dayAgo = (days) => new Date(Date.now() - days * 86_400_000).toLocaleDateString('sv-SE', { timeZone: 'Europe/Prague' });

describe('office: segments', { concurrency: false }, () => {
  let hub;
  let browser;
  let page;

  before(async () => {
    hub = await startHub();
    browser = await launchBrowser({ viewport: { width: 1366, height: 900 } });
    browser.context.setDefaultTimeout(WAIT);
    page = await signIn(browser.context, hub.url, OFFICE, '/office/customers');
  });

  after(async () => {
    await browser?.close();
    await hub?.stop();
  });

  /// Records a consent on the open customer's card.
  const consent = async (granted, day) => {
    await page.selectOption('#consent-form select[name=channel]', 'email');
    await page.selectOption('#consent-form select[name=granted]', granted ? 'yes' : 'no');
    await page.fill('#consent-form input[name=given_on]', day);
    await page.fill('#consent-form input[name=place]', 'Prodejna Segmentice');
    await page.click('#consent-form button[type=submit]');
  };

  /// Opens the card of the customer `name` (surname first, as listed).
  const openCard = async (name) => {
    await page.goto(`${hub.url}/office/customers`);
    await page.fill('input[name=q]', name);
    const row = page.locator('#customers-table tbody tr', { hasText: name });
    await row.waitFor({ state: 'visible' });
    await Promise.all([page.waitForURL((u) => /^\/office\/customers\/[0-9a-f-]{36}$/.test(u.pathname)), row.locator('a.customer-link').click()]);
    await page.locator('#consent-email').waitFor({ state: 'visible' });
  };

  test('a segment counts as it is typed and its CSV lists only who consents to e-mail', async () => {
    // Three customers of one town: Alena consents, Blanka withdrew, Cecílie never gave it.
    await page.click('#import-customers summary');
    const csv = 'prijmeni;jmeno;telefon;email;obec\n'
      + 'Segmentová;Alena;608 301 001;alena.segment@example.cz;Segmentice\n'
      + 'Segmentová;Blanka;608 301 002;blanka.segment@example.cz;Segmentice\n'
      + 'Segmentová;Cecílie;608 301 003;cecilie.segment@example.cz;Segmentice\n';
    await page.setInputFiles('#import-form input[type=file]', { name: 'segment.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await Promise.all([page.waitForURL((u) => u.pathname === '/customers/import'), page.click('#import-form button[type=submit]')]);
    assert.equal((await page.innerText('#imported')).trim(), '3');

    await openCard('Segmentová Alena');
    await consent(true, dayAgo(0));
    await page.locator('#consent-email', { hasText: 'souhlasí' }).waitFor({ state: 'visible' });
    await openCard('Segmentová Blanka');
    await consent(true, dayAgo(3));
    await page.locator('#consent-email', { hasText: 'souhlasí' }).waitFor({ state: 'visible' });
    await consent(false, dayAgo(0));
    await page.locator('#consent-email', { hasText: 'odvolán' }).waitFor({ state: 'visible' });

    // The segment: the count follows what is typed.
    await page.goto(`${hub.url}/office/segments`);
    await page.locator('#segment-form').waitFor({ state: 'visible' });
    await page.fill('#segment-form input[name=name]', 'Segmentice – všichni');
    await page.fill('#segment-form input[name=town]', 'segmentice');
    await page.locator('#live-count-n', { hasText: /^3$/ }).waitFor({ state: 'visible' });
    await page.selectOption('#segment-form select[name=email]', 'yes');
    await page.locator('#live-count-n', { hasText: /^1$/ }).waitFor({ state: 'visible' });
    await page.selectOption('#segment-form select[name=email]', '');
    await page.locator('#live-count-n', { hasText: /^3$/ }).waitFor({ state: 'visible' });
    // A bad criterion says why and is not saved.
    await page.fill('#segment-form input[name=postal]', '7a');
    await page.locator('#live-count-error', { hasText: 'Začátek PSČ' }).waitFor({ state: 'visible' });
    await page.fill('#segment-form input[name=postal]', '');
    await page.locator('#live-count-n', { hasText: /^3$/ }).waitFor({ state: 'visible' });
    await page.click('#save-segment');
    await page.locator('.alert', { hasText: 'je uložen' }).waitFor({ state: 'visible' });
    const row = page.locator('tr.segment-row[data-name="Segmentice – všichni"]');
    await row.waitFor({ state: 'visible' });
    assert.equal((await row.locator('.segment-count').innerText()).trim(), '3');
    assert.match(await row.innerText(), /obec segmentice/);
    await shot(page, 'segments');

    // The export of e-mails: Alena only.
    const [download] = await Promise.all([page.waitForEvent('download'), row.locator('a.export-email-csv').click()]);
    assert.match(download.suggestedFilename(), /^segmentice-vsichni-email-\d{4}-\d{2}-\d{2}\.csv$/);
    const text = (await readFile(await download.path())).toString('utf8');
    assert.equal(text, '\u{feff}first_name;last_name;email;town\nAlena;Segmentová;alena.segment@example.cz;Segmentice\n');

    // The Customers page lists the segment's customers.
    await page.goto(`${hub.url}/office/customers`);
    await page.locator('#customers-table tbody tr').first().waitFor({ state: 'visible' });
    await page.selectOption('select[name=segment]', { label: 'Segmentice – všichni' });
    await page.locator('#customer-count', { hasText: /^3 zákazníci$/ }).waitFor({ state: 'visible' });
    const names = await page.locator('#customers-table tbody a.customer-link').allInnerTexts();
    assert.deepEqual(names.map((n) => n.trim()).sort(), ['Segmentová Alena', 'Segmentová Blanka', 'Segmentová Cecílie']);
  });

  test('a store may not open segments', async () => {
    await browser.context.clearCookies();
    const store = await signIn(browser.context, hub.url, 'prodejna@demo.fieldcase.cz', '/office/segments');
    assert.equal(await store.locator('#segment-form').count(), 0);
    assert.equal(await store.locator('nav.sidebar a.nav-link', { hasText: 'Segmenty' }).count(), 0);
    const answer = await store.request.get(`${hub.url}/customers/segments/00000000-0000-0000-0000-000000000000/export`);
    assert.equal(answer.status(), 403);
    await store.close();
  });
});
