// Monthly reports in the Management Center (docs/reports.md, "Monthly
// reports"), in headless Chromium at 1366×768 against the real node with its
// demo account, writing its daily roll-ups every second
// (--reports.rollup-interval-s=1; a roll-up covers the days up to today):
//   Three requests through the real public API, with Anna's console over the
//   WebSocket: Rita's and Ruth's Anna answers and closes (Rita rates it 5),
//   Cora cancels hers. The company manager opens Reports → "Monthly reports"
//   (its own address, #/reports/monthly): the current month is offered (once
//   the first day has been rolled up: until then the tab says so and looks
//   again on "Check again"), chosen as first and last month, and the account's
//   time zone (UTC) is said. The snapshot summary of the month: its row in the
//   months table has 3 submitted, 2 answered, 1 abandoned, 1 rating of 5 — the
//   same as GET /api/v1/reports/snapshot for the month's days says — the
//   chart of submitted and answered per month is drawn and described, the
//   line under the head names UTC and today as the last day rolled up, and the
//   snapshot's own tables follow with the same totals. Technician performance
//   shows Anna's row with her 2 sessions; the service level offers the six
//   targets the roll-ups keep (15 s … 10 min) and reports against the one
//   chosen. The CSV link downloads the months table with the month. A last
//   month before the first is said and not sent. The tab's words in German.
//   On the Account page the company manager sets the account's time zone to
//   Europe/Berlin and saves: after a reload it is kept, and the monthly tab
//   says its days are cut in Europe/Berlin.
// Run: OA_BIN=build/test/node/openassist OA_WEB_DIR=web/dist node --test tests/browser/monthly_reports.test.mjs
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCsv } from '../harness/csv.mjs';
import { customerFields, openConsole as openConsoleSocket, openCustomer } from '../harness/intake.mjs';
import { COMPANY, apiGet, until, waitForAttribute, waitForText, waitForValue } from './helpers.mjs';
import { TECH_NAMES, assertNoProblems, openManager, startIntake } from './intake_helpers.mjs';

let intake;
const sockets = [];

before(async () => {
  intake = await startIntake({ args: ['--reports.rollup-interval-s=1'] });
});

afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  await intake?.closeAll();
});

