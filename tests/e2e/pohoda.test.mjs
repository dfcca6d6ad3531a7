// Issue 13, point 6: accounting takes a day to Pohoda and reads its answer back.
// An invoice is issued on an order's card; the Pohoda page's export of today
// downloads a dataPack in Windows-1250 holding that invoice (its number as the
// item's id); the response pack Pohoda would write is uploaded on the same page,
// and the day's documents then show the invoice accepted.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, shot, signIn, startHub } from './lib/hub.mjs';

const ACCOUNTING = 'ucetni@demo.fieldcase.cz';
const WAIT = 20_000;

/** Today in Prague, YYYY-MM-DD. */
const today = () => new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Prague' });

describe('money: the export to Pohoda', { concurrency: false }, () => {
  let hub;
  let browser;
  let page;

  before(async () => {
    hub = await startHub();
    browser = await launchBrowser({ viewport: { width: 1366, height: 1000 }, acceptDownloads: true });
    browser.context.setDefaultTimeout(WAIT);
  });

  after(async () => {
    await browser?.close();
    await hub?.stop();
  });

  test('export a day, upload the answer, see the invoice accepted', async () => {
    page = await signIn(browser.context, hub.url, ACCOUNTING, '/office/orders');
    await page.selectOption('select[name=paid]', 'unpaid');
    const link = page.locator('tr', { has: page.locator('td .unpaid') }).first().locator('a.order-link');
    await link.waitFor();
    await Promise.all([page.waitForURL((u) => u.pathname.startsWith('/office/orders/')), link.click()]);
    await page.click('#issue-invoice');
    const issued = page.locator('#order-invoices .alert-ok', { hasText: 'vystaven' });
    await issued.waitFor();
    const number = (await issued.innerText()).match(/FV\d{10}/)[0];

    await page.goto(`${hub.url}/office/pohoda`);
    await page.fill('#pohoda-date', today());
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('#pohoda-export button[type=submit]'),
    ]);
    assert.equal(download.suggestedFilename(), `pohoda-${today()}.xml`);
    const bytes = await readFile(await download.path());
    assert.ok(bytes.subarray(0, 60).toString('latin1').startsWith('<?xml version="1.0" encoding="Windows-1250"?>'));
    const xml = new TextDecoder('windows-1250').decode(bytes);
    assert.match(xml, new RegExp(`<dat:dataPackItem version="2.0" id="${number}">`));
    assert.match(xml, /<inv:invoiceType>issuedInvoice<\/inv:invoiceType>/);

    // Pohoda's answer, as it writes it.
    const answer = `<?xml version="1.0" encoding="Windows-1250"?>
<rsp:responsePack version="2.0" id="fieldcase-${today()}" state="ok" xmlns:rsp="http://www.stormware.cz/schema/version_2/response.xsd" xmlns:rdc="http://www.stormware.cz/schema/version_2/documentresponse.xsd" xmlns:inv="http://www.stormware.cz/schema/version_2/invoice.xsd">
 <rsp:responsePackItem version="2.0" id="${number}" state="ok"><inv:invoiceResponse version="2.0" state="ok"><rdc:producedDetails><rdc:id>1</rdc:id></rdc:producedDetails></inv:invoiceResponse></rsp:responsePackItem>
</rsp:responsePack>`;
    await page.setInputFiles('#pohoda-response input[type=file]', {
      name: 'odpoved.xml',
      mimeType: 'application/xml',
      buffer: Buffer.from(answer, 'latin1'),
    });
    await Promise.all([page.waitForURL((u) => u.pathname === '/office/pohoda/response'), page.click('#pohoda-response button[type=submit]')]);
    assert.equal((await page.innerText('#marked')).trim(), '1');
    await shot(page, 'pohoda-response');

    await page.click('#back-to-pohoda');
    await page.fill('#pohoda-day', today());
    await page.locator('#pohoda-day').dispatchEvent('change');
    const row = page.locator(`#pohoda-documents tr.pohoda-doc[data-number="${number}"]`);
    await row.waitFor();
    assert.match(await row.getAttribute('class'), /state-ok/);
    await shot(page, 'pohoda');
  });
});
