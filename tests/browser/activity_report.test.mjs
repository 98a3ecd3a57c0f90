// The technician activity report in the Management Center (docs/reports.md,
// "Technician activity"), in headless Chromium at 1366×768 against the real
// node with its demo account:
//   Anna signs in to her console (available), then chooses busy and away in
//   its header, a couple of seconds apart. The company manager runs
//   "Technician activity" (the sixth report) for today: Anna's row has time
//   available, busy and away (hours:minutes, the exact times as data-*), her
//   changes, and her four times add up to the range up to when the report was
//   made (as every technician's do); busy lasted about as long as the console
//   showed it. The stacked bar chart is drawn and described; the per-day table
//   has today's row for Anna with the same times. The timeline, Anna chosen in
//   its select, shows her segments in order — offline (from the range's start,
//   before the console connected), available, busy, away (up to the report) —
//   consecutive, adding up to the table's times, and the same segments as a
//   list. The CSV link downloads the same numbers in seconds (the status still
//   running has grown by the time the CSV is made; each technician's times add
//   up to the range up to then), then the same per-day rows. Saved as a report
//   it is listed as "Technician activity" and runs again from My reports. A
//   manager who switches the page to German sees the German title.
// Run: OA_BIN=build/test/node/openassist OA_WEB_DIR=web/dist node --test tests/browser/activity_report.test.mjs
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCsv } from '../harness/csv.mjs';
import { COMPANY, apiGet, waitForAttribute, waitForText } from './helpers.mjs';
import { TECH_NAMES, assertNoProblems, openManager, setStatus, startIntake } from './intake_helpers.mjs';

const STATUSES = ['available', 'busy', 'away', 'offline'];
/** How long Anna stays in each status she chooses (ms). */
const STAY_MS = 2500;

let intake;

before(async () => {
  intake = await startIntake();
});

afterEach(async () => {
  await intake?.closeAll();
});