after(async () => {
  await intake?.stop();
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The month (YYYY-MM) and day (YYYY-MM-DD) of now in UTC (the account's zone until changed), and the month's [from, to) in ms. */
function utcMonth() {
  const now = new Date();
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  return {
    month: now.toISOString().slice(0, 7),
    day: now.toISOString().slice(0, 10),
    from: Date.UTC(y, m, 1),
    to: Date.UTC(y, m + 1, 1),
  };
}

/** Selects the report kind, runs it and waits for its result (of that kind). */
async function runMonthly(page, kind) {
  await page.getByTestId('monthly-kind').selectOption(kind);
  await page.getByTestId('monthly-run').click();
  await waitForAttribute(page.getByTestId('monthly-form'), 'data-busy', 'false');
  await waitForAttribute(page.getByTestId('monthly-result'), 'data-kind', kind);
}

test('monthly reports from daily roll-ups: months, snapshot, technicians, service level, CSV; account time zone', { timeout: 120_000 }, async () => {
  const { node } = intake;
  const { techs } = await intake.directory();
  const anna = await openConsoleSocket(node, 'anna@demo.openassist.example');
  sockets.push(anna);
  const ask = async (name) => {
    const c = await openCustomer(node, 'demo', 'help', { fields: customerFields(name) });
    sockets.push(c);
    const id = String(c.request.request_id);
    await anna.waitFor((m) => m.type === 'alert' && String(m.alert.request_id) === id);
    return c;
  };
  const answer = async (c) => {
    for (const step of ['request.accept', 'request.join'])
      assert.equal((await anna.command(step, { request_id: c.request.request_id })).type, 'ack', step);
    const closed = await anna.command('request.close', { request_id: c.request.request_id, resolution: 'resolved' });
    assert.equal(closed.type, 'ack', JSON.stringify(closed));
  };

  // Rita and Ruth: answered and closed by Anna, Rita rates 5. Cora gives up.
  const rita = await ask('Rita');
  await answer(rita);
  await rita.waitFor((m) => m.type === 'request.state' && m.request.can_rate === true);
  assert.equal((await rita.command('customer.rate', { rating: 5 })).request?.rating, 5);
  const ruth = await ask('Ruth');
  await answer(ruth);
  const cora = await ask('Cora');
  assert.equal((await cora.command('customer.cancel')).request.outcome, 'cancelled');
  const expected = { submitted: 3, answered: 2, declined: 0, 'no-response': 0, abandoned: 1, open: 0 };

  const boss = await openManager(intake, COMPANY, { section: 'reports' });
  const { page } = boss;
  const monthlyCalls = [];
  page.on('request', (req) => {
    const url = new URL(req.url());
    if (url.pathname === '/api/v1/reports/monthly' && url.searchParams.has('from')) monthlyCalls.push(url);
  });

  // The tabs: reports by day first (chosen), then the monthly reports at their own address.
  const daily = page.getByTestId('reports-tab-daily');
  const monthlyTab = page.getByTestId('reports-tab-monthly');
  await waitForAttribute(daily, 'aria-selected', 'true');
  assert.deepEqual(await page.getByRole('tab').allTextContents(), ['Reports by day', 'Monthly reports']);
  await page.getByTestId('report-form').waitFor();
  await monthlyTab.click();
  await waitForAttribute(monthlyTab, 'aria-selected', 'true');
  assert.equal(new URL(page.url()).hash, '#/reports/monthly');
  assert.equal(await page.getByTestId('nav-reports').getAttribute('aria-current'), 'page');
  assert.equal(await page.getByTestId('report-form').count(), 0, 'the reports by day are on their own tab');

  // The current month is offered once the first day has been rolled up: until then "Check again".
  const { month, day, from, to } = utcMonth();
  let empty = '';
  await until(async () => {
    if ((await page.getByTestId('monthly-form').count()) > 0) return true;
    if ((await page.getByTestId('monthly-empty').count()) > 0) {
      empty = (await page.getByTestId('monthly-empty').textContent().catch(() => '')) || empty;
      await page.getByTestId('monthly-check-again').click({ timeout: 1000 }).catch(() => {});
    }
    await sleep(300);
    return false;
  }, 'the months with roll-ups', 20_000);
  if (empty !== '') assert.match(empty, /Monthly reports appear once the first day has been rolled up/);
  const offered = await page.locator('[data-testid=monthly-from] option').evaluateAll((os) => os.map((o) => o.value));
  assert.ok(offered.includes(month), `the current month in ${JSON.stringify(offered)}`);
  assert.equal(offered.at(-1), month, 'the latest month last');
  await waitForValue(page.getByTestId('monthly-from'), month);
  await waitForValue(page.getByTestId('monthly-to'), month);
  await waitForAttribute(page.getByTestId('monthly-zone'), 'data-time-zone', 'UTC');
  await waitForText(page.getByTestId('monthly-zone'), /^Days are cut in the time zone UTC/);
  assert.deepEqual(
    await page.locator('[data-testid=monthly-kind] option').evaluateAll((os) => os.map((o) => [o.value, o.textContent])),
    [
      ['snapshot', 'Snapshot summary'],
      ['technicians', 'Technician performance'],
      ['service_level', 'Service level'],
    ],
  );
  assert.equal(await page.getByTestId('monthly-result').count(), 0, 'nothing runs before "Run report"');

  // The snapshot of the month: run again until the roll-up has the three requests as they ended.
  const row = page.locator(`[data-testid=monthly-month][data-month="${month}"]`);
  const counts = () =>
    row.evaluate((tr) => ({
      submitted: Number(tr.dataset.submitted),
      answered: Number(tr.dataset.answered),
      declined: Number(tr.dataset.declined),
      'no-response': Number(tr.dataset.noResponse),
      abandoned: Number(tr.dataset.abandoned),
      open: Number(tr.dataset.open),
    }));
  await until(async () => {
    await runMonthly(page, 'snapshot');
    const now = await counts();
    if (JSON.stringify(now) === JSON.stringify(expected)) return true;
    await sleep(500);
    return false;
  }, 'the month rolled up with the three requests', 20_000);
  const sent = monthlyCalls.at(-1);
  assert.deepEqual(Object.fromEntries(sent.searchParams), { from: month, to: month, kind: 'snapshot' });
  assert.equal(await page.getByTestId('monthly-month').count(), 1, 'one month, one row');
  assert.equal(await row.getAttribute('data-ratings'), '1');
  assert.equal(Number(await row.getAttribute('data-average-rating')), 5);
  assert.notEqual(await row.getAttribute('data-average-wait-ms'), '', 'two were answered');
  const cells = (await row.locator('td').allTextContents()).map((c) => c.trim());
  assert.deepEqual(cells.slice(0, 6), ['3', '2', '0', '0', '1', '0'], cells.join('|'));
  const monthName = new Intl.DateTimeFormat('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(from);
  await waitForText(row.locator('th'), new RegExp(`^${monthName}$`));
  await waitForText(page.getByTestId('monthly-range'), new RegExp(`^Month ${monthName}$`));

  // The same numbers as the snapshot over the month's days.
  const direct = await apiGet(page, `/reports/snapshot?from=${from}&to=${to}`);
  for (const key of ['submitted', 'answered', 'declined', 'no_response', 'abandoned', 'open'])
    assert.equal(direct.totals[key], expected[key.replace('_', '-')], `snapshot ${key}: ${JSON.stringify(direct.totals)}`);
  const totals = page.getByTestId('report-totals');
  for (const [name, value] of Object.entries(expected))
    assert.equal(await totals.getAttribute(`data-${name}`), String(value), `the snapshot's totals: ${name}`);
  const annaRow = page.locator(`[data-testid=report-technician][data-technician-id="${techs.anna}"]`);
  assert.equal(await annaRow.getAttribute('data-sessions'), '2');

  // The line under the head: the zone and the last day rolled up (today); the chart drawn and described.
  const cut = page.getByTestId('monthly-cut');
  assert.equal(await cut.getAttribute('data-time-zone'), 'UTC');
  assert.equal(await cut.getAttribute('data-through-day'), day);
  await waitForText(cut, /^Days are cut in time zone UTC; includes days through .+\.$/);
  const chart = page.locator('[data-testid=report-chart][data-chart=months]');
  await chart.locator('canvas').waitFor();
  const box = await chart.boundingBox();
  assert.ok(box.width > 200 && box.height > 100, `chart ${JSON.stringify(box)}`);
  assert.match(
    await chart.getAttribute('aria-label'),
    new RegExp(`^Bar chart of the submitted and answered requests per month: ${monthName} submitted 3, answered 2\\.`),
  );
  assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= 1366, 'no wider than the window');

  // The CSV: the months first, with this month's numbers.
  const csvLink = page.getByTestId('monthly-csv');
  assert.notEqual(await csvLink.getAttribute('download'), null, 'the link downloads');
  const href = await csvLink.getAttribute('href');
  assert.match(href, /^\/api\/v1\/reports\/monthly\?.*format=csv/);
  const csv = await page.evaluate(async (url) => {
    const res = await fetch(url);
    return {
      status: res.status,
      type: res.headers.get('content-type') ?? '',
      disposition: res.headers.get('content-disposition') ?? '',
      text: await res.text(),
    };
  }, href);
  assert.equal(csv.status, 200, csv.text);
  assert.match(csv.type, /^text\/csv/);
  assert.match(csv.disposition, /^attachment/);
  assert.ok(csv.text.includes(month), `the month in the CSV: ${csv.text}`);
  const monthLine = parseCsv(csv.text).find((r) => r[0] === month);
  assert.ok(monthLine, `a row for ${month}: ${csv.text}`);
  assert.ok(monthLine.includes('3') && monthLine.includes('2'), `its numbers: ${monthLine}`);

  // Technician performance: Anna's row with her two sessions.
  await runMonthly(page, 'technicians');
  await page.getByTestId('report-technician-performance').waitFor();
  const perfRow = page.locator(`[data-testid=report-technician][data-technician-id="${techs.anna}"]`);
  await waitForText(perfRow.getByTestId('report-technician-name'), new RegExp(`^${TECH_NAMES.anna}$`));
  assert.equal(await perfRow.getAttribute('data-sessions'), '2');
  assert.equal(await perfRow.getAttribute('data-ratings'), '1');
  assert.deepEqual(Object.fromEntries(monthlyCalls.at(-1).searchParams), { from: month, to: month, kind: 'technicians' });
  assert.match(await page.getByTestId('monthly-csv').getAttribute('href'), /kind=technicians.*format=csv/);

  // The service level: the six targets the roll-ups keep, 1 min first chosen; reported against the one chosen.
  await page.getByTestId('monthly-kind').selectOption('service_level');
  const target = page.getByTestId('monthly-target');
  assert.deepEqual(await target.locator('option').evaluateAll((os) => os.map((o) => [o.value, o.textContent])), [
    ['15', '15 s'],
    ['30', '30 s'],
    ['60', '1 min'],
    ['120', '2 min'],
    ['300', '5 min'],
    ['600', '10 min'],
  ]);
  assert.equal(await target.inputValue(), '60');
  await target.selectOption('300');
  await runMonthly(page, 'service_level');
  assert.deepEqual(Object.fromEntries(monthlyCalls.at(-1).searchParams), {
    from: month,
    to: month,
    kind: 'service_level',
    target_s: '300',
  });
  const slFacts = page.getByTestId('report-sl-facts');
  assert.equal(await slFacts.getAttribute('data-target-ms'), '300000');
  assert.equal(await page.getByTestId('report-totals').getAttribute('data-submitted'), '3');

  // A last month before the first (when there is an earlier month to choose): said, and the button waits.
  if (offered.length > 1) {
    await page.getByTestId('monthly-to').selectOption(offered[0]);
    await waitForText(page.getByTestId('monthly-range-wrong'), /^The last month is before the first\.$/);
    assert.equal(await page.getByTestId('monthly-run').isDisabled(), true);
    await page.getByTestId('monthly-to').selectOption(month);
  }

  // In German: the tabs and the form.
  await page.getByTestId('lang-de').click();
  await waitForAttribute(page.locator('html'), 'lang', 'de');
  assert.deepEqual(await page.getByRole('tab').allTextContents(), ['Berichte nach Tagen', 'Monatsberichte']);
  await waitForText(page.locator('label[for=monthly-from]'), /^Erster Monat$/);
  await waitForText(page.getByTestId('monthly-run'), /^Bericht erstellen$/);
  await waitForText(page.getByTestId('monthly-cut'), /^Tage enden in der Zeitzone UTC; enthält die Tage bis /);
  await page.getByTestId('lang-en').click();
  await waitForAttribute(page.locator('html'), 'lang', 'en');

  // The account's time zone: Europe/Berlin, saved, kept after a reload; the monthly tab says it.
  const nav = page.getByTestId('nav-account');
  await nav.click();
  await waitForAttribute(nav, 'aria-current', 'page');
  const zoneForm = page.getByTestId('account-zone-form');
  const zone = zoneForm.locator('select[name=time_zone]');
  await waitForValue(zone, 'UTC');
  assert.equal((await apiGet(page, '/account')).time_zone, 'UTC');
  await waitForText(zoneForm, /Monthly reports close each day of the account at midnight in this time zone/);
  await zone.selectOption('Europe/Berlin');
  await page.getByTestId('account-zone-save').click();
  await waitForText(page.getByTestId('notice'), /^Account settings saved\.$/);
  assert.equal((await apiGet(page, '/account')).time_zone, 'Europe/Berlin');
  await page.reload();
  await waitForValue(page.getByTestId('account-zone-form').locator('select[name=time_zone]'), 'Europe/Berlin');
  // The other account settings are as they were.
  const account = await apiGet(page, '/account');
  assert.equal(account.time_zone, 'Europe/Berlin');
  await waitForValue(page.getByTestId('account-form').locator('input[name=file_limit_mb]'), String(account.file_limit_mb));

  await page.goto(`${node.publicUrl}/manage/#/reports/monthly`);
  await waitForAttribute(page.getByTestId('reports-tab-monthly'), 'aria-selected', 'true');
  await waitForAttribute(page.getByTestId('monthly-zone'), 'data-time-zone', 'Europe/Berlin');

  assertNoProblems([boss]);
});
