// The lab board and the job sheet (issue 11, point 5): the lab moves an order across
// the board and is refused an office-only move (the hub says who may); old orders
// are red with their days in state; a scanned order number (typed text + Enter)
// opens the order; the job sheet's PDF, made by the hub, holds the prescription
// (read back with pdftotext).

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, shot, signIn, startHub } from './lib/hub.mjs';

const LAB = 'laborator@demo.fieldcase.cz';
const WAIT = 20_000;

describe('office: the lab board and the job sheet', { concurrency: false }, () => {
  let hub;
  let browser;
  let page;

  before(async () => {
    hub = await startHub();
    browser = await launchBrowser({ viewport: { width: 1500, height: 1000 } });
    browser.context.setDefaultTimeout(WAIT);
    page = await signIn(browser.context, hub.url, LAB, '/office/lab');
  });

  after(async () => {
    await browser?.close();
    await hub?.stop();
  });

  const column = (status) => page.locator(`.board-col[data-status=${status}]`);

  test('the lab moves an order across the board and is refused an office-only move', async () => {
    await column('confirmed').locator('.board-card').first().waitFor({ state: 'visible' });
    const card = column('confirmed').locator('.board-card').first();
    const vs = await card.getAttribute('data-vs');
    const count = async (status) => Number((await column(status).locator('.count').innerText()).trim());
    const [confirmedBefore, inLabBefore] = [await count('confirmed'), await count('in_lab')];

    // Cancelling is the office's: refused, with who may, and the order stays.
    await card.locator('input[type=checkbox]').check();
    await page.selectOption('#bulk-form select[name=to]', 'cancelled');
    await page.click('#bulk-form button[type=submit]');
    await page.locator('.alert-error', { hasText: 'Nepřesunuto: 1' }).waitFor({ state: 'visible' });
    assert.match(await page.locator('.alert-error').innerText(), /nesmí změnit stav z „Potvrzeno“ na „Zrušeno“; smí: .*Kancelář/);
    await column('confirmed').locator(`.board-card[data-vs="${vs}"]`).waitFor({ state: 'visible' });

    // Into the lab: allowed; it leaves one column for the next, the counts follow.
    await column('confirmed').locator(`.board-card[data-vs="${vs}"] input[type=checkbox]`).check();
    await page.selectOption('#bulk-form select[name=to]', 'in_lab');
    await page.click('#bulk-form button[type=submit]');
    await page.locator('.alert-ok', { hasText: 'Přesunuto: 1 → „V laboratoři“.' }).waitFor({ state: 'visible' });
    const moved = column('in_lab').locator(`.board-card[data-vs="${vs}"]`);
    await moved.waitFor({ state: 'visible' });
    assert.equal(await count('confirmed'), confirmedBefore - 1);
    assert.equal(await count('in_lab'), inLabBefore + 1);
    // Just moved: zero days in state, not overdue; demo orders waiting for days are red.
    assert.match(await moved.locator('.days').innerText(), /: 0$/);
    assert.equal(await moved.evaluate((el) => el.classList.contains('overdue')), false);
    const late = page.locator('.board-card.overdue').first();
    await late.waitFor({ state: 'visible' });
    assert.ok(Number((await late.locator('.days').innerText()).split(': ')[1]) > 3, 'overdue means over 3 days');
    await shot(page, 'lab-board');
  });

  test('a scanned order number opens the order; its job sheet PDF holds the prescription', async () => {
    await page.goto(`${hub.url}/office/lab`);
    const vs = await column('in_lab').locator('.board-card').first().getAttribute('data-vs');
    // A keyboard-wedge scanner types the number and Enter.
    await page.locator('#scan').pressSequentially(vs);
    await Promise.all([page.waitForURL((u) => u.pathname.startsWith('/office/orders/')), page.keyboard.press('Enter')]);
    await page.locator('#order-vs', { hasText: vs }).waitFor({ state: 'visible' });
    const od = await page.locator('#order-prescription tr.eye-OD td').allInnerTexts();
    assert.ok(od.length >= 2, 'the card shows the right eye');
    const [sph, cyl] = od.map((t) => t.trim());

    // An unknown number: a message, no navigation.
    await page.goto(`${hub.url}/office/lab`);
    await page.locator('#scan').fill('9999999999');
    await page.keyboard.press('Enter');
    await page.locator('.alert-error', { hasText: 'neexistuje' }).waitFor({ state: 'visible' });

    await page.goto(`${hub.url}/office/lab`);
    await page.locator('#scan').fill(vs);
    await Promise.all([page.waitForURL((u) => u.pathname.startsWith('/office/orders/')), page.keyboard.press('Enter')]);
    const href = await page.locator('#job-sheet-pdf').getAttribute('href');
    const res = await page.request.get(`${hub.url}${href}`);
    assert.equal(res.status(), 200);
    assert.equal(res.headers()['content-type'], 'application/pdf');
    const dir = await mkdtemp(join(tmpdir(), 'fieldcase-sheet-'));
    try {
      const file = join(dir, 'sheet.pdf');
      await writeFile(file, await res.body());
      const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
      assert.match(text, new RegExp(`Zakázkový list ${vs}`));
      const od = text.split('\n').find((l) => /^\s*OD\s/.test(l));
      assert.ok(od, `a line for the right eye in:\n${text}`);
      assert.ok(od.includes(sph) && od.includes(cyl), `SPH ${sph} and CYL ${cyl} in ${od}`);
      assert.match(text, /OS\s/);
      assert.match(text, /Obruba/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    // The print view shows the same, with the QR code.
    await page.goto(`${hub.url}/lab/sheet/${href.split('/')[3]}`);
    await page.locator('#sheet-rx').waitFor({ state: 'visible' });
    await page.locator('#sheet-qr svg').waitFor({ state: 'visible' });
    await shot(page, 'job-sheet');
    // Without a session: sent to sign in, nothing shown.
    const anon = await fetch(`${hub.url}${href}`, { redirect: 'manual' });
    assert.equal(anon.status, 303);
  });
});
