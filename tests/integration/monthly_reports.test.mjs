// Monthly reports (docs/reports.md, "Monthly reports") against the real
// node: the node rolls each account day's report facts up (here every
// second), and a monthly report added from those roll-ups holds exactly the
// numbers the daily reports compute from the facts for the same days, for a
// company manager and for a team manager's teams; its CSV holds its months;
// the months there are are listed; the account's time zone is a setting;
// bad input is a 400 and other roles a 403.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCsv } from '../harness/csv.mjs';
import { startNode } from '../harness/node.mjs';
import { DEMO_MANAGER, customerFields, login, managerCall, openConsole, openCustomer } from '../harness/intake.mjs';

let node;
const sockets = [];
before(async () => {
  node = await startNode({ args: ['--node.demo', '--intake.per-address-per-min=0', '--reports.rollup-interval-s=1'] });
});
after(async () => {
  for (const c of sockets) c.ws?.terminate();
  await node?.stop();
});

const month = (ms) => new Date(ms).toISOString().slice(0, 7);
const monthStart = (ms) => Date.UTC(new Date(ms).getUTCFullYear(), new Date(ms).getUTCMonth(), 1);
const sleep = (ms) => new Promise((res) => setTimeout(res, ms));

/** The parts of a daily report a monthly report of the same days repeats. */
function body(report, keys) {
  return Object.fromEntries(keys.map((k) => [k, report[k]]));
}

test('a monthly report from the roll-ups holds the numbers of the daily reports of its days', async () => {
  const manager = await login(node, 'manager', ...DEMO_MANAGER);
  const lead = await login(node, 'manager', 'teamlead@demo.openassist.example', 'demo-teamlead-1');
  const anna = await openConsole(node, 'anna@demo.openassist.example');
  const carla = await openConsole(node, 'carla@demo.openassist.example');
  sockets.push(anna, carla);
  const started = Date.now();
  const customer = async (name) => {
    const c = await openCustomer(node, 'demo', 'help', { fields: customerFields(name) });
    sockets.push(c);
    return c;
  };
  const alerted = (tech, id) => tech.waitFor((m) => m.type === 'alert' && m.alert.request_id === id, 15_000);
  const ack = async (tech, type, fields) => {
    const a = await tech.command(type, fields);
    assert.equal(a.type, 'ack', `${type}: ${JSON.stringify(a)}`);
  };
  // Anna answers and closes one (rated 5 with a comment); Anna declines the
  // next, Carla answers it (rated 2); one is cancelled; one still waits.
  const alice = await customer('Alice Monthly');
  const a = alice.request.request_id;
  await alerted(anna, a);
  await ack(anna, 'request.accept', { request_id: a });
  await ack(anna, 'request.join', { request_id: a });
  await ack(anna, 'request.close', { request_id: a, resolution: 'resolved', notes: '' });
  assert.equal((await alice.command('customer.rate', { rating: 5, comment: 'quick' })).type, 'request.state');
  const bruno = await customer('Bruno Monthly');
  const b = bruno.request.request_id;
  await alerted(anna, b);
  await alerted(carla, b);
  await ack(anna, 'request.decline', { request_id: b });
  await ack(carla, 'request.accept', { request_id: b });
  await ack(carla, 'request.join', { request_id: b });
  await ack(carla, 'request.close', { request_id: b, resolution: 'unresolved', notes: '' });
  assert.equal((await bruno.command('customer.rate', { rating: 2 })).type, 'request.state');
  const clara = await customer('Clara Monthly');
  assert.equal((await clara.command('customer.cancel')).request.outcome, 'cancelled');
  await customer('Dora Monthly');
  const done = Date.now();

  const from = month(started);
  const to = month(done);
  const range = `from=${monthStart(started)}&to=${done + 1000}`;
  // The roll-up runs every second: wait until it has the last change.
  let monthly;
  for (let t = 0; ; t++) {
    monthly = await managerCall(node, manager, 'GET', `/reports/monthly?from=${from}&to=${to}&kind=snapshot`);
    assert.equal(monthly.status, 200, monthly.text);
    if (monthly.json.survey.ratings >= 2 && monthly.json.totals.submitted >= 4) break;
    assert.ok(t < 100, `the roll-up never caught up: ${monthly.text}`);
    await sleep(200);
  }
  const list = await managerCall(node, manager, 'GET', '/reports/monthly');
  assert.equal(list.status, 200, list.text);
  assert.deepEqual(list.json, { months: [...new Set([from, to])], time_zone: 'UTC' });

  const snap = await managerCall(node, manager, 'GET', `/reports/snapshot?${range}`);
  assert.equal(snap.status, 200, snap.text);
  assert.equal(snap.json.totals.submitted, 4);
  assert.deepEqual(
    body(monthly.json, ['totals', 'technicians', 'portals', 'survey']),
    body(snap.json, ['totals', 'technicians', 'portals', 'survey']),
  );
  assert.deepEqual([monthly.json.report, monthly.json.kind, monthly.json.from_month, monthly.json.to_month], ['monthly', 'snapshot', from, to]);
  assert.equal(monthly.json.through_day, new Date().toISOString().slice(0, 10));
  const row = monthly.json.months.at(-1);
  const t = snap.json.totals;
  assert.deepEqual(
    [row.month, row.submitted, row.answered, row.declined, row.abandoned, row.open, row.average_wait_ms, row.ratings, row.average_rating],
    [to, t.submitted, t.answered, t.declined, t.abandoned, t.open, t.average_wait_ms, 2, 3.5],
  );

  // Technician performance and the service level (a target among the buckets).
  const techs = await managerCall(node, manager, 'GET', `/reports/monthly?from=${from}&to=${to}&kind=technicians`);
  const dailyTechs = await managerCall(node, manager, 'GET', `/reports/technicians?${range}`);
  assert.deepEqual(techs.json.technicians, dailyTechs.json.technicians);
  assert.equal(techs.json.technicians.length, 2);
  for (const target of [15, 60, 600]) {
    const level = await managerCall(node, manager, 'GET', `/reports/monthly?from=${from}&to=${to}&kind=service_level&target_s=${target}`);
    const daily = await managerCall(node, manager, 'GET', `/reports/service_level?${range}&target_s=${target}`);
    assert.equal(level.status, 200, level.text);
    assert.deepEqual(body(level.json, ['target_ms', 'totals', 'portals']), body(daily.json, ['target_ms', 'totals', 'portals']));
  }

  // A team manager: only their teams' technicians' sessions, as in the daily reports.
  const leadMonthly = await managerCall(node, lead, 'GET', `/reports/monthly?from=${from}&to=${to}`);
  const leadSnap = await managerCall(node, lead, 'GET', `/reports/snapshot?${range}`);
  assert.equal(leadMonthly.status, 200, leadMonthly.text);
  assert.deepEqual(
    body(leadMonthly.json, ['totals', 'technicians', 'portals', 'survey']),
    body(leadSnap.json, ['totals', 'technicians', 'portals', 'survey']),
  );
  assert.ok(leadMonthly.json.totals.submitted < 4, leadMonthly.text);

  // The CSV: its months first, then the snapshot's tables.
  const csv = await fetch(`${node.publicUrl}/api/v1/reports/monthly?from=${from}&to=${to}&format=csv`, {
    headers: { cookie: manager.cookie },
  });
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type'), /^text\/csv/);
  assert.match(csv.headers.get('content-disposition'), /attachment; filename="monthly-snapshot-\d{4}-\d\d\.csv"/);
  const lines = parseCsv(await csv.text());
  assert.deepEqual(lines[0].slice(0, 3), ['month', 'submitted', 'answered']);
  const csvRow = lines.find((l) => l[0] === to);
  assert.deepEqual(csvRow.slice(1, 3), [String(row.submitted), String(row.answered)]);
  assert.ok(lines.some((l) => l[0] === 'submitted' && l[1] === String(t.submitted)), 'the snapshot table follows');
});

