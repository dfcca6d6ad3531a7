// Helpers for the adviser's app in the browser: the LiveView preview of the phone
// app next to the hub binary, and the office's CLI against a hub's data folder.

import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { FIELDCASE_BIN, launchBrowser, poll, startHub } from './hub.mjs';

const run = promisify(execFile);

/** The phone app's binary: $FIELDCASE_MOBILE_BIN, else next to the hub's. */
export const MOBILE_BIN = process.env.FIELDCASE_MOBILE_BIN || join(dirname(FIELDCASE_BIN), 'fieldcase-mobile');

/** Starts the preview on a free port with its own data folder. */
export async function startPreview(extra = []) {
  const dir = await mkdtemp(join(tmpdir(), 'fieldcase-phone-'));
  const child = spawn(MOBILE_BIN, ['preview', '--dir', dir, '--listen', '127.0.0.1:0', ...extra], {
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
  return { url, dir, stop };
}

/** The office CLI against the hub's data folder. */
export async function cli(hub, ...args) {
  const { stdout } = await run(FIELDCASE_BIN, ['--data-dir', hub.dataDir, ...args]);
  return stdout.trim();
}


/**
 * Enrols the preview as `adviser` (a code from the office's CLI, issued by `by`) in
 * a new phone-sized page of `browser`; resolves when the Today screen shows.
 */
export async function enrolPhone(browser, hub, preview, adviser, by) {
  const code = await cli(hub, 'device', 'code', '--adviser', adviser, '--by', by);
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(preview.url);
  await page.fill('#hub', hub.url);
  await page.fill('#code', code);
  await page.click('button[type=submit]');
  await page.locator('h1', { hasText: 'Dnes' }).waitFor();
  return page;
}

/**
 * A suite's field: a demo hub, `previews` phone previews and an office-sized
 * browser whose pages wait up to `wait` ms; `stop()` ends them all.
 */
export async function startField({ previews = 1, wait = 30_000 } = {}) {
  const hub = await startHub();
  const phones = await Promise.all(Array.from({ length: previews }, () => startPreview()));
  const browser = await launchBrowser({ viewport: { width: 1366, height: 900 } });
  browser.context.setDefaultTimeout(wait);
  const stop = async () => {
    await browser.close();
    await Promise.all(phones.map((p) => p.stop()));
    await hub.stop();
  };
  return { hub, previews: phones, browser, stop };
}
