// Reports in the Management Center (docs/reports.md), in headless Chromium at
// 1366×768 against the real node with its demo account:
//   Four requests through the real public API, with Anna's console over the
//   WebSocket: Rita's is answered, closed and rated 4 with a comment (with
//   markup, shown as text); Dora's Anna declines and Dora cancels; Cora cancels
//   hers; Olga's is still open.
//   The company manager runs the snapshot summary for today: the totals are
//   exact (4 submitted, 1 answered, 1 declined, 0 no response, 2 abandoned,
//   1 open), Anna's row has her session, her decline and her rating, the survey
//   its one 4-star rating; two charts, each described. The session detail has
//   one row per request, oldest first, and its CSV link downloads the same rows
//   (the snapshot's CSV the same totals). Technician performance shows Anna's
//   row alone (1 session, 1 decline, no transfer, 1 rating of 4) with a chart
//   of the sessions and one of the handle time, each described; customer
//   feedback the survey and Rita's session alone (rated "4 of 5", named "4 of 5
//   stars", the comment as typed); each one's CSV holds the same numbers as its
//   table. The select offers the five reports in order, in English and German,
//   and the periods (the last 7 days first chosen, this month and last month
//   as their days say, custom days starting from the period's days).
//   A last day before the first is said and not sent; a first day 100 days
//   back is refused with the retention message naming the account's 90 report
//   days (the page checks it before sending; the server would refuse it too),
//   in English and, after switching, in German. The console stays clean (no
//   CSP violation) but for a 400 of that refusal, should the server be asked.
// Run: OA_BIN=build/test/node/openassist OA_WEB_DIR=web/dist node --test tests/browser/reports.test.mjs
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCsv } from '../harness/csv.mjs';
import { customerFields, openConsole as openConsoleSocket, openCustomer } from '../harness/intake.mjs';
import { COMPANY, waitForAttribute, waitForText } from './helpers.mjs';
import { TECH_NAMES, assertNoProblems, openManager, startIntake } from './intake_helpers.mjs';

/** Rita's comment: a comma for the CSV's quoting, markup that must show as text. */
const RITA_COMMENT = 'Quick & kind, <b>thanks</b>';

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

/** The Management Center at laptop size, signed in, on the Reports page. */
async function openReports(who) {
  const manager = await openManager(intake, who, { section: 'reports' });
  await manager.page.getByTestId('report-form').waitFor();
  return manager;
}

/** Runs the report the form shows and waits for its result (of that kind). */
async function runReport(page, kind) {
  await page.getByTestId('report-kind').selectOption(kind);
  await page.getByTestId('report-run').click();
  await waitForAttribute(page.getByTestId('report-form'), 'data-busy', 'false');
  await waitForAttribute(page.getByTestId('report-result'), 'data-kind', kind);
}

