// Two reports of issue 13 against the real node with its demo account:
// technician activity (docs/reports.md, "Technician activity": statuses
// changed through consoles give durations that add up to the range, in the
// order they happened, with the CSV holding the same numbers) and
// technicians' own reports (a technician allowed `management_center` and
// `reports_self` reads their own sessions only; without them 403).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCsv } from '../harness/csv.mjs';
import { sleep, startNode } from '../harness/node.mjs';
import { DEMO_MANAGER, customerFields, login, managerCall, openConsole, openCustomer } from '../harness/intake.mjs';

let node;
const sockets = [];
before(async () => {
  node = await startNode({ args: ['--node.demo', '--intake.per-address-per-min=0'] });
});
after(async () => {
  for (const c of sockets) c.ws?.terminate();
  await node?.stop();
});

async function technicians(manager) {
  const list = (await managerCall(node, manager, 'GET', '/technicians')).json.technicians;
  return Object.fromEntries(list.map((t) => [t.email.split('@')[0], t]));
}

const secondsOf = (ms) => String(ms / 1000);

test('technician activity: statuses from the consoles, durations that add up, timeline in order, CSV as the table', async () => {
  const manager = await login(node, 'manager', ...DEMO_MANAGER);
  const techs = await technicians(manager);
  const from = Date.now();
  await sleep(300);
  const ben = await openConsole(node, 'ben@demo.openassist.example');
  sockets.push(ben);
  await sleep(700);
  for (const status of ['busy', 'away', 'available']) {
    const a = await ben.command('status.set', { status });
    assert.equal(a.type, 'ack', JSON.stringify(a));
    await sleep(700);
  }
  const to = Date.now() + 60_000; // the range ends in the future: counted up to now
  const res = await managerCall(node, manager, 'GET', `/reports/activity?from=${from}&to=${to}`);
  assert.equal(res.status, 200, res.text);
  const r = res.json;
  assert.equal(r.report, 'activity');
  const row = r.technicians.find((x) => x.technician_id === String(techs.ben.id));
  assert.ok(row, res.text);
  const covered = r.generated_at - from;
  assert.equal(row.available_ms + row.busy_ms + row.away_ms + row.offline_ms, covered, 'the four add up to the range so far');
  assert.ok(row.busy_ms >= 500 && row.away_ms >= 500 && row.available_ms >= 500, res.text);
  assert.ok(row.offline_ms >= 200, 'offline before the console connected');
  assert.equal(row.changes, 4);
  const mine = r.timeline.filter((s) => s.technician_id === String(techs.ben.id)).map((s) => s.status);
  assert.deepEqual(mine, ['offline', 'available', 'busy', 'away', 'available']);
  // Every technician of the account is in the table (the others offline).
  assert.ok(r.technicians.length >= 3, res.text);
  const day = r.days.filter((d) => d.technician_id === String(techs.ben.id));
  assert.ok(day.length >= 1 && day.length <= 2, JSON.stringify(r.days));
  assert.equal(
    day.reduce((n, d) => n + d.available_ms + d.busy_ms + d.away_ms + d.offline_ms, 0),
    covered,
    'the days add up to the range',
  );

  // The CSV: the same numbers (it is read a moment later: "now" moved on, the
  // changes did not).
  const csv = await managerCall(node, manager, 'GET', `/reports/activity?from=${from}&to=${to}&format=csv`);
  assert.equal(csv.status, 200, csv.text);
  const [totals, days] = csv.text.split('\r\n\r\n').map(parseCsv);
  assert.deepEqual(totals[0], ['technician_id', 'technician', 'available_s', 'busy_s', 'away_s', 'offline_s', 'changes']);
  const line = totals.find((c) => c[0] === String(techs.ben.id));
  assert.equal(line[1], row.name);
  assert.equal(line[3], secondsOf(row.busy_ms));
  assert.equal(line[4], secondsOf(row.away_ms));
  assert.equal(line[6], '4');
  assert.deepEqual(days[0], ['day', 'technician_id', 'technician', 'available_s', 'busy_s', 'away_s', 'offline_s']);

  // Narrowed to one technician; a range before the account's report_days is refused as for the others.
  const one = await managerCall(node, manager, 'GET', `/reports/activity?from=${from}&to=${to}&technician_id=${techs.ben.id}`);
  assert.deepEqual(one.json.technicians.map((x) => x.technician_id), [String(techs.ben.id)]);
  const old = await managerCall(node, manager, 'GET', `/reports/activity?from=${from - 91 * 86400_000}&to=${to}`);
  assert.equal(old.status, 400, old.text);
  assert.equal(old.json.error.code, 'out_of_retention');
});

