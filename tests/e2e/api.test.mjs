// The JSON API (issue 11, point 8) as an integrator meets it: an office user makes
// an API key on the API keys page (the secret shown once), reads orders with it,
// and the key stops working the moment it is revoked there. The OpenAPI document
// passes openapi-spec-validator, and schemathesis, run against the live hub with
// the key, finds no 5xx. The tools come from PyPI into a venv that run.sh makes
// ($API_TOOLS).

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, shot, signIn, startHub } from './lib/hub.mjs';

const OFFICE = 'kancelar@demo.fieldcase.cz';
const WAIT = 20_000;
const TOOLS = process.env.API_TOOLS || '';
const tool = (name) => (TOOLS ? join(TOOLS, name) : name);

describe('api: keys, the document and a fuzzer', { concurrency: false }, () => {
  let hub;
  let browser;
  let page;
  let secret;
  let dir;

  before(async () => {
    hub = await startHub();
    browser = await launchBrowser({ viewport: { width: 1366, height: 900 } });
    browser.context.setDefaultTimeout(WAIT);
    dir = await mkdtemp(join(tmpdir(), 'fieldcase-api-'));
  });

  after(async () => {
    await browser?.close();
    await hub?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const get = (path, key) =>
    fetch(`${hub.url}${path}`, { headers: key ? { authorization: `Bearer ${key}` } : {} });

  test('the office makes a key on its page and reads orders with it', async () => {
    page = await signIn(browser.context, hub.url, OFFICE, '/office/api-keys');
    await page.locator('#no-keys').waitFor({ state: 'visible' });
    await page.fill('#new-key-form input[name=name]', 'E-shop');
    await page.check('#new-key-form input[name="orders:write"]');
    await page.check('#new-key-form input[name="customers:read"]');
    await page.check('#new-key-form input[name="customers:write"]');
    await page.check('#new-key-form input[name="money:read"]');
    await page.click('#new-key-form button[type=submit]');
    const shown = page.locator('#new-secret');
    await shown.waitFor({ state: 'visible' });
    secret = (await shown.innerText()).trim();
    assert.match(secret, /^fck_[A-Za-z0-9_-]{43}$/);
    const row = page.locator('#keys-table tr[data-key="E-shop"]');
    await row.waitFor({ state: 'visible' });
    assert.match(await row.innerText(), /orders:read orders:write/);
    assert.ok(!(await row.innerText()).includes(secret), 'the list never shows the secret');
    await shot(page, 'api-keys');

    const res = await get('/api/v1/orders?limit=5', secret);
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.equal(body.orders.length, 5);
    const card = await (await get(`/api/v1/orders/${body.orders[0].number}`, secret)).json();
    assert.equal(card.id, body.orders[0].id);
    assert.equal((await get('/api/v1/orders')).status, 401, 'no key, no orders');
    const customers = await (await get('/api/v1/customers?limit=5', secret)).json();
    assert.equal(customers.customers.length, 5);
  });

  test('the API page documents every operation of the document', async () => {
    const doc = await (await get('/api/v1/openapi.json')).json();
    assert.equal(doc.openapi, '3.1.0');
    const docs = await browser.context.newPage();
    await docs.goto(`${hub.url}/api/v1/docs`);
    const text = await docs.locator('main').innerText();
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const method of Object.keys(item)) {
        assert.ok(text.includes(`${method.toUpperCase()} ${path}`), `${method} ${path} on the page`);
      }
    }
    await shot(docs, 'api-docs');
    await docs.close();
  });

  test('the OpenAPI document is valid and schemathesis finds no 5xx', async () => {
    const file = join(dir, 'openapi.json');
    await writeFile(file, await (await get('/api/v1/openapi.json')).text());
    const valid = spawnSync(tool('openapi-spec-validator'), [file], { encoding: 'utf8' });
    assert.equal(valid.status, 0, `openapi-spec-validator:\n${valid.stdout}\n${valid.stderr}`);
    const fuzz = spawnSync(
      tool('schemathesis'),
      [
        'run', `${hub.url}/api/v1/openapi.json`,
        '--header', `Authorization: Bearer ${secret}`,
        '--checks', 'not_a_server_error',
        '--max-examples', '40',
        '--workers', '1',
        '--seed', '11',
      ],
      { encoding: 'utf8', timeout: 300_000, env: { ...process.env, NO_COLOR: '1', SCHEMATHESIS_TELEMETRY: 'false' } },
    );
    assert.equal(fuzz.status, 0, `schemathesis:\n${fuzz.stdout.slice(-6000)}\n${fuzz.stderr.slice(-2000)}`);
    assert.match(fuzz.stdout, /passed/);
  });

  test('a key revoked on the page stops working at once', async () => {
    await page.click('#keys-table button[data-revoke="E-shop"]');
    await page.locator('#keys-table tr[data-key="E-shop"] .pill').waitFor({ state: 'visible' });
    assert.equal((await get('/api/v1/orders', secret)).status, 401);
  });
});
