// Helpers for the wire-compatibility tests: start a demo hub on an ephemeral port in a
// fresh data dir, issue enrolment codes through the CLI, enrol devices over HTTP, and
// connect JavaScript automerge-repo clients (the official WebSocket adapter) to /sync.

import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { Repo } from '@automerge/automerge-repo';
import { WebSocketClientAdapter } from '@automerge/automerge-repo-network-websocket';

/** The hub binary: $FIELDCASE_BIN, else the debug build in the target folder. */
export const FIELDCASE_BIN =
  process.env.FIELDCASE_BIN ||
  join(process.env.CARGO_TARGET_DIR || join(fileURLToPath(new URL('../..', import.meta.url)), 'target'), 'debug', 'fieldcase');

/** The staff user the small demo creates; `device code --by` needs one. */
export const DEMO_ADMIN = 'admin@demo.fieldcase.cz';

const BANNER = /fieldcase demo hub: (http:\/\/127\.0\.0\.1:\d+)/;
const CODE = /\b[A-Z0-9]{5}-[A-Z0-9]{5}\b/;

/**
 * Polls `probe` until it returns a truthy value (which is returned) or the deadline
 * passes (then throws, naming `what` and the last error the probe threw, if any).
 */
export async function waitFor(what, probe, { timeoutMs = 30_000, intervalMs = 50 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let lastError = null;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
      lastError = null;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const why = lastError ? ` (last error: ${lastError.message ?? lastError})` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${why}`);
    }
    await delay(intervalMs);
  }
}

/**
 * Starts `fieldcase demo --small` in a fresh data dir on 127.0.0.1:0, waits for the
 * banner's URL and then for GET /readyz to answer 200.
 *
 * @returns {Promise<{ url: string, dataDir: string, output: () => string, stop: () => Promise<void> }>}
 */
export async function startHub({ timeoutMs = 90_000 } = {}) {
  const dataDir = await mkdtemp(join(tmpdir(), 'fieldcase-interop-'));
  const child = spawn(FIELDCASE_BIN, ['--data-dir', dataDir, '--listen', '127.0.0.1:0', 'demo', '--small'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });

  let stdout = '';
  let stderr = '';
  let exited = null; // { code, signal } once the process is gone
  const exitPromise = new Promise((resolveExit) => {
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      resolveExit(exited);
    });
    child.once('error', (err) => {
      exited = exited || { code: null, signal: null, error: err };
      resolveExit(exited);
    });
  });
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (chunk) => { stdout += chunk; });
  // Keep only the tail of the log, for error messages.
  child.stderr.on('data', (chunk) => { stderr = (stderr + chunk).slice(-40_000); });
  const output = () => `--- hub stdout ---\n${stdout}\n--- hub stderr (tail) ---\n${stderr}`;

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (!exited) {
      child.kill('SIGTERM');
      // A cancellable grace timer: a pending one would keep the test process alive.
      const grace = new AbortController();
      const gone = await Promise.race([
        exitPromise,
        delay(15_000, null, { signal: grace.signal }).catch(() => null),
      ]);
      grace.abort();
      if (!gone) {
        child.kill('SIGKILL');
        await exitPromise;
      }
    }
    await rm(dataDir, { recursive: true, force: true });
  };

  try {
    const url = await waitFor('the hub banner', () => {
      if (exited) throw new Error(`the hub exited early: ${JSON.stringify(exited)}\n${output()}`);
      return stdout.match(BANNER)?.[1];
    }, { timeoutMs });
    await waitFor('GET /readyz to answer 200', async () => {
      if (exited) throw new Error(`the hub exited early: ${JSON.stringify(exited)}`);
      const res = await fetch(`${url}/readyz`);
      await res.arrayBuffer();
      return res.status === 200;
    }, { timeoutMs, intervalMs: 200 });
    return { url, dataDir, output, stop };
  } catch (err) {
    await stop();
    err.message += `\n${output()}`;
    throw err;
  }
}

/** Issues a one-time enrolment code for `adviser` (e.g. "P0001") with the CLI. */
export async function issueCode(hub, adviser) {
  const args = ['--data-dir', hub.dataDir, 'device', 'code', '--adviser', adviser, '--by', DEMO_ADMIN];
  const { stdout, stderr } = await new Promise((resolve, reject) => {
    execFile(FIELDCASE_BIN, args, { timeout: 60_000, env: { ...process.env, NO_COLOR: '1' } },
      (err, out, errOut) => {
        if (err) {
          err.message += `\nstdout: ${out}\nstderr: ${errOut}`;
          reject(err);
        } else {
          resolve({ stdout: out, stderr: errOut });
        }
      });
  });
  const code = stdout.match(CODE)?.[0];
  if (!code) throw new Error(`no enrolment code in the CLI's output:\nstdout: ${stdout}\nstderr: ${stderr}`);
  return code;
}

/** An adviser's projected SQL rows, as printed by `fieldcase projection`. */
export async function projection(hub, adviser) {
  const args = ['--data-dir', hub.dataDir, 'projection', '--adviser', adviser];
  return await new Promise((resolve, reject) => {
    execFile(FIELDCASE_BIN, args, { timeout: 60_000, env: { ...process.env, NO_COLOR: '1' } }, (err, out, errOut) => {
      if (err) {
        err.message += `\nstderr: ${errOut}`;
        reject(err);
      } else {
        resolve(out);
      }
    });
  });
}

/**
 * Enrols a device with `code`; returns the hub's JSON answer
 * `{ device_id, token, peer_id, hub_peer_id, sync_path, catalog_doc, workspace_doc }`.
 */
export async function enrol(hub, code, deviceName) {
  const res = await fetch(`${hub.url}/api/v1/devices/enrol`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code, device_name: deviceName }),
  });
  const text = await res.text();
  if (res.status !== 201) throw new Error(`enrolment answered ${res.status}: ${text}`);
  return JSON.parse(text);
}