test("technicians' own reports: only with both switches, only their own sessions", async () => {
  const manager = await login(node, 'manager', ...DEMO_MANAGER);
  const techs = await technicians(manager);
  const help = (await managerCall(node, manager, 'GET', '/portals')).json.portals.find((p) => p.slug === 'help');
  assert.ok(help);
  const anna = await openConsole(node, 'anna@demo.openassist.example');
  const carla = await openConsole(node, 'carla@demo.openassist.example');
  sockets.push(anna, carla);
  const from = Date.now() - 1000;
  const answer = async (tech, name) => {
    const c = await openCustomer(node, 'demo', 'help', { fields: customerFields(name) });
    sockets.push(c);
    const id = c.request.request_id;
    await tech.waitFor((m) => m.type === 'alert' && m.alert.request_id === id, 15_000);
    for (const type of ['request.accept', 'request.join']) {
      const a = await tech.command(type, { request_id: id });
      assert.equal(a.type, 'ack', `${type}: ${JSON.stringify(a)}`);
    }
    const closed = await tech.command('request.close', { request_id: id, resolution: 'resolved', notes: '' });
    assert.equal(closed.type, 'ack', JSON.stringify(closed));
    return id;
  };
  const annas = await answer(anna, 'Own Anna');
  const carlas = await answer(carla, 'Own Carla');
  const range = `from=${from}&to=${Date.now() + 1000}`;

  // Without the switches: 403, and /auth/me says so.
  const tech = await login(node, 'technician', 'anna@demo.openassist.example', 'demo-tech-1');
  const me = await managerCall(node, tech, 'GET', '/auth/me');
  assert.deepEqual(me.json.user.may, { management_center: false, reports: false });
  assert.equal((await managerCall(node, tech, 'GET', `/reports/snapshot?${range}`)).status, 403);
  assert.equal((await managerCall(node, tech, 'GET', '/requests')).status, 403);

  // Management Center access alone is not own reports.
  let put = await managerCall(node, manager, 'PUT', `/technicians/${techs.anna.id}`, { features: { management_center: true } });
  assert.equal(put.status, 200, put.text);
  assert.deepEqual((await managerCall(node, tech, 'GET', '/auth/me')).json.user.may, { management_center: true, reports: false });
  put = await managerCall(node, manager, 'PUT', `/technicians/${techs.anna.id}`, { features: { reports_self: true } });
  assert.equal(put.status, 200, put.text);
  assert.deepEqual((await managerCall(node, tech, 'GET', '/auth/me')).json.user.may, { management_center: true, reports: true });

  // The desk hears of the change from the account: the report follows within a moment.
  let rows;
  for (let i = 0; i < 50; i++) {
    const res = await managerCall(node, tech, 'GET', `/reports/sessions?${range}`);
    if (res.status === 200) {
      rows = res.json.rows;
      break;
    }
    await sleep(100);
  }
  assert.ok(rows, 'the report opened for the technician');
  assert.deepEqual(rows.map((r) => r.request_id), [annas]);
  const snap = await managerCall(node, tech, 'GET', `/reports/snapshot?${range}`);
  assert.equal(snap.json.totals.answered, 1, snap.text);
  assert.deepEqual(snap.json.technicians.map((t) => t.technician_id), [String(techs.anna.id)]);
  const csv = await managerCall(node, tech, 'GET', `/reports/sessions?${range}&format=csv`);
  assert.equal(csv.status, 200);
  assert.ok(!csv.text.includes('Own Carla') && csv.text.includes('Own Anna'), csv.text);
  // Naming another technician narrows to nothing; it never widens.
  const other = await managerCall(node, tech, 'GET', `/reports/sessions?${range}&technician_id=${techs.carla.id}`);
  assert.deepEqual(other.json.rows, []);
  const list = await managerCall(node, tech, 'GET', '/requests');
  assert.equal(list.status, 200, list.text);
  assert.ok(list.json.requests.every((r) => r.technician_id === techs.anna.id), list.text);
  assert.ok(!list.json.requests.some((r) => r.id === carlas || r.request_id === carlas));
  // Their own session's transcript (still in the desk's memory here: also the console's rule; an
  // older one is read from storage, unit-tested); the recording of their own session (not recorded
  // here), not of another's.
  const transcript = await managerCall(node, tech, 'GET', `/requests/${annas}/transcript`);
  assert.equal(transcript.status, 200, transcript.text);
  const none = await managerCall(node, tech, 'GET', '/requests/999999/transcript');
  assert.equal(none.status, 404, none.text);
  const recording = await managerCall(node, tech, 'GET', `/requests/${annas}/recording`);
  assert.equal(recording.status, 200, recording.text);
  assert.equal(recording.json.recorded, false, recording.text);
  assert.equal((await managerCall(node, tech, 'GET', `/requests/${carlas}/recording`)).status, 404);
  // Activity: only themselves.
  const act = await managerCall(node, tech, 'GET', `/reports/activity?${range}`);
  assert.deepEqual(act.json.technicians.map((t) => t.technician_id), [String(techs.anna.id)]);

  // Saved reports are theirs; everything else of the Management Center stays closed.
  const saved = await managerCall(node, tech, 'POST', '/saved-reports', { name: 'Mine', kind: 'activity', period: 'today' });
  assert.equal(saved.status, 201, saved.text);
  assert.equal((await managerCall(node, tech, 'GET', '/saved-reports')).json.saved_reports.length, 1);
  assert.deepEqual((await managerCall(node, manager, 'GET', '/saved-reports')).json.saved_reports, []);
  for (const path of ['/technicians', '/portals', '/monitors', '/account', '/audit']) {
    const res = await managerCall(node, tech, 'GET', path);
    assert.equal(res.status, 403, `${path}: ${res.status} ${res.text}`);
  }
});
