// Helpers for the browser end-to-end tests: start a demo hub on an ephemeral port,
// launch the system Chromium through playwright-core, and save screenshots.

import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));

/** The repository root: two levels above tests/e2e. */
export const REPO_ROOT = resolve(here, '..', '..', '..');

/** Where screenshots go. */
export const ARTIFACTS_DIR = join(REPO_ROOT, 'target', 'e2e-artifacts');

/** The hub binary: $FIELDCASE_BIN, else the debug build in the target folder. */
export const FIELDCASE_BIN =
  process.env.FIELDCASE_BIN ||
  join(process.env.CARGO_TARGET_DIR || join(REPO_ROOT, 'target'), 'debug', 'fieldcase');

const BANNER = /fieldcase demo hub: (http:\/\/127\.0\.0\.1:\d+)/;

/**
 * Starts `fieldcase demo --small` in a fresh data dir on 127.0.0.1:0, waits for the
 * banner's URL and then for GET /readyz to answer 200. To restart a stopped hub,
 * pass its `dataDir` and `listen` address (the port it had, so phones find it
 * again) and stop the first one with `stop({ keepData: true })`.
 *
 * @param {{ timeoutMs?: number, dataDir?: string, listen?: string }} [opts]
 * @returns {Promise<{ url: string, dataDir: string, output: () => string, stop: (o?: { keepData?: boolean }) => Promise<void> }>}
 */
export async function startHub({ timeoutMs = 60_000, dataDir: reuse, listen = '127.0.0.1:0' } = {}) {
  const dataDir = reuse || (await mkdtemp(join(tmpdir(), 'fieldcase-e2e-')));
  const child = spawn(FIELDCASE_BIN, ['--data-dir', dataDir, '--listen', listen, 'demo', '--small'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });

  let stdout = '';
  let stderr = '';
  let exited = null; // { code, signal } once the process is gone
  let spawnError = null;
  const exitPromise = new Promise((resolveExit) => {
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      resolveExit(exited);
    });
    child.once('error', (err) => {
      spawnError = err;
      exited = exited || { code: null, signal: null };
      resolveExit(exited);
    });
  });
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (chunk) => { stdout += chunk; });
  // Keep the tail of the log only, for error messages.
  child.stderr.on('data', (chunk) => { stderr = (stderr + chunk).slice(-20_000); });
  const output = () => `--- stdout ---\n${stdout}\n--- stderr (tail) ---\n${stderr}`;

  let stopped = false;
  const stop = async ({ keepData = false } = {}) => {
    if (stopped) return;
    stopped = true;
    if (!exited) {
      child.kill('SIGTERM');
      const gone = await Promise.race([exitPromise, delay(15_000).then(() => null)]);
      if (!gone) {
        child.kill('SIGKILL');
        await exitPromise;
      }
    }
    if (!keepData) await rm(dataDir, { recursive: true, force: true });
  };

  try {
    const deadline = Date.now() + timeoutMs;
    let url = null;
    // Poll the piped stdout for the banner line.
    while (!url) {
      if (spawnError) throw new Error(`could not start ${FIELDCASE_BIN}: ${spawnError.message}`);
      if (exited) throw new Error(`the hub exited early (${JSON.stringify(exited)})\n${output()}`);
      if (Date.now() > deadline) throw new Error(`no "fieldcase demo hub:" banner within ${timeoutMs} ms\n${output()}`);
      const m = BANNER.exec(stdout);
      if (m) url = m[1];
      else await delay(50);
    }
    // Then poll /readyz until the hub says it is ready.
    for (;;) {
      if (exited) throw new Error(`the hub exited before it was ready (${JSON.stringify(exited)})\n${output()}`);
      if (Date.now() > deadline) throw new Error(`${url}/readyz did not answer 200 within ${timeoutMs} ms\n${output()}`);
      try {
        const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2_000) });
        await res.arrayBuffer();
        if (res.status === 200) break;
      } catch {
        // not listening yet
      }
      await delay(100);
    }
    return { url, dataDir, output, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** The Chromium flags used for every test browser. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Launches the system Chromium ($CHROMIUM or /usr/bin/chromium) with a fresh,
 * temporary profile.
 *
 * @param {import('playwright-core').BrowserContextOptions} [contextOptions]
 * @returns {Promise<{ context: import('playwright-core').BrowserContext, close: () => Promise<void> }>}
 */
export async function launchBrowser(contextOptions = {}) {
  const profile = await mkdtemp(join(tmpdir(), 'fieldcase-e2e-chromium-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1366, height: 900 },
      locale: 'cs-CZ',
      timezoneId: 'Europe/Prague',
      ...contextOptions,
    });
  } catch (err) {
    await rm(profile, { recursive: true, force: true });
    throw err;
  }
  const close = async () => {
    try {
      await context.close();
    } finally {
      await rm(profile, { recursive: true, force: true });
    }
  };
  return { context, close };
}

/**
 * Saves a full-page PNG screenshot to <repo>/target/e2e-artifacts/<name>.png.
 *
 * @param {import('playwright-core').Page} page
 * @param {string} name
 * @returns {Promise<string>} the file written
 */
export async function shot(page, name) {
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  const path = join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * Polls `fn` until it returns a truthy value (returned), or throws after `timeoutMs`
 * with the last value/error in the message.
 *
 * @template T
 * @param {() => Promise<T> | T} fn
 * @param {{ timeoutMs?: number, intervalMs?: number, message?: string | (() => string) }} [opts]
 * @returns {Promise<T>}
 */
export async function poll(fn, { timeoutMs = 15_000, intervalMs = 100, message = 'condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      last = await fn();
      if (last) return last;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      const what = typeof message === 'function' ? message() : message;
      throw new Error(`timed out waiting for ${what}; last: ${last}`);
    }
    await delay(intervalMs);
  }
}

function delay(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * Opens a new page in `context`, signs in as `email` (the demo password) and waits
 * until the hub has sent the browser on to `next`.
 *
 * @param {import('playwright-core').BrowserContext} context
 * @param {string} url the hub
 * @param {string} email
 * @param {string} next a path, e.g. /office/orders
 * @returns {Promise<import('playwright-core').Page>}
 */
export async function signIn(context, url, email, next) {
  const page = await context.newPage();
  await page.goto(`${url}/login?next=${next}`);
  await page.fill('input[name=email]', email);
  await page.fill('input[name=password]', 'fieldcase-demo');
  await Promise.all([page.waitForURL((u) => u.pathname === next), page.click('button[type=submit]')]);
  return page;
}

/**
 * The PDF at `url` (fetched with the page's session), kept as `name` among the
 * artifacts to be looked at, and read back with poppler: its text (`pdftotext
 * -layout`) and its `pdfinfo`. Fails unless it is a PDF.
 */
export async function pdfText(page, url, name) {
  const response = await page.request.get(url);
  if (response.status() !== 200 || response.headers()['content-type'] !== 'application/pdf') {
    throw new Error(`${url}: ${response.status()} ${response.headers()['content-type']}`);
  }
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  const file = join(ARTIFACTS_DIR, name);
  await writeFile(file, await response.body());
  const text = spawnSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  if (text.status !== 0) throw new Error(`pdftotext ${file}: ${text.stderr}`);
  const info = spawnSync('pdfinfo', [file], { encoding: 'utf8' });
  return { text: text.stdout, info: info.stdout };
}
