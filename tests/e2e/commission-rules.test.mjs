// Issue 14, slice 1: accounting writes commission rules on their page (the
// demo's own rules are listed). A rule for contact lenses (10 % from 1 January
// until 1 July) is saved; an overlapping one is refused with the field and
// reason, nothing saved; the rule's next version (11,5 %) replaces it in the
// list; an adviser's level with their team lead is set. The office reads the
// page without the form.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, shot, signIn, startHub } from './lib/hub.mjs';

const ACCOUNTING = 'ucetni@demo.fieldcase.cz';
const OFFICE = 'kancelar@demo.fieldcase.cz';
const WAIT = 20_000;

describe('commission: the rules page', { concurrency: false }, () => {
  let hub;
  let browser;

  before(async () => {
    hub = await startHub();
    browser = await launchBrowser({ viewport: { width: 1366, height: 900 } });
    browser.context.setDefaultTimeout(WAIT);
  });

  after(async () => {
    await browser?.close();
    await hub?.stop();
  });

  test('a rule, an overlapping one refused, a new version', async () => {
    const page = await signIn(browser.context, hub.url, ACCOUNTING, '/office/commission-rules');
    // The demo's own rules are listed (none for contact lenses).
    const rows = page.locator('#rules-table tr.rule');
    await rows.first().waitFor();
    const demo = await rows.count();
    await page.selectOption('#rule-group', 'contact_lens');
    await page.fill('#rule-rate', '10');
    await page.fill('#rule-from', '2026-01-01');
    await page.fill('#rule-to', '2026-07-01');
    await page.click('#rule-save');
    await page.locator('.alert-ok', { hasText: 'Pravidlo uloženo (verze 1)' }).waitFor();
    const row = page.locator('#rules-table tr.rule', { hasText: '2026-07-01' });
    await row.first().waitFor();
    assert.equal(await row.count(), 1);
    assert.equal(await rows.count(), demo + 1);
    assert.match(await row.first().innerText(), /10,00 %/);

    // Overlapping contact lenses from June: refused, nothing saved.
    await page.selectOption('#rule-group', 'contact_lens');
    await page.fill('#rule-rate', '8');
    await page.fill('#rule-from', '2026-06-01');
    await page.click('#rule-save');
    await page.locator('.alert-error', { hasText: 'valid_from' }).waitFor();
    assert.equal(await rows.count(), demo + 1);

    // The next version.
    await row.first().locator('.rule-version').click();
    await page.locator('#rule-form h2', { hasText: 'Nová verze' }).waitFor();
    await page.fill('#rule-rate', '11,5');
    await page.click('#rule-save');
    await page.locator('.alert-ok', { hasText: 'verze 2' }).waitFor();
    await page.locator('#rules-table tr.rule', { hasText: '11,50 %' }).waitFor();
    assert.equal(await rows.count(), demo + 1);
    assert.match(await row.first().innerText(), /v2/);
    await shot(page, 'commission-rules');

    // An adviser's level: an unknown team lead refused, then set.
    await page.fill('#level-adviser', 'P0012');
    await page.selectOption('#level-level', 'senior');
    await page.fill('#level-lead', 'P9999');
    await page.fill('#level-from', '2026-12-01');
    await page.click('#level-save');
    await page.locator('#adviser-levels .alert-error', { hasText: 'lead' }).waitFor();
    await page.fill('#level-lead', 'P0001');
    await page.click('#level-save');
    await page.locator('#adviser-levels .alert-ok', { hasText: 'Úroveň nastavena' }).waitFor();
    await page.locator('#levels-table tr.level[data-adviser=P0012]', { hasText: 'P0001' }).waitFor();

    await browser.context.clearCookies();
    const office = await signIn(browser.context, hub.url, OFFICE, '/office/commission-rules');
    await office.locator('#rules-table tr.rule').first().waitFor();
    assert.equal(await office.locator('#rule-form').count(), 0, 'the office only reads');
  });
});
