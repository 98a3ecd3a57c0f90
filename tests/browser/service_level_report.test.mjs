// The service level report in the Management Center (docs/reports.md,
// "Service level"), in headless Chromium at 1366×768 against the real node
// with its demo account:
//   Three requests through the real public API, with Anna's console over the
//   WebSocket: Rita's Anna accepts and joins at once (a wait of well under the
//   target) and closes; Dora's Anna declines and Dora cancels; Olga's is still
//   open. The company manager picks "Service level": a "Target wait
//   (seconds)" field appears with 60; 0, 3601, 1.5 and nothing are each said
//   under it and not sent (neither run nor saved). With 3600 for today: the
//   request carries target_s=3600; the summary says the target (1 h) and 50%
//   within it (1 of the 2 ended requests), the totals are exact (3 submitted,
//   1 answered, 1 within target, 1 declined, 0 no response, 1 abandoned,
//   1 open), the waits table and its drawn, described chart have the seven
//   buckets with Rita's wait in its own, the portal "Help Desk" its row; the
//   CSV link downloads the same numbers (measures, waits, portals). Saved as
//   a report it keeps its target ("Service level, target 1 h"); Run from My
//   reports puts the target back in the form and sends it. A manager whose
//   browser speaks German sees it all in German.
// Run: OA_BIN=build/test/node/openassist OA_WEB_DIR=web/dist node --test tests/browser/service_level_report.test.mjs
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCsv } from '../harness/csv.mjs';
import { customerFields, openConsole as openConsoleSocket, openCustomer } from '../harness/intake.mjs';
import { COMPANY, apiGet, waitForAttribute, waitForText, waitForValue } from './helpers.mjs';
import { assertNoProblems, openManager, startIntake } from './intake_helpers.mjs';

const BOUNDS = [15_000, 30_000, 60_000, 120_000, 300_000, 600_000, ''];
const BUCKETS = ['≤15 s', '≤30 s', '≤1 min', '≤2 min', '≤5 min', '≤10 min', '> 10 min'];
/** What the test makes: the totals as data-* names. */
const EXPECTED = {
  submitted: 3,
  answered: 1,
  'within-target': 1,
  declined: 1,
  'no-response': 0,
  abandoned: 1,
  open: 1,
};

let intake;
const sockets = [];

before(async () => {
  intake = await startIntake();
});

afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  await intake?.closeAll();
});

after(async () => {
  await intake?.stop();
});

/**
 * The Reports page, the service level chosen for today; in German when
 * `german` (switched on the page: the manager's own language, English for
 * the demo manager, wins over the browser's).
 */
async function openServiceLevel(german = false) {
  const manager = await openManager(intake, COMPANY, { section: 'reports' });
  const { page } = manager;
  await page.getByTestId('report-form').waitFor();
  if (german) {
    await page.getByTestId('lang-de').click();
    await waitForAttribute(page.locator('html'), 'lang', 'de');
  }
  assert.equal(await page.getByTestId('report-target').count(), 0, 'no target for the other reports');
  await page.getByTestId('report-kind').selectOption('service_level');
  await waitForValue(page.getByTestId('report-target'), '60');
  await page.getByTestId('report-period').selectOption('today');
  return manager;
}

/** Runs the form and waits for the service level's result. */
async function run(page) {
  await page.getByTestId('report-run').click();
  await waitForAttribute(page.getByTestId('report-form'), 'data-busy', 'false');
  await waitForAttribute(page.getByTestId('report-result'), 'data-kind', 'service_level');
}

/** A target that is not a whole number from 1 to 3600: said under the field on "Run report". */
async function refused(page, value, message) {
  await page.getByTestId('report-target').fill(value);
  await page.getByTestId('report-run').click();
  const error = page.locator('[data-testid=field-error][data-field=target_s]');
  await waitForText(error, message);
  assert.equal(await page.getByTestId('report-target').getAttribute('aria-invalid'), 'true', value);
}

/** The wait the one answered request had (ms) and the counts the buckets must show for it. */
async function waitsExpected(page) {
  const wait = Number(await page.getByTestId('report-totals').getAttribute('data-longest-wait-ms'));
  assert.ok(Number.isFinite(wait) && wait >= 0 && wait <= 3_600_000, `wait ${wait}`);
  const at = BOUNDS.findIndex((b) => b === '' || wait <= b);
  return { wait, counts: BOUNDS.map((_, i) => (i === at ? 1 : 0)) };
}

