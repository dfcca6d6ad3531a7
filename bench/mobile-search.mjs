// Client search per keystroke as the adviser sees it: in the phone-sized preview
// (LiveView over loopback, Chromium 390×844) on a phone with 500 clients, the time
// from a key press to the redrawn list (a MutationObserver in the page). Target
// (issue 5): < 16 ms. Seed the phone first:
//   cargo run --release -p fieldcase-bench --bin phone-bench -- seed DIR
//   node bench/mobile-search.mjs DIR
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { FIELDCASE_BIN, launchBrowser, poll } from '../tests/e2e/lib/hub.mjs';

const dir = process.argv[2];
if (!dir) throw new Error('usage: node bench/mobile-search.mjs SEEDED_PHONE_DIR');
const bin = process.env.FIELDCASE_MOBILE_BIN || join(dirname(FIELDCASE_BIN), 'fieldcase-mobile');
const preview = spawn(bin, ['preview', '--dir', dir], { stdio: ['ignore', 'pipe', 'ignore'] });
let out = '';
preview.stdout.on('data', (c) => { out += c; });
const url = await poll(() => /preview: (http:\S+)/.exec(out)?.[1], { timeoutMs: 30_000, message: 'preview' });
const browser = await launchBrowser({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
try {
  const page = await browser.context.newPage();
  await page.goto(url);
  await page.click('#tab-clients');
  await page.locator('#client-list .client').first().waitFor();
  const typed = 'novak 12';
  const samples = [];
  for (let round = 0; round < 10; round++) {
    await page.fill('#search', '');
    await page.locator('#client-list .client').nth(50).waitFor();
    await page.focus('#search');
    for (const ch of typed) {
      const ms = await page.evaluate((key) => new Promise((resolve) => {
        const list = document.getElementById('client-list');
        const input = document.getElementById('search');
        const t0 = performance.now();
        const obs = new MutationObserver(() => { obs.disconnect(); resolve(performance.now() - t0); });
        // The list carries the query it shows (data-query), so every keystroke's redraw
        // is a mutation, even when the matches stay the same.
        obs.observe(list, { attributes: true, childList: true, subtree: true, characterData: true });
        input.value += key;
        input.dispatchEvent(new InputEvent('input', { bubbles: true, data: key, inputType: 'insertText' }));
      }), ch);
      samples.push(ms);
    }
  }
  samples.sort((a, b) => a - b);
  const pct = (p) => samples[Math.min(samples.length - 1, Math.floor(samples.length * p))];
  console.log(`client search, key press to redrawn list, ${samples.length} keystrokes: ` +
    `p50 ${pct(0.5).toFixed(1)} ms, p95 ${pct(0.95).toFixed(1)} ms, max ${samples.at(-1).toFixed(1)} ms`);
} finally {
  await browser.close();
  preview.kill('SIGTERM');
}
