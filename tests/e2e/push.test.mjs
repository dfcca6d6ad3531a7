// Issue 15, slice 2: an office status change pushes the adviser's phone, which
// syncs. The hub runs its production FCM client against a fake FCM and a fake
// Google token endpoint on loopback (this file): the token endpoint checks the
// grant's RS256 signature with the test service account's public key
// (tests/fixtures/fcm-test-*), and the fake FCM delivers a push for the phone's
// token the way FCM would, by waking the phone preview (`POST /push`). The phone
// is offline when the office moves its order to "ready for pickup"; the push
// brings it online and the new status shows on the phone; the order card lists
// the push as sent.

import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { createVerify } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, poll, shot, signIn, startHub } from './lib/hub.mjs';
import { enrolPhone, firstOrderOnPhone, moveOrderTo, openOrderCard, startPreview } from './lib/phone.mjs';

const WAIT = 60_000;
const ADMIN = 'admin@demo.fieldcase.cz';
const OFFICE = 'kancelar@demo.fieldcase.cz';
const PHONE_TOKEN = 'e2e-push-token-7';
const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
const b64json = (part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));

/** The fake token endpoint and FCM; `deliver(token)` is what FCM does with a push. */
async function startFakeFcm(publicKey, deliver) {
  const state = { url: '', grants: 0, access: new Set(), pushed: [] };
  const server = createServer(async (req, res) => {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const body = Buffer.concat(chunks).toString('utf8');
    const answer = (status, json) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(json));
    };
    if (req.method === 'POST' && req.url === '/token') {
      const form = new URLSearchParams(body);
      const [h, p, sig] = (form.get('assertion') || '').split('.');
      const verifier = createVerify('RSA-SHA256');
      verifier.update(`${h}.${p}`);
      const claims = p ? b64json(p) : {};
      const good = form.get('grant_type') === 'urn:ietf:params:oauth:grant-type:jwt-bearer'
        && b64json(h).alg === 'RS256' && verifier.verify(publicKey, Buffer.from(sig, 'base64url'))
        && claims.aud === `${state.url}/token`
        && claims.scope === 'https://www.googleapis.com/auth/firebase.messaging'
        && claims.exp > Date.now() / 1000;
      if (!good) return answer(400, { error: 'invalid_grant' });
      state.grants += 1;
      const token = `ya29.e2e-${state.grants}`;
      state.access.add(token);
      return answer(200, { access_token: token, expires_in: 3599, token_type: 'Bearer' });
    }
    if (req.method === 'POST' && req.url === '/v1/projects/fieldcase-test/messages:send') {
      const bearer = (req.headers.authorization || '').replace(/^Bearer /, '');
      if (!state.access.has(bearer)) return answer(401, { error: { status: 'UNAUTHENTICATED' } });
      const { message } = JSON.parse(body);
      state.pushed.push(message);
      answer(200, { name: `projects/fieldcase-test/messages/0:${state.pushed.length}` });
      await deliver(message.token);
      return undefined;
    }
    return answer(404, { error: { status: 'NOT_FOUND' } });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${server.address().port}`;
  return { state, close: () => new Promise((resolve) => server.close(resolve)) };
}

describe('push: an office status change wakes the adviser\'s phone', { concurrency: false }, () => {
  let hub;
  let preview;
  let browser;
  let fcm;
  let dir;
  const woken = [];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fieldcase-fcm-'));
    const publicKey = await readFile(join(fixtures, 'fcm-test-public.pem'), 'utf8');
    fcm = await startFakeFcm(publicKey, async (token) => {
      woken.push(token);
      if (token === PHONE_TOKEN) await fetch(`${preview.url}/push`, { method: 'POST' });
    });
    const account = JSON.parse(await readFile(join(fixtures, 'fcm-test-service-account.json'), 'utf8'));
    account.token_uri = `${fcm.state.url}/token`;
    const accountFile = join(dir, 'service-account.json');
    await writeFile(accountFile, JSON.stringify(account));
    process.env.FIELDCASE_FCM_SERVICE_ACCOUNT = accountFile;
    process.env.FIELDCASE_FCM_URL = fcm.state.url;
    hub = await startHub();
    delete process.env.FIELDCASE_FCM_SERVICE_ACCOUNT;
    delete process.env.FIELDCASE_FCM_URL;
    preview = await startPreview(['--push-token', `android:${PHONE_TOKEN}`]);
    browser = await launchBrowser({ viewport: { width: 1366, height: 900 } });
    browser.context.setDefaultTimeout(WAIT);
  });

  after(async () => {
    await browser?.close();
    await preview?.stop();
    await hub?.stop();
    await fcm?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('the phone is offline; the office moves its order; FCM wakes it and it syncs', async () => {
    const page = await enrolPhone(browser, hub, preview, 'P0001', OFFICE);
    // An order of P0001's that is not cancelled.
    const vs = await firstOrderOnPhone(page);

    // The administrator brings it to just before "ready for pickup".
    const adminBrowser = await launchBrowser({ viewport: { width: 1366, height: 1000 } });
    adminBrowser.context.setDefaultTimeout(WAIT);
    const office = await signIn(adminBrowser.context, hub.url, ADMIN, '/office/orders');
    await openOrderCard(office, vs);
    await moveOrderTo(office, 'quality_check');

    // The adviser's phone goes offline; the office moves the order on.
    await page.click('#tab-today');
    await page.click('#toggle-online');
    await page.locator('#status .state', { hasText: 'Offline' }).waitFor();
    const pushesBefore = woken.length;
    await office.click('#status-moves button[data-to=ready_for_pickup]');
    await office.locator('#order-status.status-ready_for_pickup').waitFor({ state: 'visible' });

    // The job pushes (within its 15 s round); FCM wakes the phone; it syncs.
    await poll(() => woken.slice(pushesBefore).includes(PHONE_TOKEN),
      { timeoutMs: WAIT, intervalMs: 250, message: 'the push for the phone at the fake FCM' });
    await page.locator('#status .state', { hasText: 'Online' }).waitFor();
    await page.click('#tab-clients');
    await page.locator('#client-list .item.client').first().click();
    await page.locator('#orders .order', { hasText: vs }).filter({ hasText: 'Připraveno k vyzvednutí' })
      .waitFor({ state: 'visible', timeout: WAIT });
    await shot(page, 'phone-pushed-ready');

    // What FCM got: the phone's token, "sync" data, the notification of the template.
    const push = fcm.state.pushed.find((m) => m.token === PHONE_TOKEN && m.data.order === vs);
    assert.ok(push, 'the push names the order');
    assert.equal(push.data.kind, 'sync');
    assert.match(push.notification.title, new RegExp(`Zakázka ${vs}: Připraveno k vyzvednutí`));
    assert.ok(fcm.state.grants >= 1, 'the hub bought an access token with the signed grant');

    // The order card lists the push as sent.
    const sent = office.locator('#order-notifications-table tr[data-channel=push].notification-sent');
    await poll(async () => {
      await office.reload();
      await office.locator('#order-notifications').waitFor();
      return (await sent.count()) >= 1;
    }, { timeoutMs: WAIT, intervalMs: 1_000, message: 'the push listed on the order card' });
    await shot(office, 'order-card-push');
    await adminBrowser.close();
  });
});
