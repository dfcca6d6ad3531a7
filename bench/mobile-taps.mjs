// Taps for the adviser's most common job in the app: a new client, their
// prescription and a glasses order, done the shortest way in the phone-sized
// preview (Chromium, 390×844). Target (issue 5): fewer than 25 taps.
//
// A tap is a click or a focus of a field (typing on the keyboard is not counted);
// choosing from a list counts two (open, pick). Run from the repository root after
// `cargo build --workspace --bins` and `tests/e2e/run.sh` (for playwright-core):
//   node bench/mobile-taps.mjs
import { spawn, execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { FIELDCASE_BIN, launchBrowser, poll, startHub } from '../tests/e2e/lib/hub.mjs';

const run = promisify(execFile);
const MOBILE_BIN = join(dirname(FIELDCASE_BIN), 'fieldcase-mobile');

const hub = await startHub();
const dir = await mkdtemp(join(tmpdir(), 'fieldcase-taps-'));
const preview = spawn(MOBILE_BIN, ['preview', '--dir', dir], { stdio: ['ignore', 'pipe', 'ignore'] });
let out = '';
preview.stdout.on('data', (c) => { out += c; });
const url = await poll(() => /preview: (http:\S+)/.exec(out)?.[1], { timeoutMs: 30_000, message: 'preview' });
const browser = await launchBrowser({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
const page = await browser.context.newPage();
try {
  const { stdout } = await run(FIELDCASE_BIN, ['--data-dir', hub.dataDir, 'device', 'code', '--adviser', 'P0001', '--by', 'kancelar@demo.fieldcase.cz']);
  await page.goto(url);
  await page.fill('#hub', hub.url);
  await page.fill('#code', stdout.trim());
  await page.click('button[type=submit]');
  await page.locator('h1', { hasText: 'Dnes' }).waitFor();

  let taps = 0;
  const tap = async (sel) => { taps += 1; await page.click(sel); };
  const type = async (sel, text) => { taps += 1; await page.fill(sel, text); };
  const pick = async (sel, value) => { taps += 2; await page.selectOption(sel, value); };

  await tap('#tab-clients');
  await tap('#new-client');
  await type('#first_name', 'Jana');
  await type('#last_name', 'Počítaná');
  await type('#phone', '602 111 222');
  await tap('#save-client');
  await page.locator('#client-name').waitFor();
  await tap('#new-prescription');
  await type('#right-sph', '-1,25');
  await type('#left-sph', '-1,00');
  await tap('#save-rx');
  await page.locator('#prescriptions .meta').first().waitFor();
  await tap('#new-order');
  await type('#frame-search', 'ray-ban');
  await page.locator('#catalog-frames button').first().waitFor();
  await tap('#catalog-frames button >> nth=0');
  await pick('#lens-index', '1.50');
  await pick('#lens-design', 'single_vision');
  await page.locator('#chosen-lens').waitFor();
  await tap('#submit-order');
  await page.locator('#qr svg').waitFor();
  console.log(`new client + prescription + glasses order: ${taps} taps (target < 25)`);
} finally {
  await browser.close();
  preview.kill('SIGTERM');
  await hub.stop();
  await rm(dir, { recursive: true, force: true });
}
