// The computer's details on the Management Center's session page
// (docs/remote-control.md, "Diagnostics"; GET /api/v1/requests/:id/diagnostics),
// in headless Chromium at 1366×768 against the real node with its demo account.
// Anna's console, the customers and the customer's support app are raw
// WebSockets of the test.
//   Anna asks the app of one session for the computer's details; the app
//   answers diagnostics.requested with a diagnostics.report. The company
//   manager opens that session's page: "Computer details" shows the system,
//   sizes in GiB and the processes (in English, then in German).
//   Another session whose app sent nothing (the server answers 404): its page
//   has no such section and shows no error.
// Run: OA_BIN=build/test/node/openassist OA_WEB_DIR=web/dist node --test tests/browser/manage_diagnostics.test.mjs
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { customerFields, openConsole, openCustomer } from '../harness/intake.mjs';
import { COMPANY, waitForAttribute } from './helpers.mjs';
import { assertNoProblems, openManager, startIntake } from './intake_helpers.mjs';
import { connectApp } from './console_app_helpers.mjs';

let intake;
const sockets = [];

before(async () => {
  intake = await startIntake();
});

afterEach(async () => {
  while (sockets.length > 0) sockets.pop().ws?.terminate();
  await intake?.closeAll();
});

after(async () => {
  await intake?.stop();
});

/** What the app reports (as agent/diagnostics sends it). */
const REPORT = {
  os: { name: 'Debian GNU/Linux 12 (bookworm)', kernel: '6.1.0-18-amd64', hostname: 'office-pc', uptime_s: 93_784 },
  cpu: { model: 'Intel(R) Core(TM) i5-8250U CPU @ 1.60GHz', cores: 8, load: [0.52, 0.61, 0.4] },
  memory: { total_kb: 16_314_000, available_kb: 9_123_000 },
  disks: [{ mount: '/', fs: 'ext4', total_kb: 244_000_000, free_kb: 120_500_000 }],
  network: [{ name: 'wlp2s0', addresses: ['192.168.1.23/24'], mac: '3c:a9:f4:00:11:22' }],
  processes: [
    { pid: 1234, name: 'firefox-esr', rss_kb: 2_000_000, cpu_s: 125 },
    { pid: 1, name: 'systemd', rss_kb: 12_000, cpu_s: 3 },
  ],
};

/** A raw customer on /p/demo/help whose request Anna (raw console) accepts, joins and follows; resolves to {cust, id, token}. */
async function activeSession(anna, name) {
  const cust = await openCustomer(intake.node, 'demo', 'help', { fields: customerFields(name) });
  sockets.push(cust);
  const id = String(cust.request.request_id);
  await anna.waitFor((m) => m.type === 'alert' && String(m.alert?.request_id) === id);
  assert.equal((await anna.command('request.accept', { request_id: id })).type, 'ack', `Anna accepts ${name}`);
  assert.equal((await anna.command('request.join', { request_id: id })).type, 'ack', `Anna joins ${name}`);
  await cust.waitFor((m) => m.request?.status === 'active');
  await cust.command('chat.resume', { after_seq: 0 });
  // Anna follows the session (its chat, and app.state about the customer's app).
  await anna.command('chat.resume', { request_id: id, after_seq: 0 });
  return { cust, id, token: cust.request.token };
}

/** Opens the session's page (#/sessions/<id>) and waits until it shows that session. */
async function openSession(page, id) {
  await page.evaluate((hash) => {
    location.hash = hash;
  }, `#/sessions/${id}`);
  await waitForAttribute(page.getByTestId('session-detail'), 'data-request-id', id);
}

