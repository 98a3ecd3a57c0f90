// The landing page, served by the real node binary, in headless Chromium.
// Run: OA_BIN=build/test/openassist OA_WEB_DIR=web/dist node --test tests/browser/
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from '../../web/node_modules/playwright-core/index.mjs';
import { startNode } from '../harness/node.mjs';

const SCREENSHOT = process.env.OA_SCREENSHOT ?? '/tmp/landing.png';

const UIS = [
  { id: 'portal', en: 'Customer portal', de: 'Kundenportal' },
  { id: 'console', en: 'Technician console', de: 'Technikerkonsole' },
  { id: 'management', en: 'Management Center', de: 'Management Center' },
];

let node;
let browser;

before(async () => {
  node = await startNode();
  browser = await chromium.launch({
    executablePath: process.env.OA_CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
});

after(async () => {
  await browser?.close();
  await node?.stop();
});

/** A fresh English page that records console errors, uncaught exceptions, CSP violations and failed requests. */
async function openPage() {
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 } });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`);
    });
  });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('requestfailed', (req) => problems.push(`request failed: ${req.url()} ${req.failure()?.errorText}`));
  page.on('response', (res) => {
    if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`);
  });
  return { context, page, problems };
}

function statusText(page) {
  return page.getByTestId('node-status').textContent();
}

test('landing page lists the UIs, shows the node status and switches to German', { timeout: 60_000 }, async () => {
  const { context, page, problems } = await openPage();
  try {
    const response = await page.goto(`${node.publicUrl}/`);
    assert.equal(response.status(), 200);
    assert.match(response.headers()['content-security-policy'] ?? '', /default-src 'self'/);

    assert.equal(await page.title(), 'openassist');
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'openassist');

    const cards = page.locator('.ui-card');
    assert.equal(await cards.count(), UIS.length);
    for (const ui of UIS) {
      const card = page.getByTestId(`ui-${ui.id}`);
      assert.equal(await card.getByRole('heading').textContent(), ui.en);
      if (ui.id === 'management') {
        // The Management Center is there: the card links to it.
        assert.equal(await card.locator('a[href="/manage/"]').count(), 1);
        assert.match(await card.textContent(), /Open/);
      } else if (ui.id === 'console') {
        assert.equal(await card.locator('a[href="/console/"]').count(), 1);
        assert.match(await card.textContent(), /Open/);
      } else {
        // Each portal has its own address; the card names the pattern and
        // links the demo portal.
        assert.match(await card.textContent(), /\/p\/<account>\/<slug>/);
        assert.equal(await card.locator('[data-testid=portal-demo][href="/p/demo/help"]').count(), 1);
      }
    }

    const status = await (await fetch(`${node.publicUrl}/api/v1/status`)).json();
    await page.waitForFunction(
      () => document.querySelector('[data-testid=node-status]')?.textContent?.includes('version'),
      null,
      { timeout: 10_000 },
    );
    const line = await statusText(page);
    assert.ok(line.includes(`Node ${status.node_id}`), line);
    assert.ok(line.includes(`version ${status.version}`), line);
    assert.match(line, / · up \d+ (s|min|h|d)/);

    await page.screenshot({ path: SCREENSHOT, fullPage: true });

    await page.getByRole('button', { name: 'Deutsch' }).click();
    await page.getByRole('heading', { name: 'Oberflächen' }).waitFor();
    assert.equal(await page.locator('html').getAttribute('lang'), 'de');
    for (const ui of UIS) {
      assert.equal(await page.getByTestId(`ui-${ui.id}`).getByRole('heading').textContent(), ui.de);
    }
    assert.match(await statusText(page), /^Knoten .* · Version /);

    // The choice survives a reload.
    await page.reload();
    await page.getByRole('heading', { name: 'Oberflächen' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Deutsch' }).getAttribute('aria-pressed'), 'true');

    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('landing page shows the server error message when the status fails', { timeout: 30_000 }, async () => {
  const { context, page, problems } = await openPage();
  try {
    await page.route('**/api/v1/status', (route) =>
      route.fulfill({
        status: 503,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'unavailable', message: 'storage is starting' } }),
      }),
    );
    await page.goto(`${node.publicUrl}/`);
    await page.waitForFunction(
      () => document.querySelector('[data-testid=node-status]')?.textContent?.includes('storage is starting'),
      null,
      { timeout: 10_000 },
    );
    assert.equal(await page.getByTestId('node-status').getAttribute('data-state'), 'error');
    // The only expected problem is the 503 itself.
    assert.deepEqual(
      problems.filter((p) => !p.includes('503')),
      [],
    );
  } finally {
    await context.close();
  }
});
