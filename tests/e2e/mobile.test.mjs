// The adviser's app in a phone-sized browser (390×844), over the LiveView preview:
// enrol with a code the office issued, lose the signal, add a client, find it with
// the search, and see the waiting change drain once back online — the client then
// shows in the office's projection.

import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { FIELDCASE_BIN, launchBrowser, poll, shot, startHub } from './lib/hub.mjs';

const run = promisify(execFile);
const MOBILE_BIN = process.env.FIELDCASE_MOBILE_BIN || join(dirname(FIELDCASE_BIN), 'fieldcase-mobile');
const WAIT = 20_000;

/** Starts the preview on a free port with its own data folder. */
async function startPreview() {
  const dir = await mkdtemp(join(tmpdir(), 'fieldcase-phone-'));
  const child = spawn(MOBILE_BIN, ['preview', '--dir', dir, '--listen', '127.0.0.1:0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (c) => { out += c; });
  child.stderr.on('data', () => {});
  const url = await poll(() => /preview: (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1], {
    timeoutMs: 30_000,
    message: 'the preview to print its address',
  });
  const stop = async () => {
    child.kill('SIGTERM');
    await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
    await rm(dir, { recursive: true, force: true });
  };
  return { url, stop };
}

describe('adviser app: preview at phone size', { concurrency: false }, () => {
  let hub;
  let preview;
  let browser;
  let page;

  before(async () => {
    hub = await startHub();
    preview = await startPreview();
    browser = await launchBrowser({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    browser.context.setDefaultTimeout(WAIT);
    page = await browser.context.newPage();
  });

  after(async () => {
    await browser?.close();
    await preview?.stop();
    await hub?.stop();
  });

  test('enrol, add a client offline, sync when back online', async () => {
    const { stdout } = await run(FIELDCASE_BIN, [
      '--data-dir', hub.dataDir, 'device', 'code', '--adviser', 'P0001', '--by', 'kancelar@demo.fieldcase.cz',
    ]);
    const code = stdout.trim();
    assert.match(code, /\S{6,}/, 'the office issued a code');

    await page.goto(preview.url);
    await page.locator('h1', { hasText: 'Připojení zařízení' }).waitFor();
    await shot(page, 'phone-enrol');
    await page.click('button[type=submit]');
    await page.locator('.error', { hasText: 'Vyplňte adresu centrály i kód' }).waitFor();
    await page.fill('#hub', hub.url);
    await page.fill('#code', code);
    await page.click('button[type=submit]');
    await page.locator('#status .state', { hasText: 'Online' }).waitFor();

    // Lose the signal, then work.
    await page.click('#toggle-online');
    await page.locator('#status .state', { hasText: 'Offline' }).waitFor();
    await page.fill('#first_name', 'Božena');
    await page.fill('#last_name', 'Terénní');
    await page.fill('#phone', '+420 601 222 333');
    await page.fill('#city', 'Třebíč');
    await page.click('#new-client button[type=submit]');
    await page.locator('.client .name', { hasText: 'Terénní Božena' }).waitFor();
    await page.locator('#status .pending', { hasText: 'Čeká: 1' }).waitFor();
    assert.equal(await page.inputValue('#last_name'), '', 'the form is empty for the next client');
    await page.fill('#search', 'trebic');
    await page.locator('.client .name', { hasText: 'Terénní Božena' }).waitFor();
    await shot(page, 'phone-clients-offline');

    // Touch targets and width at 390 px.
    const small = await page.$$eval('button, input', (els) =>
      els.filter((e) => e.getBoundingClientRect().height < 44).map((e) => e.id || e.outerHTML.slice(0, 60)));
    assert.deepEqual(small, [], 'every control is at least 44 px tall');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    assert.equal(overflow, false, 'nothing wider than the phone');

    // Back online: the waiting change drains and the office has the client.
    await page.click('#toggle-online');
    await page.locator('#status .pending', { hasText: 'Čeká: 0' }).waitFor();
    await shot(page, 'phone-clients-synced');
    await poll(async () => {
      const { stdout: rows } = await run(FIELDCASE_BIN, ['--data-dir', hub.dataDir, 'projection', '--adviser', 'P0001']);
      return rows.includes('Terénní');
    }, { timeoutMs: WAIT, message: 'the client in the office projection' });
  });
});