test('the time zone is an account setting; bad months, kinds and targets are a 400, other roles a 403', async () => {
  const manager = await login(node, 'manager', ...DEMO_MANAGER);
  const bad = await managerCall(node, manager, 'PUT', '/account', { time_zone: 'Mars/Olympus' });
  assert.equal(bad.status, 400, bad.text);
  assert.equal(bad.json.error.field, 'time_zone');
  const set = await managerCall(node, manager, 'PUT', '/account', { time_zone: 'Europe/Berlin' });
  assert.equal(set.status, 200, set.text);
  assert.equal(set.json.time_zone, 'Europe/Berlin');
  assert.equal((await managerCall(node, manager, 'GET', '/account')).json.time_zone, 'Europe/Berlin');
  for (let t = 0; ; t++) {
    const list = await managerCall(node, manager, 'GET', '/reports/monthly');
    if (list.json.time_zone === 'Europe/Berlin') break;
    assert.ok(t < 50, 'the desk follows the account');
    await sleep(100);
  }
  await managerCall(node, manager, 'PUT', '/account', { time_zone: 'UTC' });

  for (const query of [
    'from=2026-13',
    'from=2026-1',
    'from=x&to=2026-01',
    'from=2026-05&to=2026-04',
    'from=2025-01&to=2026-01',
    'from=2026-01&kind=sessions',
    'from=2026-01&kind=everything',
    'from=2026-01&kind=service_level&target_s=45',
    'from=2026-01&target_s=-1',
    'from=2026-01&portal_id=x',
    'from=2026-01&format=xml',
  ]) {
    const res = await managerCall(node, manager, 'GET', `/reports/monthly?${query}`);
    assert.equal(res.status, 400, `${query}: ${res.text}`);
    assert.equal(res.json.error.code, 'bad_field', query);
  }
  const empty = await managerCall(node, manager, 'GET', '/reports/monthly?from=2020-01&to=2020-12');
  assert.equal(empty.status, 200, empty.text);
  assert.equal(empty.json.months.length, 12);
  assert.ok(empty.json.months.every((m) => m.submitted === 0 && m.average_wait_ms === null));
  assert.equal(empty.json.through_day, null);

  const anon = await fetch(`${node.publicUrl}/api/v1/reports/monthly`);
  assert.equal(anon.status, 401);
  const tech = await login(node, 'technician', 'anna@demo.openassist.example', 'demo-tech-1');
  const techRes = await managerCall(node, tech, 'GET', '/reports/monthly');
  assert.equal(techRes.status, 403, techRes.text);
});