/** A YYYY-MM-DD day `n` days after `day`. */
function addDays(day, n) {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** The CSV link's file, fetched by the page with its session cookie. */
async function downloadCsv(page) {
  const link = page.getByTestId('report-csv');
  assert.notEqual(await link.getAttribute('download'), null, 'the link downloads');
  const href = await link.getAttribute('href');
  assert.match(href, /^\/api\/v1\/reports\/(snapshot|sessions|technicians|feedback)\?.*format=csv/);
  return page.evaluate(async (url) => {
    const res = await fetch(url);
    return {
      status: res.status,
      type: res.headers.get('content-type') ?? '',
      disposition: res.headers.get('content-disposition') ?? '',
      text: await res.text(),
    };
  }, href);
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

/** Every table of the result has a caption and column headings. */
async function assertTablesLabelled(page) {
  const tables = await page.locator('[data-testid=report-result] table').all();
  assert.ok(tables.length > 0, 'a table');
  for (const table of tables) {
    assert.ok(((await table.locator('caption').textContent()) ?? '').trim().length > 0, 'a caption');
    assert.ok((await table.locator('thead th[scope=col]').count()) >= 2, 'column headings');
  }
}

/** The charts of the result by name, each drawn (a canvas) at a readable size. */
async function drawnCharts(page) {
  const charts = page.getByTestId('report-chart');
  for (const chart of await charts.all()) {
    assert.equal(await chart.getAttribute('role'), 'img');
    await chart.locator('canvas').waitFor();
    const box = await chart.boundingBox();
    assert.ok(box.width > 200 && box.height > 100, `chart ${JSON.stringify(box)}`);
  }
  return charts.evaluateAll((cs) => cs.map((c) => c.dataset.chart));
}

/** Where the column whose heading matches is, failing with the headings. */
function column(header, pattern) {
  const i = header.findIndex((h) => pattern.test(h));
  assert.ok(i >= 0, `no column ${pattern} in ${JSON.stringify(header)}`);
  return i;
}

test('snapshot and session detail of today: exact counts, tables, charts, CSV; range and retention errors', { timeout: 180_000 }, async () => {
  const { node } = intake;
  const { techs } = await intake.directory();
  const anna = await openConsoleSocket(node, 'anna@demo.openassist.example');
  sockets.push(anna);
  const ask = async (name) => {
    const c = await openCustomer(node, 'demo', 'help', { fields: customerFields(name) });
    sockets.push(c);
    const id = String(c.request.request_id);
    await anna.waitFor((m) => m.type === 'alert' && String(m.alert.request_id) === id);
    return { c, id };
  };

  // Rita: answered, closed, rated 4 with a comment.
  const rita = await ask('Rita');
  for (const step of ['request.accept', 'request.join'])
    assert.equal((await anna.command(step, { request_id: rita.c.request.request_id })).type, 'ack', step);
  const closed = await anna.command('request.close', { request_id: rita.c.request.request_id, resolution: 'resolved' });
  assert.equal(closed.type, 'ack', JSON.stringify(closed));
  await rita.c.waitFor((m) => m.type === 'request.state' && m.request.can_rate === true);
  const rated = await rita.c.command('customer.rate', { rating: 4, comment: RITA_COMMENT });
  assert.equal(rated.request?.rating, 4, JSON.stringify(rated));

  // Dora: Anna declines, then Dora gives up. Cora gives up at once. Olga waits.
  const dora = await ask('Dora');
  const declined = await anna.command('request.decline', { request_id: dora.c.request.request_id });
  assert.equal(declined.type, 'ack', JSON.stringify(declined));
  assert.equal((await dora.c.command('customer.cancel')).request.outcome, 'cancelled');
  const cora = await ask('Cora');
  assert.equal((await cora.c.command('customer.cancel')).request.outcome, 'cancelled');
  const olga = await ask('Olga');
  const ids = [rita.id, dora.id, cora.id, olga.id];

  const boss = await openReports(COMPANY);
  const { page } = boss;
  const reportCalls = [];
  page.on('request', (req) => {
    if (new URL(req.url()).pathname.startsWith('/api/v1/reports/')) reportCalls.push(req.url());
  });

  // The form: the six reports, snapshot first; the last 7 days, today (in the manager's time zone) the last.
  const kinds = page.locator('[data-testid=report-kind] option');
  assert.deepEqual(await kinds.evaluateAll((os) => os.map((o) => [o.value, o.textContent])), [
    ['snapshot', 'Snapshot summary'],
    ['sessions', 'Session detail'],
    ['technicians', 'Technician performance'],
    ['feedback', 'Customer feedback'],
    ['service_level', 'Service level'],
    ['activity', 'Technician activity'],
  ]);
  assert.equal(await page.getByTestId('report-kind').inputValue(), 'snapshot');
  const periods = page.locator('[data-testid=report-period] option');
  assert.deepEqual(await periods.evaluateAll((os) => os.map((o) => [o.value, o.textContent])), [
    ['today', 'Today'],
    ['yesterday', 'Yesterday'],
    ['last_7_days', 'Last 7 days'],
    ['last_30_days', 'Last 30 days'],
    ['this_month', 'This month'],
    ['last_month', 'Last month'],
    ['days', 'Custom days'],
  ]);
  assert.equal(await page.getByTestId('report-period').inputValue(), 'last_7_days');
  const covered = page.getByTestId('report-period-days');
  const today = await covered.getAttribute('data-to');
  assert.match(today, /^\d{4}-\d{2}-\d{2}$/);
  assert.equal(await covered.getAttribute('data-from'), addDays(today, -6));
  assert.equal(await page.getByTestId('report-from').count(), 0, 'no days to choose for "Last 7 days"');
  // "This month": its first day to today; "Last month": the whole month before.
  await page.getByTestId('report-period').selectOption('this_month');
  await waitForAttribute(covered, 'data-from', `${today.slice(0, 8)}01`);
  assert.equal(await covered.getAttribute('data-to'), today);
  await page.getByTestId('report-period').selectOption('last_month');
  const lastOfLast = addDays(`${today.slice(0, 8)}01`, -1);
  await waitForAttribute(covered, 'data-from', `${lastOfLast.slice(0, 8)}01`);
  assert.equal(await covered.getAttribute('data-to'), lastOfLast);
  // Custom days start from the days of the period chosen before.
  await page.getByTestId('report-period').selectOption('last_7_days');
  await page.getByTestId('report-period').selectOption('days');
  assert.equal(await page.getByTestId('report-to').inputValue(), today);
  assert.equal(await page.getByTestId('report-from').inputValue(), addDays(today, -6));
  assert.equal(await covered.count(), 0);
  assert.equal(await page.getByTestId('report-result').count(), 0, 'nothing runs before "Run report"');

  // A last day before the first: said, not sent.
  await page.getByTestId('report-from').fill(addDays(today, 1));
  await waitForText(page.getByTestId('report-range-wrong'), /^The last day is before the first\.$/);
  await page.getByTestId('report-run').click();
  await new Promise((r) => setTimeout(r, 300));
  assert.deepEqual(reportCalls, [], 'a wrong range is not sent');
  assert.equal(await page.getByTestId('report-result').count(), 0);

  // The snapshot of today.
  await page.getByTestId('report-from').fill(today);
  await page.getByTestId('report-range-wrong').waitFor({ state: 'detached' });
  await runReport(page, 'snapshot');
  assert.equal(reportCalls.length, 1);
  const sent = new URL(reportCalls[0]);
  assert.equal(sent.pathname, '/api/v1/reports/snapshot');
  const from = Number(sent.searchParams.get('from'));
  const to = Number(sent.searchParams.get('to'));
  assert.ok(to - from >= 23 * 3600_000 && to - from <= 25 * 3600_000, `one day: ${from}..${to}`);
  assert.ok(from <= Date.now() && Date.now() < to, 'today is in the range');

  const totals = page.getByTestId('report-totals');
  const expected = { submitted: 4, answered: 1, declined: 1, 'no-response': 0, abandoned: 2, open: 1 };
  for (const [name, value] of Object.entries(expected))
    assert.equal(await totals.getAttribute(`data-${name}`), String(value), name);
  const waitMs = Number(await totals.getAttribute('data-average-wait-ms'));
  assert.ok(Number.isFinite(waitMs) && waitMs >= 0, `average wait ${waitMs}`);
  assert.equal(await totals.getAttribute('data-longest-wait-ms'), String(waitMs), 'one answered request');
  assert.notEqual(await totals.getAttribute('data-average-handle-ms'), '', 'the answered request ended');
  await waitForText(totals.locator('tr[data-measure=submitted] td'), /^4$/);
  await waitForText(totals.locator('tr[data-measure=abandoned] td'), /^2$/);
  await waitForText(totals.locator('tr[data-measure=average_wait_ms] td'), /^\d+ (s|min)/);
  assert.equal(await totals.getByRole('rowheader', { name: 'Submitted', exact: true }).count(), 1);

  const annaRow = page.locator(`[data-testid=report-technician][data-technician-id="${techs.anna}"]`);
  await annaRow.waitFor();
  await waitForText(annaRow.getByTestId('report-technician-name'), new RegExp(`^${TECH_NAMES.anna}$`));
  assert.equal(await annaRow.getAttribute('data-sessions'), '1');
  assert.equal(await annaRow.getAttribute('data-declined'), '1');
  assert.equal(await annaRow.getAttribute('data-ratings'), '1');
  assert.equal(Number(await annaRow.getAttribute('data-average-rating')), 4);
  const technicians = await page.getByTestId('report-technician-name').allTextContents();
  assert.deepEqual(technicians, [TECH_NAMES.anna], 'only Anna held or declined');
  const helpRow = page.locator('[data-testid=report-portal]');
  assert.equal(await helpRow.count(), 1);
  assert.equal(await helpRow.getAttribute('data-submitted'), '4');
  await waitForText(helpRow.locator('th'), /^Help Desk$/);

  const facts = page.getByTestId('report-survey-facts');
  assert.equal(await facts.getAttribute('data-ratings'), '1');
  assert.equal(Number(await facts.getAttribute('data-average-rating')), 4);
  assert.equal(await facts.getAttribute('data-comments'), '1');
  const ratings = await page
    .locator('[data-testid=report-ratings] tbody tr')
    .evaluateAll((rows) => rows.map((r) => Number(r.dataset.ratings)));
  assert.deepEqual(ratings, [0, 0, 0, 1, 0]);

  // Every table has a caption and column headings; the charts are described and drawn.
  await assertTablesLabelled(page);
  const charts = page.getByTestId('report-chart');
  assert.deepEqual(await drawnCharts(page), ['outcomes', 'ratings']);
  assert.match(
    await charts.first().getAttribute('aria-label'),
    /^Bar chart of the outcomes: Submitted 4, Answered 1, Declined 1, No response 0, Abandoned 2\./,
  );
  assert.match(await charts.nth(1).getAttribute('aria-label'), /4 stars 1, 5 stars 0\./);
  assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= 1366, 'no wider than the window');

  // The snapshot's CSV: the same totals, Anna's row.
  const snapshotCsv = await downloadCsv(page);
  assert.equal(snapshotCsv.status, 200, snapshotCsv.text);
  assert.match(snapshotCsv.type, /^text\/csv/);
  assert.match(snapshotCsv.disposition, /^attachment/);
  const snapshotRows = parseCsv(snapshotCsv.text);
  const measures = Object.fromEntries(snapshotRows.filter((r) => r.length === 2).map((r) => [r[0], r[1]]));
  for (const [name, value] of Object.entries(expected))
    assert.equal(measures[name.replace('-', '_')], String(value), `CSV ${name}: ${snapshotCsv.text}`);
  assert.ok(snapshotRows.some((r) => r.includes(TECH_NAMES.anna)), `Anna in the CSV: ${snapshotCsv.text}`);

  // The session detail: one row per request, oldest first.
  await runReport(page, 'sessions');
  const rows = page.getByTestId('report-session');
  const shown = await rows.evaluateAll((trs) =>
    trs.map((tr) => ({
      id: tr.dataset.requestId,
      created: Number(tr.dataset.createdMs),
      outcome: tr.dataset.outcome,
      rating: Number(tr.dataset.rating),
      customer: tr.querySelector('[data-testid=report-session-customer]').textContent,
    })),
  );
  assert.deepEqual(
    shown.map((r) => r.id),
    ids,
    'one row per request, oldest first',
  );
  assert.deepEqual(
    shown.map((r) => r.customer),
    ['Rita', 'Dora', 'Cora', 'Olga'],
  );
  assert.deepEqual(
    shown.map((r) => r.outcome),
    ['closed', 'cancelled', 'cancelled', 'open'],
  );
  assert.deepEqual(
    shown.map((r) => r.rating),
    [4, 0, 0, 0],
  );
  const ritaRow = rows.first();
  await waitForText(ritaRow.getByTestId('report-session-technician'), new RegExp(`^${TECH_NAMES.anna}$`));
  await waitForText(ritaRow.getByTestId('report-session-outcome'), /^Closed$/);
  await waitForText(rows.nth(3).getByTestId('report-session-outcome'), /^Open$/);
  assert.notEqual(await ritaRow.getAttribute('data-wait-ms'), '');
  assert.equal(await rows.nth(2).getAttribute('data-wait-ms'), '', 'nobody joined Cora');
  assert.equal(await page.getByTestId('report-truncated').count(), 0);
  const chartNames = await page.getByTestId('report-chart').evaluateAll((cs) => cs.map((c) => c.dataset.chart));
  assert.deepEqual(chartNames, ['waits']);
  await page.locator('[data-testid=report-chart][data-chart=waits] canvas').waitFor();

  // Its CSV: the same rows.
  const sessionsCsv = await downloadCsv(page);
  assert.equal(sessionsCsv.status, 200, sessionsCsv.text);
  assert.match(sessionsCsv.type, /^text\/csv/);
  const [header, ...data] = parseCsv(sessionsCsv.text).filter((r) => r.some((cell) => cell !== ''));
  const idAt = column(header, /^request(_id)?$/i);
  const customerAt = column(header, /^customer$/i);
  const outcomeAt = column(header, /^outcome$/i);
  const createdAt = column(header, /^created/i);
  assert.deepEqual(
    data.map((r) => r[idAt]),
    ids,
    sessionsCsv.text,
  );
  assert.deepEqual(
    data.map((r) => [r[customerAt], r[outcomeAt]]),
    shown.map((r) => [r.customer, r.outcome]),
  );
  data.forEach((r, i) => {
    const at = Date.parse(r[createdAt]);
    assert.match(r[createdAt], /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/, 'ISO 8601 in UTC');
    assert.ok(Math.abs(at - shown[i].created) < 1000, `created ${r[createdAt]} vs ${shown[i].created}`);
  });

  // Technician performance: Anna's row alone, the snapshot's numbers, two charts described with them.
  await runReport(page, 'technicians');
  await page.getByTestId('report-technician-performance').waitFor();
  const perfRow = page.locator(`[data-testid=report-technician][data-technician-id="${techs.anna}"]`);
  await waitForText(perfRow.getByTestId('report-technician-name'), new RegExp(`^${TECH_NAMES.anna}$`));
  assert.deepEqual(await page.getByTestId('report-technician-name').allTextContents(), [TECH_NAMES.anna]);
  const perf = await perfRow.evaluate((tr) => ({ ...tr.dataset }));
  assert.deepEqual(
    [perf.sessions, perf.declined, perf.transfers, perf.ratings, Number(perf.averageRating)],
    ['1', '1', '0', '1', 4],
    JSON.stringify(perf),
  );
  assert.notEqual(perf.averageWaitMs, '', 'Anna joined Rita');
  assert.notEqual(perf.averageHandleMs, '', "Rita's session ended");
  // The cells as shown: sessions, declined, transfers, wait, handle time, ratings, average rating.
  const perfCells = (await perfRow.locator('td').allTextContents()).map((c) => c.trim());
  assert.deepEqual([...perfCells.slice(0, 3), ...perfCells.slice(5)], ['1', '1', '0', '1', '4'], perfCells.join('|'));
  assert.match(perfCells[3], /^\d+ (s|min)/);
  assert.match(perfCells[4], /^\d+ (s|min)/);
  await assertTablesLabelled(page);
  assert.deepEqual(await drawnCharts(page), ['sessions', 'handle']);
  assert.equal(
    await page.locator('[data-testid=report-chart][data-chart=sessions]').getAttribute('aria-label'),
    `Bar chart of the sessions per technician: ${TECH_NAMES.anna} 1. ` +
      'The table “Technicians” lists the same numbers.',
  );
  const handleMinutes = Math.round((Number(perf.averageHandleMs) / 60_000) * 10) / 10;
  const handleLabel = await page.locator('[data-testid=report-chart][data-chart=handle]').getAttribute('aria-label');
  const handleWords = 'Bar chart of the average handle time per technician in minutes';
  assert.ok(handleLabel.startsWith(`${handleWords}: ${TECH_NAMES.anna} ${handleMinutes}. `), handleLabel);
  assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= 1366, 'no wider than the window');

  // Its CSV: the technicians table alone, Anna's row with the same numbers.
  const perfCsv = await downloadCsv(page);
  assert.equal(perfCsv.status, 200, perfCsv.text);
  assert.match(perfCsv.type, /^text\/csv/);
  assert.match(perfCsv.disposition, /^attachment/);
  const perfParts = csvParts(perfCsv.text);
  assert.equal(perfParts.length, 1, perfCsv.text);
  const [perfHeader, ...perfData] = perfParts[0];
  assert.equal(perfData.length, 1, perfCsv.text);
  const perfCsvRow = Object.fromEntries(perfHeader.map((h, i) => [h, perfData[0][i]]));
  assert.equal(perfCsvRow.technician_id, String(techs.anna));
  assert.equal(perfCsvRow.technician, TECH_NAMES.anna);
  const counts = (r) => [r.sessions, r.declined, r.transfers, r.ratings];
  assert.deepEqual(counts(perfCsvRow), counts(perf), perfCsv.text);
  assert.equal(Number(perfCsvRow.average_rating), Number(perf.averageRating), perfCsv.text);
  // Seconds in the CSV, milliseconds in the page: the same durations.
  const ms = (seconds) => Math.round(Number(seconds) * 1000);
  assert.equal(ms(perfCsvRow.average_wait_seconds), Number(perf.averageWaitMs), perfCsv.text);
  assert.equal(ms(perfCsvRow.average_handle_seconds), Number(perf.averageHandleMs), perfCsv.text);

  // Customer feedback: the survey as in the snapshot, then Rita's session alone, its comment as typed.
  await runReport(page, 'feedback');
  await page.getByTestId('report-feedback').waitFor();
  const feedbackFacts = page.getByTestId('report-survey-facts');
  assert.equal(await feedbackFacts.getAttribute('data-ratings'), '1');
  assert.equal(Number(await feedbackFacts.getAttribute('data-average-rating')), 4);
  assert.equal(await feedbackFacts.getAttribute('data-comments'), '1');
  const byScore = await page
    .locator('[data-testid=report-ratings] tbody tr')
    .evaluateAll((trs) => trs.map((r) => Number(r.dataset.ratings)));
  assert.deepEqual(byScore, [0, 0, 0, 1, 0]);
  assert.deepEqual(await drawnCharts(page), ['ratings']);
  assert.match(
    await page.getByTestId('report-chart').getAttribute('aria-label'),
    /^Bar chart of the ratings by stars: 1 star 0, 2 stars 0, 3 stars 0, 4 stars 1, 5 stars 0\./,
  );
  const ratedRow = page.getByTestId('report-feedback-row');
  assert.equal(await ratedRow.count(), 1, 'only Rita rated');
  assert.equal(await ratedRow.getAttribute('data-request-id'), rita.id);
  assert.equal(await ratedRow.getAttribute('data-rating'), '4');
  await waitForText(ratedRow.locator('th'), new RegExp(`^#${rita.id}$`));
  await waitForText(ratedRow.getByTestId('report-feedback-customer'), /^Rita$/);
  await waitForText(ratedRow.getByTestId('report-feedback-technician'), new RegExp(`^${TECH_NAMES.anna}$`));
  await waitForText(ratedRow.getByTestId('report-feedback-rating'), /^4 of 5$/);
  const named = ratedRow.getByRole('img', { name: '4 of 5 stars', exact: true });
  assert.equal(await named.count(), 1, 'the rating is named');
  const comment = ratedRow.getByTestId('report-feedback-comment');
  assert.equal(await comment.textContent(), RITA_COMMENT);
  assert.equal(await comment.locator('b').count(), 0, 'the comment is text, not markup');
  const closedMs = Number(await ratedRow.getAttribute('data-closed-ms'));
  assert.ok(from <= closedMs && closedMs <= Date.now(), `closed ${closedMs}`);
  await waitForText(ratedRow.getByTestId('report-feedback-closed'), /\d{1,2}:\d{2}:\d{2}/);
  assert.equal(await page.getByTestId('report-truncated').count(), 0);
  await assertTablesLabelled(page);

  // Its CSV: the survey as measures, then Rita's row with the same rating and comment.
  const feedbackCsv = await downloadCsv(page);
  assert.equal(feedbackCsv.status, 200, feedbackCsv.text);
  assert.match(feedbackCsv.type, /^text\/csv/);
  assert.match(feedbackCsv.disposition, /^attachment/);
  const [surveyLines, ratedTable] = csvParts(feedbackCsv.text);
  const survey = Object.fromEntries(surveyLines.map((r) => [r[0], r[1]]));
  assert.equal(survey.measure, 'value', feedbackCsv.text);
  assert.deepEqual(
    [survey.ratings, Number(survey.average_rating), survey.comments],
    ['1', 4, '1'],
    feedbackCsv.text,
  );
  assert.deepEqual(
    [1, 2, 3, 4, 5].map((n) => Number(survey[`rated_${n}`])),
    byScore,
    feedbackCsv.text,
  );
  const [ratedHeader, ...ratedData] = ratedTable;
  assert.deepEqual(ratedHeader, ['request_id', 'closed', 'portal', 'technician', 'customer', 'rating', 'comment']);
  assert.equal(ratedData.length, 1, feedbackCsv.text);
  const [csvId, csvClosed, csvPortal, csvTech, csvCustomer, csvRating, csvComment] = ratedData[0];
  assert.deepEqual(
    [csvId, csvPortal, csvTech, csvCustomer, csvRating, csvComment],
    [rita.id, 'Help Desk', TECH_NAMES.anna, 'Rita', '4', RITA_COMMENT],
  );
  assert.match(csvClosed, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/, 'ISO 8601 in UTC');
  assert.ok(Math.abs(Date.parse(csvClosed) - closedMs) < 1000, `closed ${csvClosed} vs ${closedMs}`);

  // A first day 100 days back: refused with the retention message, in the page's language.
  await page.getByTestId('report-from').fill(addDays(today, -100));
  await page.getByTestId('report-kind').selectOption('snapshot');
  await page.getByTestId('report-run').click();
  await waitForText(page.getByTestId('report-error'), /^Session data is kept only 90 days\./);
  assert.equal(await page.getByTestId('report-result').count(), 0, 'no result under the error');
  await page.getByTestId('lang-de').click();
  await waitForAttribute(page.locator('html'), 'lang', 'de');
  await waitForText(page.getByTestId('report-error'), /^Sitzungsdaten werden nur 90 Tage aufbewahrt\./);
  await waitForText(page.getByTestId('report-run'), /^Bericht erstellen$/);
  assert.deepEqual(await kinds.allTextContents(), [
    'Übersicht',
    'Sitzungsdetails',
    'Technikerleistung',
    'Kundenfeedback',
    'Servicelevel',
    'Technikeraktivität',
  ]);
  assert.deepEqual(await periods.allTextContents(), [
    'Heute',
    'Gestern',
    'Letzte 7 Tage',
    'Letzte 30 Tage',
    'Dieser Monat',
    'Letzter Monat',
    'Eigene Tage',
  ]);

  assertNoProblems([boss], [{ status: 400, path: '/api/v1/reports/snapshot' }]);
});