test("the session page shows the computer's details the app sent, and nothing when it sent none", { timeout: 120_000 }, async () => {
  const anna = await openConsole(intake.node, 'anna@demo.openassist.example');
  sockets.push(anna);

  // A session whose app reports the computer's details when Anna asks.
  const withApp = await activeSession(anna, 'Dora');
  const app = await connectApp(intake.node, withApp.id, withApp.token, sockets);
  await anna.waitFor((m) => m.type === 'app.state' && String(m.request_id) === withApp.id && m.connected === true);
  assert.equal((await anna.command('diagnostics.request', { request_id: withApp.id })).type, 'ack');
  await app.waitFor((m) => m.type === 'diagnostics.requested');
  const reported = await app.command('diagnostics.report', { data: REPORT });
  assert.notEqual(reported.type, 'error', `diagnostics.report: ${JSON.stringify(reported)}`);
  await anna.waitFor((m) => m.type === 'diagnostics' && String(m.request_id) === withApp.id);

  // A session whose customer never started the app.
  const without = await activeSession(anna, 'Emil');

  const boss = await openManager(intake, COMPANY, { section: 'sessions' });
  const page = boss.page;
  await page.locator(`[data-testid=session-row][data-request-id="${withApp.id}"] [data-testid=session-link]`).click();
  await waitForAttribute(page.getByTestId('session-detail'), 'data-request-id', withApp.id);
  const details = page.getByTestId('session-detail').getByTestId('diagnostics');
  await details.waitFor();
  assert.equal(await details.getByRole('heading', { level: 2 }).textContent(), 'Computer details');
  assert.match(await details.getByTestId('diag-at').textContent(), /^Received /);
  assert.equal(await details.getByTestId('diag-os').textContent(), 'Debian GNU/Linux 12 (bookworm)');
  assert.equal(await details.getByTestId('diag-kernel').textContent(), '6.1.0-18-amd64');
  assert.equal(await details.getByTestId('diag-host').textContent(), 'office-pc');
  assert.equal(await details.getByTestId('diag-uptime').textContent(), '1 d 2 h');
  assert.match(await details.getByTestId('diag-cpu').textContent(), /i5-8250U.*8 cores/);
  assert.equal(await details.getByTestId('diag-memory').textContent(), '8.7 GiB free of 15.6 GiB');
  assert.deepEqual(
    await details.getByTestId('diag-disk').evaluateAll((rows) => rows.map((r) => r.textContent)),
    ['/115 GiB233 GiB'],
  );
  assert.match(await details.getByTestId('diag-network').textContent(), /wlp2s0192\.168\.1\.23\/24/);
  assert.deepEqual(
    await details.getByTestId('diag-process-name').evaluateAll((cells) => cells.map((c) => c.textContent)),
    ['firefox-esr', 'systemd'],
  );

  // In German.
  await page.getByTestId('lang-de').click();
  await waitForAttribute(page.locator('html'), 'lang', 'de');
  assert.equal(await details.getByRole('heading', { level: 2 }).textContent(), 'Computerdetails');
  assert.match(await details.textContent(), /Betriebssystem.*Arbeitsspeicher8,7 GiB frei von 15,6 GiB/);
  assert.match(await details.textContent(), /Prozesse \(größte nach Speicher\)/);
  await page.getByTestId('lang-en').click();
  await waitForAttribute(page.locator('html'), 'lang', 'en');

  // No details sent: the server says 404; the page shows no section and no error.
  const answered = page.waitForResponse((r) => new URL(r.url()).pathname === `/api/v1/requests/${without.id}/diagnostics`);
  await openSession(page, without.id);
  assert.equal((await answered).status(), 404);
  // The rest of the page is there (the transcript has loaded too).
  await page.locator('[data-testid=session-transcript], [data-testid=session-transcript-empty]').first().waitFor();
  await page.getByTestId('session-customer-name').waitFor();
  assert.equal(await page.getByTestId('session-customer-name').textContent(), 'Emil');
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(await page.getByTestId('diagnostics').count(), 0, 'no computer details');
  assert.equal(await page.getByTestId('session-diagnostics-error').count(), 0, 'no error about them');
  assert.equal(await page.getByTestId('session-detail').locator('[role=alert]').count(), 0, 'no error on the page');
  assert.equal(await page.getByText('Computer details').count(), 0);

  // Back to the first session: the details come again.
  await openSession(page, withApp.id);
  await details.waitFor();
  assert.equal(await details.getByTestId('diag-os').textContent(), 'Debian GNU/Linux 12 (bookworm)');

  // (openManager expects the 404 of a session without details.)
  assertNoProblems([boss]);
});