/** A CSV's parts between empty lines, each without empty rows. */
function csvParts(text) {
  const parts = [[]];
  for (const row of parseCsv(text)) {
    if (row.every((cell) => cell === '')) parts.push([]);
    else parts.at(-1).push(row);
  }
  return parts.filter((part) => part.length > 0);
}

test('service level of today: target, numbers, chart, portals, CSV, saved, German', { timeout: 180_000 }, async () => {
  const { node } = intake;
  const anna = await openConsoleSocket(node, 'anna@demo.openassist.example');
  sockets.push(anna);
  const ask = async (name) => {
    const c = await openCustomer(node, 'demo', 'help', { fields: customerFields(name) });
    sockets.push(c);
    await anna.waitFor((m) => m.type === 'alert' && String(m.alert.request_id) === String(c.request.request_id));
    return c;
  };
  // Rita: answered at once and closed. Dora: declined, then she gives up. Olga waits.
  const rita = await ask('Rita');
  for (const step of ['request.accept', 'request.join'])
    assert.equal((await anna.command(step, { request_id: rita.request.request_id })).type, 'ack', step);
  const closed = await anna.command('request.close', { request_id: rita.request.request_id, resolution: 'resolved' });
  assert.equal(closed.type, 'ack', JSON.stringify(closed));
  const dora = await ask('Dora');
  assert.equal((await anna.command('request.decline', { request_id: dora.request.request_id })).type, 'ack');
  assert.equal((await dora.command('customer.cancel')).request.outcome, 'cancelled');
  await ask('Olga');

  const boss = await openServiceLevel();
  const { page } = boss;
  const calls = [];
  page.on('request', (req) => {
    const url = new URL(req.url());
    // The runs (the CSV download below is fetched too, and left out).
    if (url.pathname.startsWith('/api/v1/reports/') && url.searchParams.get('format') !== 'csv') calls.push(url);
  });
  const kinds = await page.locator('[data-testid=report-kind] option').evaluateAll((os) => os.map((o) => o.value));
  assert.deepEqual(kinds, ['snapshot', 'sessions', 'technicians', 'feedback', 'service_level', 'activity']);
  await waitForText(page.locator('[data-testid=report-kind] option[value=service_level]'), /^Service level$/);
  await waitForText(page.locator('label[for=report-target]'), /^Target wait \(seconds\)$/);

  // Wrong targets: said under the field, neither run nor saved.
  for (const bad of ['0', '3601', '1.5', ''])
    await refused(page, bad, /^Target wait \(seconds\): must be a whole number of seconds from 1 to 3600$/);
  await page.getByTestId('report-save-form').getByLabel('Report name').fill('SLA today');
  await page.getByTestId('report-save').click();
  await new Promise((r) => setTimeout(r, 300));
  assert.deepEqual(calls, [], 'a wrong target is not sent');
  assert.equal(await page.getByTestId('report-result').count(), 0);
  assert.deepEqual((await apiGet(page, '/saved-reports')).saved_reports, [], 'nor saved');

  // 3600 s: the error goes, the report runs with it.
  await page.getByTestId('report-target').fill('3600');
  await page.locator('[data-testid=field-error][data-field=target_s]').waitFor({ state: 'detached' });
  await run(page);
  assert.equal(calls.length, 1);
  assert.equal(calls[0].pathname, '/api/v1/reports/service_level');
  assert.equal(calls[0].searchParams.get('target_s'), '3600');
  const from = Number(calls[0].searchParams.get('from'));
  assert.ok(from <= Date.now() && Date.now() < Number(calls[0].searchParams.get('to')), 'today');

  // The summary: the target, the share within it (1 of the 2 ended), the exact totals.
  const totals = page.getByTestId('report-totals');
  for (const [name, value] of Object.entries(EXPECTED))
    assert.equal(await totals.getAttribute(`data-${name}`), String(value), name);
  assert.equal(await totals.getAttribute('data-target-ms'), '3600000');
  assert.equal(Number(await totals.getAttribute('data-within-target-percent')), 50);
  assert.equal(await totals.getAttribute('data-average-wait-ms'), await totals.getAttribute('data-longest-wait-ms'));
  assert.notEqual(await totals.getAttribute('data-average-handle-ms'), '', "Rita's session ended");
  await waitForText(page.getByTestId('report-sl-target'), /^1 h$/);
  await waitForText(page.getByTestId('report-sl-percent'), /^50%$/);
  await waitForText(page.getByTestId('report-sl-share'), /^1 of 2 requests that ended answered within 1 h\./);
  await waitForText(totals.locator('tr[data-measure=within_target] td'), /^1$/);
  await waitForText(totals.locator('tr[data-measure=within_target_percent] td'), /^50%$/);
  await waitForText(totals.locator('tr[data-measure=abandoned] td'), /^1$/);
  await waitForText(totals.locator('tr[data-measure=average_wait_ms] td'), /^\d+ (s|min)/);
  await waitForText(totals.locator('tr[data-measure=average_handle_ms] td'), /^\d+ (s|min)/);

  // The waits: seven buckets, Rita's wait in its own; the chart drawn and described with the same numbers.
  const { wait, counts } = await waitsExpected(page);
  const waitRows = page.getByTestId('report-wait');
  const shownWaits = await waitRows.evaluateAll((trs) =>
    trs.map((tr) => [tr.querySelector('th').textContent, tr.dataset.upToMs, Number(tr.dataset.count)]),
  );
  assert.deepEqual(
    shownWaits,
    BUCKETS.map((label, i) => [label, String(BOUNDS[i]), counts[i]]),
  );
  const chart = page.getByTestId('report-chart');
  assert.deepEqual(await chart.evaluateAll((cs) => cs.map((c) => c.dataset.chart)), ['waits']);
  assert.equal(await chart.getAttribute('role'), 'img');
  await chart.locator('canvas').waitFor();
  const box = await chart.boundingBox();
  assert.ok(box.width > 200 && box.height > 100, `chart ${JSON.stringify(box)}`);
  assert.equal(
    await chart.getAttribute('aria-label'),
    `Bar chart of the answered requests by wait: ${BUCKETS.map((b, i) => `${b} ${counts[i]}`).join(', ')}. ` +
      'The table beside it lists the same numbers.',
  );

  // The portal: Help Desk with the same numbers.
  const portal = page.getByTestId('report-portal');
  assert.equal(await portal.count(), 1);
  await waitForText(portal.locator('th'), /^Help Desk$/);
  const cells = (await portal.locator('td').allTextContents()).map((c) => c.trim());
  assert.deepEqual(cells.slice(0, 5), ['3', '1', '1', '50%', '1'], cells.join('|'));
  assert.equal(await portal.getAttribute('data-longest-wait-ms'), String(wait));
  for (const table of await page.locator('[data-testid=report-result] table').all())
    assert.ok(((await table.locator('caption').textContent()) ?? '').trim().length > 0, 'a caption');
  assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= 1366, 'no wider than the window');

  // The CSV: the target and the same totals, then the waits, then the portal.
  const link = page.getByTestId('report-csv');
  const href = await link.getAttribute('href');
  assert.match(href, /^\/api\/v1\/reports\/service_level\?.*target_s=3600.*format=csv/);
  assert.notEqual(await link.getAttribute('download'), null, 'the link downloads');
  const csv = await page.evaluate(async (url) => {
    const res = await fetch(url);
    const head = (name) => res.headers.get(name) ?? '';
    const text = await res.text();
    return { status: res.status, type: head('content-type'), disposition: head('content-disposition'), text };
  }, href);
  assert.equal(csv.status, 200, csv.text);
  assert.match(csv.type, /^text\/csv/);
  assert.match(csv.disposition, /^attachment/);
  const [measureRows, waitTable, portalTable] = csvParts(csv.text);
  const measures = Object.fromEntries(measureRows.map((r) => [r[0], r[1]]));
  assert.equal(measures.measure, 'value', csv.text);
  assert.equal(Number(measures.target_seconds), 3600, csv.text);
  for (const [name, value] of Object.entries(EXPECTED))
    assert.equal(measures[name.replace('-', '_')], String(value), `CSV ${name}: ${csv.text}`);
  assert.equal(Number(measures.within_target_percent), 50, csv.text);
  assert.equal(Math.round(Number(measures.longest_wait_seconds) * 1000), wait, csv.text);
  assert.equal(waitTable.length, 1 + BOUNDS.length, csv.text);
  assert.deepEqual(
    waitTable.slice(1, BOUNDS.length).map((r) => Number(r[0]) * 1000),
    BOUNDS.slice(0, -1),
    csv.text,
  );
  assert.deepEqual(
    waitTable.slice(1).map((r) => Number(r[1])),
    counts,
    csv.text,
  );
  const [portalHead, ...portalRows] = portalTable;
  assert.equal(portalRows.length, 1, csv.text);
  const portalCsv = Object.fromEntries(portalHead.map((h, i) => [h, portalRows[0][i]]));
  assert.deepEqual(
    [portalCsv.portal, portalCsv.submitted, portalCsv.answered, portalCsv.within_target, portalCsv.abandoned],
    ['Help Desk', '3', '1', '1', '1'],
    csv.text,
  );

  // Saved as a report: it keeps the target; Run puts it back in the form and sends it.
  await page.getByTestId('report-save').click();
  await waitForText(page.getByTestId('notice'), /^Report “SLA today” saved to My reports\.$/);
  const saved = page.getByTestId('my-report');
  await waitForAttribute(saved.first(), 'data-kind', 'service_level');
  assert.equal(await saved.first().getAttribute('data-target-s'), '3600');
  await waitForText(saved.first().getByTestId('my-report-kind'), /^Service level, target 1 h$/);
  const [onServer] = (await apiGet(page, '/saved-reports')).saved_reports;
  assert.deepEqual([onServer.kind, onServer.period, onServer.target_s], ['service_level', 'today', 3600]);
  await page.getByTestId('report-target').fill('60');
  const rerun = page.waitForResponse((res) => new URL(res.url()).pathname === '/api/v1/reports/service_level');
  await saved.first().getByTestId('my-report-run').click();
  assert.equal(new URL((await rerun).url()).searchParams.get('target_s'), '3600');
  await waitForValue(page.getByTestId('report-target'), '3600');
  await waitForAttribute(page.getByTestId('report-form'), 'data-busy', 'false');
  await waitForAttribute(totals, 'data-target-ms', '3600000');
  assert.equal(calls.length, 2);

  // In German.
  const german = await openServiceLevel(true);
  const de = german.page;
  await waitForAttribute(de.locator('html'), 'lang', 'de');
  assert.equal(await de.locator('[data-testid=report-kind] option[value=service_level]').textContent(), 'Servicelevel');
  await waitForText(de.locator('label[for=report-target]'), /^Zielwartezeit \(Sekunden\)$/);
  const germanError = /^Zielwartezeit \(Sekunden\): muss eine ganze Zahl von Sekunden zwischen 1 und 3600 sein$/;
  await refused(de, '0', germanError);
  await de.getByTestId('report-target').fill('3600');
  await run(de);
  await waitForText(de.locator('#report-service-level-title'), /^Servicelevel$/);
  await waitForText(de.getByTestId('report-sl-percent'), /^50\s%$/);
  await waitForText(de.getByTestId('report-sl-share'), /^1 von 2 beendeten Anfragen innerhalb von 1 h beantwortet\./);
  const withinRow = de.locator('[data-testid=report-totals] tr[data-measure=within_target]');
  await waitForText(withinRow.locator('th'), /^Innerhalb des Ziels$/);
  await waitForText(de.locator('#report-sl-waits-title'), /^Wartezeiten der beantworteten Anfragen$/);
  assert.ok(
    (await de.getByTestId('report-chart').getAttribute('aria-label')).startsWith(
      'Balkendiagramm der beantworteten Anfragen nach Wartezeit: ≤15 s ',
    ),
  );
  const headings = await de.locator('[data-testid=report-portals] thead th').allTextContents();
  assert.ok(headings.includes('Anteil im Ziel'), headings.join('|'));
  await waitForText(de.getByTestId('report-csv'), /^CSV herunterladen$/);
  await waitForText(de.getByTestId('my-report-kind'), /^Servicelevel, Ziel 1 h$/);

  assertNoProblems([boss, german]);
});
