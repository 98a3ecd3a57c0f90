// The service level monitor (docs/dashboards.md, "service_level") over real
// HTTP and WebSocket, against the node with its demo account: target_s is
// checked; a request stored before the monitor started is counted (read from
// storage), a new one within a second of its 201 and its cancel after; a new
// target reaches every row; and the row holds the same numbers as the service
// level report of the same day.
// Run: OA_BIN=build/test/node/openassist node --test tests/integration/dashboards_service_level.test.mjs
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sleep, startNode } from '../harness/node.mjs';
import { DEMO_MANAGER, customerFields, login, post } from '../harness/intake.mjs';
import { assertError, dashboardCalls, isUpdate, latestRow, watch } from '../harness/dashboards.mjs';

let node;
let manager;
const sockets = [];
const track = (c) => {
  sockets.push(c);
  return c;
};
const { call, createMonitor, managerSocket, intakeUrl } = dashboardCalls(() => node, track);

before(async () => {
  node = await startNode({ args: ['--node.demo', '--intake.per-address-per-min=0'] });
  manager = await login(node, 'manager', ...DEMO_MANAGER);
});

after(async () => {
  for (const c of sockets) c.ws?.terminate();
  if (!node) return;
  const exit = await node.stop();
  assert.equal(exit.code, 0, `the node exits cleanly (sanitizers included):\n${node.output().slice(-4000)}`);
});

test('service level: a monitor with a target counts today by portal, from what is stored and then live', async () => {
  // target_s: only for a service level monitor, whole seconds 1..3600.
  assertError(await call(manager, 'POST', '/monitors', { name: 'SL', kind: 'waiting', target_s: 60 }), 400, 'bad_field', 'target_s');
  for (const target_s of [0, 3601, '60', 1.5]) {
    const res = await call(manager, 'POST', '/monitors', { name: 'SL', kind: 'service_level', target_s });
    assertError(res, 400, 'bad_field', 'target_s', JSON.stringify(target_s));
  }
  const plain = await createMonitor(manager, 'SL default', 'service_level');
  assert.equal(plain.target_s, 60, JSON.stringify(plain));
  const created = await call(manager, 'POST', '/monitors', { name: 'SL', kind: 'service_level', target_s: 3600 });
  assert.equal(created.status, 201, created.text);
  const sl = created.json;
  assert.equal(sl.target_s, 3600);
  const help = (await call(manager, 'GET', '/portals')).json.portals.find((p) => p.slug === 'help');
  const key = `p${help.id}`;

  // A request made before the monitor started is counted (it is read from storage).
  const before = await post(intakeUrl('help'), { fields: customerFields('Sally Stored') });
  assert.equal(before.status, 201, before.text);
  assert.equal((await post(`${intakeUrl('help')}/${before.json.request_id}/cancel`, { token: before.json.token })).status, 200);

  const ws = await managerSocket(manager);
  const state = await watch(ws, sl.id);
  assert.equal(state.type, 'dashboard.state', JSON.stringify(state));
  const rowNow = async (pred, what) => {
    const deadline = Date.now() + 5000;
    for (;;) {
      const row = latestRow(ws, sl.id, key);
      if (row && pred(row)) return row;
      if (Date.now() > deadline) throw new Error(`${what}: ${JSON.stringify(row)}`);
      await sleep(50);
    }
  };
  // Today's requests of the help portal so far: Sally's.
  const base = await rowNow((r) => r.abandoned >= 1, 'the stored request is counted');
  assert.equal(base.portal_name, 'Help Desk');
  assert.equal(base.target_ms, 3_600_000);
  assert.equal(typeof base.day_start, 'number');
  assert.ok(base.day_start <= Date.now() && Date.now() - base.day_start < 24 * 3600_000 + 3600_000, JSON.stringify(base));
  assert.equal(base.waits.length, 7);

  // A new request: counted within a second.
  let from = ws.messages.length;
  const made = await post(intakeUrl('help'), { fields: customerFields('Sam Service') });
  assert.equal(made.status, 201, made.text);
  const t0 = Date.now();
  const counted = await ws.waitFor(
    (m) => isUpdate(sl.id)(m) && m.rows.some((r) => r.key === key && r.submitted === base.submitted + 1),
    1000,
    { fromIndex: from },
  );
  assert.ok(Date.now() - t0 <= 1000);
  const row = counted.rows.find((r) => r.key === key);
  assert.equal(row.open, base.open + 1, JSON.stringify(row));
  // Cancelled: abandoned, no longer open.
  from = ws.messages.length;
  assert.equal((await post(`${intakeUrl('help')}/${made.json.request_id}/cancel`, { token: made.json.token })).status, 200);
  const gone = await rowNow((r) => r.abandoned === base.abandoned + 1, 'the cancel is counted');
  assert.equal(gone.open, base.open);
  assert.equal(gone.submitted, base.submitted + 1);

  // A new target: every row is measured against it.
  const changed = await call(manager, 'PUT', `/monitors/${sl.id}`, { target_s: 1 });
  assert.equal(changed.status, 200, changed.text);
  assert.equal(changed.json.target_s, 1);
  await rowNow((r) => r.target_ms === 1000, 'the new target');
  assertError(await call(manager, 'PUT', `/monitors/${sl.id}`, { target_s: 0 }), 400, 'bad_field', 'target_s');

  // The same numbers as the service level report of today (same definitions, same documents).
  const latest = latestRow(ws, sl.id, key);
  const report = await call(manager, 'GET', `/reports/service_level?from=${latest.day_start}&to=${Date.now() + 1000}&target_s=1&portal_id=${help.id}`);
  assert.equal(report.status, 200, report.text);
  const p = report.json.portals.find((x) => String(x.portal_id) === String(help.id));
  for (const k of ['submitted', 'answered', 'within_target', 'declined', 'no_response', 'abandoned', 'open'])
    assert.equal(latest[k], p[k], `${k}: monitor ${JSON.stringify(latest)} report ${JSON.stringify(p)}`);

  for (const id of [sl.id, plain.id]) assert.equal((await call(manager, 'DELETE', `/monitors/${id}`)).status, 204);
});