/** Issues a code for `adviser` and enrols a device with it. */
export async function enrolDevice(hub, adviser, deviceName) {
  return enrol(hub, await issueCode(hub, adviser), deviceName);
}

/** The sync URL of an enrolment, with the token in the query (JS cannot set headers). */
export function syncUrl(hub, enrolment, token = enrolment.token) {
  const ws = hub.url.replace(/^http/, 'ws');
  return `${ws}${enrolment.sync_path}?token=${encodeURIComponent(token)}`;
}

/**
 * A JavaScript automerge-repo Repo (no storage) connected to the hub as the enrolled
 * device: peer id pinned to the enrolment's `peer_id`, token in the query. Resolves
 * once the hub has answered the handshake (the hub's peer id is among the peers), so
 * a find() that follows asks the hub rather than timing out on an empty network.
 */
export async function connectDevice(hub, enrolment, { timeoutMs = 30_000 } = {}) {
  const adapter = new WebSocketClientAdapter(syncUrl(hub, enrolment));
  const repo = new Repo({ network: [adapter], peerId: enrolment.peer_id });
  try {
    await waitFor(`the hub peer "${enrolment.hub_peer_id}" to join ${enrolment.peer_id}'s repo`,
      () => repo.peers.includes(enrolment.hub_peer_id), { timeoutMs });
  } catch (err) {
    await repo.shutdown();
    throw err;
  }
  return repo;
}

/** `repo.find(id)` with a deadline: rejects when the document is unavailable or time runs out. */
export async function findDoc(repo, docId, { timeoutMs = 30_000 } = {}) {
  return repo.find(docId, { signal: AbortSignal.timeout(timeoutMs) });
}

