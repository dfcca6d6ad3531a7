// The real SMTP server on loopback the notification tests send to: aiosmtpd
// (tests/fixtures/smtp_sink.py), writing each message it gets into a folder.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { startHub } from './hub.mjs';

const here = dirname(fileURLToPath(import.meta.url));

/** Starts the SMTP sink writing into `dir`; the process and its port. */
export async function startSink(dir) {
  const python = process.env.FIELDCASE_TEST_PYTHON || 'python3';
  const child = spawn(python, [join(here, '..', '..', 'fixtures', 'smtp_sink.py'), dir, '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const port = await new Promise((resolve, reject) => {
    lines.once('line', (line) => resolve(Number(line.trim())));
    child.once('exit', (code) => reject(new Error(`the SMTP sink stopped (${code}); is aiosmtpd installed for ${python}?`)));
  });
  assert.ok(port > 0);
  return { child, port };
}

/** The messages in `dir` addressed to `to` (raw text). */
export async function mailsTo(dir, to) {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.eml'));
  const texts = await Promise.all(files.map((f) => readFile(join(dir, f), 'utf8')));
  const header = new RegExp(`^To: ${to.replace(/[.+]/g, '\\$&')}`, 'm');
  return texts.filter((t) => header.test(t));
}

/**
 * A demo hub that sends its e-mail to a fresh SMTP sink: `{ hub, dir, stop }`
 * (`dir` holds the messages; `stop()` ends the hub and the sink, removes `dir`).
 */
export async function startMailHub() {
  const dir = await mkdtemp(join(tmpdir(), 'fieldcase-mail-'));
  const sink = await startSink(dir);
  process.env.FIELDCASE_SMTP_URL = `smtp://127.0.0.1:${sink.port}`;
  let hub;
  const stop = async () => {
    await hub?.stop();
    sink.child.kill();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    hub = await startHub();
  } catch (err) {
    await stop();
    throw err;
  }
  return { hub, dir, stop };
}
