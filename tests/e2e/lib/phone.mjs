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
  // The last few kilobytes of its log, for a failing test to show.
  let log = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (c) => { log = (log + c).slice(-8_000); });
  const url = await poll(() => /preview: (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1], {
    timeoutMs: 30_000,
    message: 'the preview to print its address',
  });
  const stop = async () => {
    child.kill('SIGTERM');
    await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
    await rm(dir, { recursive: true, force: true });
  };
  return { url, dir, stop, log: () => log };
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

// The administrator's way from any status of a demo order toward "ready for pickup".
const TOWARD_PICKUP = {
  intake: 'confirmed', confirmed: 'in_lab', lenses_ordered: 'in_lab', in_lab: 'quality_check',
  quality_check: 'ready_for_pickup', ready_for_pickup: 'delivered', shipped: 'delivered',
  delivered: 'complaint', closed: 'complaint', complaint: 'in_lab',
};

/** The VS of the first client's first order that is not cancelled, on the phone. */
export async function firstOrderOnPhone(page) {
  await page.click('#tab-clients');
  await page.locator('#client-list .item.client').first().click();
  const orderButton = page.locator('#orders .order').filter({ hasNotText: 'Zrušeno' }).first();
  await orderButton.waitFor({ state: 'visible' });
  return (await orderButton.locator('.name').innerText()).match(/VS (\d+)/)[1];
}

/** Opens the card of order `vs` from the office's list; the adviser's name the list shows. */
export async function openOrderCard(office, vs) {
  await office.fill('input[name=q]', vs);
  const row = office.locator('#orders-table tbody tr', { hasText: vs });
  await row.waitFor({ state: 'visible' });
  const adviser = (await row.locator('td').nth(1).locator('.muted').innerText()).trim();
  await Promise.all([office.waitForURL((u) => u.pathname.startsWith('/office/orders/')), row.locator('a.order-link').click()]);
  return adviser;
}

/** Moves the open order card (as the administrator) until its status is `target`. */
export async function moveOrderTo(office, target) {
  const code = async () => (await office.locator('#order-status').getAttribute('class')).match(/status-([a-z_]+)/)[1];
  for (let step = 0; step < 6 && (await code()) !== target; step += 1) {
    const to = TOWARD_PICKUP[await code()];
    await office.click(`#status-moves button[data-to=${to}]`);
    await office.locator(`#order-status.status-${to}`).waitFor({ state: 'visible' });
  }
  await office.locator(`#order-status.status-${target}`).waitFor({ state: 'visible' });
}