/**
 * Waits (briefly, best effort) until every document handle of `repo` has settled
 * (ready, unavailable, …). The hub pushes documents the device never asked for (it
 * announces the catalog to every device), and automerge-repo then waits for that
 * handle to become ready with 60 s / 120 s timers that Repo.shutdown() does not
 * cancel: shutting down mid-sync would keep the test process alive for two minutes.
 */
export async function settle(repo, { timeoutMs = 10_000 } = {}) {
  const settled = ['ready', 'unavailable', 'deleted', 'unloaded'];
  await waitFor('every document handle to settle',
    () => Object.values(repo.handles).every((h) => h.inState(settled)), { timeoutMs })
    .catch(() => { /* shut down anyway; the runner's timeout is the backstop */ });
}

/**
 * Runs `body(session)` against a fresh demo hub. The session enrols and connects
 * devices and remembers every Repo, so that they are all shut down BEFORE the hub
 * stops: the JS WebSocket adapter reconnects forever (every 5 s) to a server that
 * went away, which would keep the test process alive. On failure the hub's log is
 * appended to the error.
 */
export async function withHub(body) {
  const hub = await startHub();
  const repos = new Set();
  // Repo.shutdown() is not idempotent: a second call throws synchronously
  // ("Assertion failed" in WebSocketClientAdapter.disconnect), so each Repo is shut
  // down once, through here.
  const shutdown = async (repo) => {
    if (!repos.delete(repo)) return;
    await settle(repo);
    try {
      await repo.shutdown();
    } catch { /* already disconnected */ }
  };
  const session = {
    hub,
    enrol: (adviser, name) => enrolDevice(hub, adviser, name),
    connect: async (enrolment) => {
      const repo = await connectDevice(hub, enrolment);
      repos.add(repo);
      return repo;
    },
    shutdown,
    /** Enrols a device of `adviser` and connects a Repo for it. */
    device: async (adviser, name) => {
      const enrolment = await enrolDevice(hub, adviser, name);
      const repo = await session.connect(enrolment);
      return { enrolment, repo };
    },
  };
  try {
    await body(session);
  } catch (err) {
    if (err && typeof err === 'object') {
      try { err.message = `${err.message}\n${hub.output()}`; } catch { /* read-only message */ }
    }
    throw err;
  } finally {
    for (const repo of [...repos]) await shutdown(repo);
    await hub.stop();
  }
}

/**
 * The heads the hub has acknowledged for `handle`, per the Repo's sync state with the
 * hub (samod announces a storage id and `isEphemeral: false`, so automerge-repo tracks
 * it); undefined before the first sync message.
 */
export function hubHeads(repo, handle, hubPeerId) {
  const storageId = repo.getStorageIdOfPeer(hubPeerId);
  return storageId ? handle.getSyncInfo(storageId)?.lastHeads : undefined;
}

/** Whether two heads lists name the same changes. */
export function sameHeads(a, b) {
  if (!a || !b || a.length !== b.length) return false;
  const sa = [...a].sort();
  const sb = [...b].sort();
  return sa.every((h, i) => h === sb[i]);
}

/**
 * A raw WebSocket upgrade request to `url` (ws://…); resolves with the HTTP status the
 * server answered (101 when it accepted the upgrade) and the body of a refusal.
 */
export function tryUpgrade(url, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(url.replace(/^ws/, 'http'), {
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
        ...headers,
      },
      timeout: 15_000,
    });
    req.on('upgrade', (res, socket) => {
      // Only the status matters here; the hub may reset the socket as we leave
      // (it may already be writing its first sync message), which is no failure.
      socket.on('error', () => {});
      // Say goodbye properly (a masked, empty close frame) rather than resetting.
      socket.end(Buffer.from([0x88, 0x80, 0, 0, 0, 0]));
      resolve({ status: res.statusCode, body: '' });
    });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => { body += chunk; });
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.on('timeout', () => req.destroy(new Error('upgrade request timed out')));
    req.on('error', reject);
    req.end();
  });
}