after(async () => {
  await intake?.stop();
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A CSV's parts between empty lines, each without empty rows. */
function csvParts(text) {
  const parts = [[]];
  for (const row of parseCsv(text)) {
    if (row.every((cell) => cell === '')) parts.push([]);
    else parts.at(-1).push(row);
  }
  return parts.filter((part) => part.length > 0);
}

/** A CSV table's rows as objects by its header. */
function rowsOf([header, ...rows]) {
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
}

/** The four times of a row (data-available-ms …) as numbers. */
async function timesOf(row) {
  const times = {};
  for (const s of STATUSES) times[s] = Number(await row.getAttribute(`data-${s}-ms`));
  return times;
}

const total = (times) => STATUSES.reduce((sum, s) => sum + times[s], 0);

/**
 * The Reports page with "Technician activity" for today chosen; switched to
 * German first when `german` (the manager's own language wins over the
 * browser's).
 */
async function openActivity(german = false) {
  const manager = await openManager(intake, COMPANY, { section: 'reports' });
  const { page } = manager;
  await page.getByTestId('report-form').waitFor();
  if (german) {
    await page.getByTestId('lang-de').click();
    await waitForAttribute(page.locator('html'), 'lang', 'de');
  }
  await page.getByTestId('report-kind').selectOption('activity');
  await page.getByTestId('report-period').selectOption('today');
  return manager;
}

/** Runs the form and waits for the activity's result. */
async function run(page) {
  await page.getByTestId('report-run').click();
  await waitForAttribute(page.getByTestId('report-form'), 'data-busy', 'false');
  await waitForAttribute(page.getByTestId('report-result'), 'data-kind', 'activity');
  await page.getByTestId('report-activity').waitFor();
}

test('technician activity of today: times, chart, days, timeline, CSV, saved, German', { timeout: 150_000 }, async () => {
  const { techs } = await intake.directory();
  const annaId = String(techs.anna);

  // Anna's console: available on connecting; then busy, then away, a couple of seconds each.
  const anna = await intake.console('anna');
  const select = anna.page.getByTestId('status-select');
  assert.equal(await select.getAttribute('data-status'), 'available', 'a console connects available');
  await sleep(STAY_MS);
  await setStatus(anna, 'busy');
  const busyAt = Date.now();
  await sleep(STAY_MS);
  await setStatus(anna, 'away');
  const awayAt = Date.now();
  await sleep(1500);

  const boss = await openActivity();
  const { page } = boss;
  const kinds = page.locator('[data-testid=report-kind] option');
  assert.deepEqual((await kinds.evaluateAll((os) => os.map((o) => [o.value, o.textContent]))).at(-1), [
    'activity',
    'Technician activity',
  ]);
  const calls = [];
  page.on('request', (req) => {
    const url = new URL(req.url());
    if (url.pathname.startsWith('/api/v1/reports/') && url.searchParams.get('format') !== 'csv') calls.push(url);
  });
  await run(page);
  assert.equal(calls.length, 1);
  assert.equal(calls[0].pathname, '/api/v1/reports/activity');
  assert.equal(calls[0].searchParams.get('target_s'), null, 'no target');

  const result = page.getByTestId('report-result');
  await waitForText(result.locator('.report-meta strong'), /^Technician activity$/);
  const from = Number(await result.getAttribute('data-from'));
  const to = Number(await result.getAttribute('data-to'));
  const view = page.getByTestId('report-activity');
  const generatedAt = Number(await view.getAttribute('data-generated-at'));
  assert.ok(from < busyAt && awayAt < generatedAt && generatedAt <= Date.now(), `${from} ${generatedAt}`);
  assert.ok(generatedAt < to, 'today has not ended');
  /** What the report covers: the range up to when it was made. */
  const covered = Math.min(to, generatedAt) - from;
  const today = await page.getByTestId('report-range').getAttribute('data-first-day');
  assert.match(await view.getAttribute('data-time-zone'), /^[A-Za-z_]+(\/[A-Za-z_+-]+)*$/);

  // The technicians: every one of the demo account, by name; Anna available, busy and away; all add up.
  const rows = page.getByTestId('report-activity-technician');
  const techRow = (id) => page.locator(`[data-testid=report-activity-technician][data-technician-id="${id}"]`);
  const shownIds = await rows.evaluateAll((trs) => trs.map((tr) => tr.dataset.technicianId));
  assert.ok(shownIds.includes(annaId), `Anna (${annaId}) in ${shownIds}`);
  assert.ok(shownIds.length >= 4, `the demo technicians: ${shownIds}`);
  const names = await page.getByTestId('report-activity-name').allTextContents();
  assert.deepEqual(names, [...names].sort((a, b) => a.localeCompare(b)), 'by name');
  for (const row of await rows.all()) {
    const times = await timesOf(row);
    assert.ok(Math.abs(total(times) - covered) <= 1000, `${JSON.stringify(times)} add up to ${covered}`);
  }
  const annaRow = techRow(annaId);
  await waitForText(annaRow.getByTestId('report-activity-name'), new RegExp(`^${TECH_NAMES.anna}$`));
  const annaTimes = await timesOf(annaRow);
  for (const s of ['available', 'busy', 'away'])
    assert.ok(annaTimes[s] > 0, `Anna ${s}: ${JSON.stringify(annaTimes)}`);
  assert.ok(annaTimes.available >= STAY_MS - 500, `available ${annaTimes.available}`);
  assert.ok(Math.abs(annaTimes.busy - (awayAt - busyAt)) <= 1500, `busy ${annaTimes.busy} vs ${awayAt - busyAt}`);
  assert.ok(annaTimes.offline > 0, 'offline from midnight until the node started');
  const changes = Number(await annaRow.getAttribute('data-changes'));
  assert.ok(changes >= 2 && changes <= 3, `changes ${changes}`);
  const cells = (await annaRow.locator('td').allTextContents()).map((c) => c.trim());
  assert.equal(cells.length, 5, cells.join('|'));
  for (const cell of cells.slice(0, 4)) assert.match(cell, /^\d+:\d{2}$/);
  assert.equal(cells[4], String(changes));
  const heads = await page.locator('[data-testid=report-activity-technicians] thead th').allTextContents();
  assert.deepEqual(heads, ['Technician', 'Available', 'Busy', 'Away', 'Offline', 'Status changes']);
  // Ben never signed in: offline all the time.
  const ben = await timesOf(techRow(techs.ben));
  assert.deepEqual([ben.available, ben.busy, ben.away], [0, 0, 0], JSON.stringify(ben));
  assert.ok(Math.abs(ben.offline - covered) <= 1000, JSON.stringify(ben));

  // The stacked bar chart: drawn, described with every technician's times.
  const chart = page.getByTestId('report-chart');
  assert.deepEqual(await chart.evaluateAll((cs) => cs.map((c) => c.dataset.chart)), ['activity']);
  assert.equal(await chart.getAttribute('role'), 'img');
  await chart.locator('canvas').waitFor();
  const box = await chart.boundingBox();
  assert.ok(box.width > 200 && box.height > 100, `chart ${JSON.stringify(box)}`);
  const described = await chart.getAttribute('aria-label');
  assert.match(described, /^Stacked bar chart of each technician’s time per status in (hours|minutes): /);
  const annaDescribed = `${TECH_NAMES.anna}: Available [\\d.]+, Busy [\\d.]+, Away [\\d.]+, Offline [\\d.]+`;
  assert.match(described, new RegExp(annaDescribed));
  assert.match(described, /The table “Time per status” lists the same times\.$/);
  const legend = await page.locator('[data-testid=report-activity-legend]').first().locator('li').allTextContents();
  assert.deepEqual(legend, ['Available', 'Busy', 'Away', 'Offline']);

  // The days: today's row for Anna, the same times as the table (one day).
  const dayRow = page.locator(
    `[data-testid=report-activity-day][data-day="${today}"][data-technician-id="${annaId}"]`,
  );
  assert.equal(await dayRow.count(), 1, 'Anna today');
  assert.deepEqual(await timesOf(dayRow), annaTimes);
  const days = await page.getByTestId('report-activity-day').evaluateAll((trs) => trs.map((tr) => tr.dataset.day));
  assert.deepEqual([...new Set(days)], [today], 'only today');
  assert.equal(days.length, shownIds.length, 'one row per technician');

  // The timeline: Anna's segments in order, consecutive, over the range up to the report.
  await page.getByTestId('report-activity-pick').selectOption(annaId);
  const strip = page.getByTestId('report-activity-strip');
  await waitForAttribute(strip, 'data-technician-id', annaId);
  assert.equal(Number(await strip.getAttribute('data-from')), from);
  assert.equal(Number(await strip.getAttribute('data-to')), Math.min(to, generatedAt));
  const segments = await strip
    .getByTestId('report-activity-segment')
    .evaluateAll((els) =>
      els.map((e) => ({ status: e.dataset.status, from: Number(e.dataset.from), to: Number(e.dataset.to) })),
    );
  assert.deepEqual(
    segments.map((s) => s.status),
    ['offline', 'available', 'busy', 'away'],
    JSON.stringify(segments),
  );
  assert.equal(segments[0].from, from, 'offline from the range start');
  for (let i = 1; i < segments.length; i++) assert.equal(segments[i].from, segments[i - 1].to, 'consecutive');
  assert.ok(Math.abs(segments.at(-1).to - Math.min(to, generatedAt)) <= 1000, 'away up to the report');
  for (const s of segments) {
    const length = s.to - s.from;
    assert.ok(Math.abs(length - annaTimes[s.status]) <= 1000, `${s.status}: ${length} vs ${annaTimes[s.status]}`);
  }
  const bands = await strip.getByTestId('report-activity-segment').evaluateAll((els) =>
    els.map((e) => {
      const r = e.getBoundingClientRect();
      return { width: r.width, color: getComputedStyle(e).backgroundColor };
    }),
  );
  assert.ok(bands.every((b) => b.width >= 1), JSON.stringify(bands));
  assert.equal(new Set(bands.map((b) => b.color)).size, 4, `a colour per status: ${JSON.stringify(bands)}`);
  const listed = await page
    .getByTestId('report-activity-segment-row')
    .evaluateAll((trs) => trs.map((tr) => [tr.dataset.status, Number(tr.dataset.from), Number(tr.dataset.to)]));
  assert.deepEqual(
    listed,
    segments.map((s) => [s.status, s.from, s.to]),
  );
  await page.locator('.activity-list summary').click();
  await waitForText(page.getByTestId('report-activity-segment-row').nth(2).locator('th'), /^Busy$/);
  const listCaption = await page.locator('[data-testid=report-activity-segments] caption').textContent();
  assert.ok((listCaption ?? '').includes(TECH_NAMES.anna), listCaption);
  for (const table of await page.locator('[data-testid=report-result] table').all()) {
    assert.ok(((await table.locator('caption').textContent()) ?? '').trim().length > 0, 'a caption');
    assert.ok((await table.locator('thead th[scope=col]').count()) >= 2, 'column headings');
  }
  assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= 1366, 'no wider than the window');

  // The CSV: the technicians in seconds, then the days; the status still running has grown since.
  const link = page.getByTestId('report-csv');
  const href = await link.getAttribute('href');
  assert.match(href, /^\/api\/v1\/reports\/activity\?.*format=csv/);
  assert.notEqual(await link.getAttribute('download'), null, 'the link downloads');
  const asked = Date.now();
  const csv = await page.evaluate(async (url) => {
    const res = await fetch(url);
    const head = (name) => res.headers.get(name) ?? '';
    const text = await res.text();
    return { status: res.status, type: head('content-type'), disposition: head('content-disposition'), text };
  }, href);
  const answered = Date.now();
  assert.equal(csv.status, 200, csv.text);
  assert.match(csv.type, /^text\/csv/);
  assert.match(csv.disposition, /^attachment/);
  assert.match(csv.text, /\r\n\r\n/, 'CRLF, an empty line between the tables');
  const [techTable, dayTable] = csvParts(csv.text);
  const seconds = ['available_s', 'busy_s', 'away_s', 'offline_s'];
  assert.deepEqual(techTable[0], ['technician_id', 'technician', ...seconds, 'changes'], csv.text);
  assert.deepEqual(dayTable[0], ['day', 'technician_id', 'technician', ...seconds], csv.text);
  const ms = (row) => Object.fromEntries(STATUSES.map((s) => [s, Number(row[`${s}_s`]) * 1000]));
  const techCsv = rowsOf(techTable);
  assert.deepEqual(
    techCsv.map((r) => r.technician_id),
    shownIds,
    csv.text,
  );
  // The CSV covers the range up to when it was made: between asking and the answer.
  for (const r of techCsv) {
    const sum = total(ms(r));
    assert.ok(sum >= asked - from - 1000 && sum <= answered - from + 1000, `${r.technician}: ${sum} (${csv.text})`);
  }
  const annaCsv = techCsv.find((r) => r.technician_id === annaId);
  assert.equal(annaCsv.technician, TECH_NAMES.anna);
  assert.equal(Number(annaCsv.changes), changes);
  const grown = answered - generatedAt + 1000;
  const annaCsvMs = ms(annaCsv);
  for (const s of ['available', 'busy', 'offline'])
    assert.ok(Math.abs(annaCsvMs[s] - annaTimes[s]) < 1000, `CSV ${s} ${annaCsvMs[s]} vs ${annaTimes[s]}`);
  assert.ok(
    annaCsvMs.away > annaTimes.away - 1000 && annaCsvMs.away <= annaTimes.away + grown,
    `CSV away ${annaCsvMs.away} vs ${annaTimes.away} (+${grown})`,
  );
  const dayCsv = rowsOf(dayTable);
  assert.deepEqual([...new Set(dayCsv.map((r) => r.day))], [today], csv.text);
  const annaDay = dayCsv.find((r) => r.technician_id === annaId);
  assert.equal(annaDay.technician, TECH_NAMES.anna);
  for (const s of STATUSES) assert.ok(Math.abs(ms(annaDay)[s] - annaCsvMs[s]) < 1000, `CSV day ${s}: ${csv.text}`);

  // Saved as a report: listed as "Technician activity", and it runs again from My reports.
  await page.getByTestId('report-save-form').getByLabel('Report name').fill('Activity today');
  await page.getByTestId('report-save').click();
  await waitForText(page.getByTestId('notice'), /^Report “Activity today” saved to My reports\.$/);
  const saved = page.getByTestId('my-report');
  await waitForAttribute(saved.first(), 'data-kind', 'activity');
  await waitForText(saved.first().getByTestId('my-report-kind'), /^Technician activity$/);
  const [onServer] = (await apiGet(page, '/saved-reports')).saved_reports;
  assert.deepEqual([onServer.kind, onServer.period], ['activity', 'today']);
  await page.getByTestId('report-kind').selectOption('snapshot');
  const rerun = page.waitForResponse((res) => new URL(res.url()).pathname === '/api/v1/reports/activity');
  await saved.first().getByTestId('my-report-run').click();
  assert.equal((await rerun).status(), 200);
  await waitForAttribute(page.getByTestId('report-form'), 'data-busy', 'false');
  assert.equal(await page.getByTestId('report-kind').inputValue(), 'activity');
  await waitForAttribute(result, 'data-kind', 'activity');
  assert.equal(calls.length, 2);

  // In German: the report's name as the title, the tables' headings.
  const german = await openActivity(true);
  const de = german.page;
  const germanKind = de.locator('[data-testid=report-kind] option[value=activity]');
  assert.equal(await germanKind.textContent(), 'Technikeraktivität');
  await run(de);
  await waitForText(de.locator('[data-testid=report-result] .report-meta strong'), /^Technikeraktivität$/);
  await waitForText(de.locator('#report-activity-title'), /^Zeit je Status$/);
  const germanHeads = await de.locator('[data-testid=report-activity-technicians] thead th').allTextContents();
  assert.deepEqual(germanHeads, ['Techniker', 'Verfügbar', 'Beschäftigt', 'Abwesend', 'Offline', 'Statuswechsel']);
  await waitForText(de.locator('#report-activity-timeline-title'), /^Statusverlauf$/);
  await waitForText(de.getByTestId('report-csv'), /^CSV herunterladen$/);
  assert.match(await de.getByTestId('report-chart').getAttribute('aria-label'), /^Gestapeltes Balkendiagramm /);

  assertNoProblems([anna, boss, german]);
});
