// Live dashboards (docs/dashboards.md) over real HTTP and WebSocket, against
// the node with its demo account (node/demo.cpp) and a second account:
//   REST /api/v1/monitors: list, add each kind, rename, restart, remove; bad
//   input (400 bad_field naming the field), unknown ids (404), the 51st
//   monitor (409 limit), technicians (403), a missing CSRF token (403 csrf);
//   team managers list and add the same monitors.
//   dashboard.watch on the manager's socket: a waiting monitor shows a request
//   made on the public portal within a second and drops it when cancelled; a
//   technicians monitor has a row per technician, "force offline" shows there,
//   and a team manager sees (and may force offline) only their teams'.
//   Refused watches (bad_field, not_found, unauthenticated, bad_state, another
//   account's monitor) leave the connection usable; a removed monitor ends
//   with dashboard.stopped "removed" for every watcher.
// Run: OA_BIN=build/test/node/openassist node --test tests/integration/dashboards.test.mjs
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { get, sleep, startNode } from '../harness/node.mjs';
import { Client, DEMO_MANAGER, customerFields, login, managerCall, openConsole, post } from '../harness/intake.mjs';
import {
  assertError,
  assertMonitor,
  assertPing,
  assertWatchRefused,
  commandWithin,
  dashboardCalls,
  isUpdate,
  latestRow,
  watch,
} from '../harness/dashboards.mjs';

const TEAMLEAD = ['teamlead@demo.openassist.example', 'demo-teamlead-1'];
const OTHER = ['boss@other.example', 'other-boss-pw-1'];
const KINDS = ['technicians', 'waiting', 'active'];

let node;
let manager; // company manager of demo
let lead; // team manager of Support EU (and Tier 2 below it)
let other; // company manager of the second account
const ids = { me: {}, teams: {}, techs: {} };
const sockets = [];
const track = (c) => {
  sockets.push(c);
  return c;
};

before(async () => {
  node = await startNode({ args: ['--node.demo', '--intake.per-address-per-min=0'] });
  manager = await login(node, 'manager', ...DEMO_MANAGER);
  lead = await login(node, 'manager', ...TEAMLEAD);
  const created = await post(`${node.adminUrl}/accounts`, {
    id: 'other',
    name: 'Other Company',
    manager_email: OTHER[0],
    manager_password: OTHER[1],
  });
  assert.equal(created.status, 201, created.text);
  other = await login(node, 'manager', ...OTHER);
  for (const [who, session] of [['manager', manager], ['lead', lead], ['other', other]]) {
    const me = await managerCall(node, session, 'GET', '/auth/me');
    assert.equal(me.status, 200, me.text);
    ids.me[who] = me.json.user.id;
  }
  const teams = await managerCall(node, manager, 'GET', '/teams');
  assert.equal(teams.status, 200, teams.text);
  ids.teamList = teams.json.teams;
  for (const t of teams.json.teams) ids.teams[t.name] = t.id;
  const techs = await managerCall(node, manager, 'GET', '/technicians');
  assert.equal(techs.status, 200, techs.text);
  ids.techList = techs.json.technicians;
  for (const t of techs.json.technicians) ids.techs[t.email.split('@')[0]] = t.id;
  assert.deepEqual(Object.keys(ids.techs).sort(), ['anna', 'ben', 'carla', 'david'], 'the demo technicians');
});

after(async () => {
  for (const c of sockets) c.ws?.terminate();
  if (!node) return;
  const exit = await node.stop();
  assert.equal(exit.code, 0, `the node exits cleanly (sanitizers included):\n${node.output().slice(-4000)}`);
});

const { call, createMonitor, listMonitors, managerSocket, intakeUrl } = dashboardCalls(() => node, track);

test('REST: managers list, add, rename, restart and remove monitors; bad input, limits and rights are refused', async (t) => {
  const created = [];
  const byKind = {};
  const mon = (kind) => {
    assert.ok(byKind[kind], `the ${kind} monitor was added`);
    return byKind[kind];
  };
  try {
    await t.test('the list is empty at first, for both managers', async () => {
      assert.deepEqual(await listMonitors(manager), []);
      assert.deepEqual(await listMonitors(lead), []);
    });

    await t.test('a company manager adds one of each kind: 201 Monitor, 12 hours, running', async () => {
      for (const kind of KINDS) {
        const m = await createMonitor(manager, `My ${kind}`, kind);
        created.push(m.id);
        assertMonitor(m, { name: `My ${kind}`, kind, createdBy: ids.me.manager });
        byKind[kind] = m;
      }
      assert.equal(new Set(created.map(String)).size, 3, 'distinct ids');
    });

    await t.test('a team manager adds one too; both see the same list, oldest first', async () => {
      const leads = await createMonitor(lead, 'Lead waiting', 'waiting');
      created.push(leads.id);
      assertMonitor(leads, { name: 'Lead waiting', kind: 'waiting', createdBy: ids.me.lead });
      const list = await listMonitors(manager);
      assert.deepEqual(
        list.map((m) => String(m.id)),
        [...KINDS.map((k) => String(mon(k).id)), String(leads.id)],
        'oldest first',
      );
      for (const m of list) assertMonitor(m, {});
      assert.deepEqual(list[0], mon('technicians'));
      assert.deepEqual(await listMonitors(lead), list, 'the team manager sees the same list');
    });

    await t.test('rename: 200 Monitor with the new name', async () => {
      const w = mon('waiting');
      const renamed = await call(manager, 'PUT', `/monitors/${w.id}`, { name: 'Waiting now' });
      assert.equal(renamed.status, 200, renamed.text);
      assertMonitor(renamed.json, { name: 'Waiting now', kind: 'waiting', createdBy: ids.me.manager });
      assert.equal(String(renamed.json.id), String(w.id));
      assert.equal(renamed.json.started_at, w.started_at, 'a rename does not restart');
      assert.equal((await listMonitors(lead)).find((m) => String(m.id) === String(w.id)).name, 'Waiting now');
    });

    await t.test('restart: 200 Monitor, started_at moves, 12 hours from now', async () => {
      const w = mon('waiting');
      // A second later: times are stored in whole seconds.
      await sleep(1100);
      const before = Date.now();
      const restarted = await call(manager, 'POST', `/monitors/${w.id}/restart`, {});
      assert.equal(restarted.status, 200, restarted.text);
      assertMonitor(restarted.json, { name: 'Waiting now', kind: 'waiting', createdBy: ids.me.manager });
      assert.ok(restarted.json.started_at > w.started_at, `started_at moves: ${w.started_at} → ${restarted.json.started_at}`);
      assert.ok(restarted.json.started_at >= before - 1000, 'started now');
      const listed = (await listMonitors(manager)).find((m) => String(m.id) === String(w.id));
      assert.equal(listed.started_at, restarted.json.started_at);
      // A team manager may restart too.
      const leadRestart = await call(lead, 'POST', `/monitors/${mon('technicians').id}/restart`, {});
      assert.equal(leadRestart.status, 200, leadRestart.text);
      assertMonitor(leadRestart.json, { kind: 'technicians', createdBy: ids.me.manager });
    });

    await t.test('bad input: 400 bad_field naming the field', async () => {
      const w = mon('waiting');
      const nameBefore = (await listMonitors(manager)).find((m) => String(m.id) === String(w.id)).name;
      assertError(await call(manager, 'POST', '/monitors', { kind: 'waiting' }), 400, 'bad_field', 'name', 'missing name');
      assertError(await call(manager, 'POST', '/monitors', { name: '', kind: 'waiting' }), 400, 'bad_field', 'name', 'empty name');
      assertError(await call(manager, 'POST', '/monitors', { name: 'x'.repeat(101), kind: 'waiting' }), 400, 'bad_field', 'name', '101 characters');
      assertError(await call(manager, 'POST', '/monitors', { name: 'Bad kind', kind: 'weather' }), 400, 'bad_field', 'kind', 'unknown kind');
      assertError(await call(manager, 'POST', '/monitors', { name: 'No kind' }), 400, 'bad_field', 'kind', 'missing kind');
      assertError(await call(manager, 'PUT', `/monitors/${w.id}`, { name: 'x'.repeat(101) }), 400, 'bad_field', 'name', 'rename to 101 characters');
      assertError(
        await call(manager, 'PUT', `/monitors/${w.id}`, { name: 'Now active', kind: 'active' }),
        400,
        'bad_field',
        'kind',
        'a kind change on PUT',
      );
      const unchanged = (await listMonitors(manager)).find((m) => String(m.id) === String(w.id));
      assert.equal(unchanged.kind, 'waiting');
      assert.equal(unchanged.name, nameBefore, 'a refused PUT changes nothing');
      assert.equal((await listMonitors(manager)).length, created.length, 'nothing was added');
    });

    await t.test('an unknown id: 404 not_found', async () => {
      for (const [method, path, body] of [
        ['PUT', '/monitors/999999', { name: 'Ghost' }],
        ['POST', '/monitors/999999/restart', {}],
        ['DELETE', '/monitors/999999'],
      ])
        assertError(await call(manager, method, path, body), 404, 'not_found', undefined, `${method} ${path}`);
    });

    // As for teams and portals: an id that is no id is bad input naming it.
    await t.test('a non-numeric id: 400 bad_field id', async () => {
      for (const id of ['abc', '-1', '1x']) {
        assertError(await call(manager, 'PUT', `/monitors/${id}`, { name: 'Ghost' }), 400, 'bad_field', 'id', `PUT ${id}`);
        assertError(await call(manager, 'POST', `/monitors/${id}/restart`, {}), 400, 'bad_field', 'id', `restart ${id}`);
        assertError(await call(manager, 'DELETE', `/monitors/${id}`), 400, 'bad_field', 'id', `DELETE ${id}`);
      }
    });

    await t.test('a technician: 403 forbidden', async () => {
      const w = mon('waiting');
      const tech = await login(node, 'technician', 'anna@demo.openassist.example', 'demo-tech-1');
      assertError(await call(tech, 'GET', '/monitors'), 403, 'forbidden', undefined, 'technician GET');
      assertError(await call(tech, 'POST', '/monitors', { name: 'Mine', kind: 'waiting' }), 403, 'forbidden', undefined, 'technician POST');
      assertError(await call(tech, 'PUT', `/monitors/${w.id}`, { name: 'Mine' }), 403, 'forbidden', undefined, 'technician PUT');
      assertError(await call(tech, 'POST', `/monitors/${w.id}/restart`, {}), 403, 'forbidden', undefined, 'technician restart');
      assertError(await call(tech, 'DELETE', `/monitors/${w.id}`), 403, 'forbidden', undefined, 'technician DELETE');
      assertError(
        await call(tech, 'POST', `/technicians/${ids.techs.ben}/offline`),
        403,
        'forbidden',
        undefined,
        'technician force offline',
      );
      assert.equal((await listMonitors(manager)).length, created.length, 'nothing changed');
    });

    await t.test('a login cookie without X-CSRF-Token: 403 csrf, nothing changes', async () => {
      const w = mon('waiting');
      const bare = (method, path, body) =>
        get(`${node.publicUrl}/api/v1${path}`, {
          method,
          headers: { 'Content-Type': 'application/json', Cookie: manager.cookie },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      const beforeCsrf = await listMonitors(manager);
      assertError(await bare('POST', '/monitors', { name: 'No token', kind: 'waiting' }), 403, 'csrf', undefined, 'POST without CSRF');
      assertError(await bare('PUT', `/monitors/${w.id}`, { name: 'No token' }), 403, 'csrf', undefined, 'PUT without CSRF');
      assertError(await bare('POST', `/monitors/${w.id}/restart`, {}), 403, 'csrf', undefined, 'restart without CSRF');
      assertError(await bare('DELETE', `/monitors/${w.id}`), 403, 'csrf', undefined, 'DELETE without CSRF');
      assertError(await bare('POST', `/technicians/${ids.techs.ben}/offline`), 403, 'csrf', undefined, 'offline without CSRF');
      assert.deepEqual(await listMonitors(manager), beforeCsrf, 'nothing changed without the token');
    });

    await t.test('at most 50 per account: the 51st is 409 limit', async () => {
      // A 100-character name is fine.
      const fillFrom = (await listMonitors(manager)).length;
      for (let i = fillFrom; i < 50; i++) {
        const name = i === fillFrom ? 'y'.repeat(100) : `Filler ${i}`;
        const m = await createMonitor(i % 2 ? lead : manager, name, KINDS[i % 3]);
        created.push(m.id);
        assert.equal(m.name, name);
      }
      assert.equal((await listMonitors(manager)).length, 50);
      assertError(await call(manager, 'POST', '/monitors', { name: 'Fifty-first', kind: 'waiting' }), 409, 'limit', undefined, '51st');
      assertError(await call(lead, 'POST', '/monitors', { name: 'Fifty-first', kind: 'active' }), 409, 'limit', undefined, '51st (team manager)');
      assert.equal((await listMonitors(manager)).length, 50);
    });

    await t.test('remove: 204, then 404 for remove, rename and restart', async () => {
      const gone = mon('active').id;
      const removed = await call(manager, 'DELETE', `/monitors/${gone}`);
      assert.equal(removed.status, 204, removed.text);
      created.splice(created.indexOf(gone), 1);
      assert.ok(!(await listMonitors(manager)).some((m) => String(m.id) === String(gone)));
      assert.ok(!(await listMonitors(lead)).some((m) => String(m.id) === String(gone)));
      assertError(await call(manager, 'DELETE', `/monitors/${gone}`), 404, 'not_found', undefined, 'DELETE again');
      assertError(await call(manager, 'PUT', `/monitors/${gone}`, { name: 'Back' }), 404, 'not_found', undefined, 'PUT removed');
      assertError(await call(manager, 'POST', `/monitors/${gone}/restart`, {}), 404, 'not_found', undefined, 'restart removed');
      // Room again for one; a removed id is not reused.
      const again = await createMonitor(manager, 'Room again', 'active');
      created.push(again.id);
      assert.notEqual(String(again.id), String(gone));
    });
  } finally {
    // Leave the account without monitors for the next tests.
    for (const id of created) await call(manager, 'DELETE', `/monitors/${id}`);
  }
  assert.deepEqual(await listMonitors(manager), []);
});

test('WebSocket: waiting and technicians monitors show live rows; a team manager sees only their teams', async () => {
  const waiting = await createMonitor(manager, 'Waiting', 'waiting');
  const techMon = await createMonitor(manager, 'Technicians', 'technicians');
  const ws = await managerSocket(manager);

  // A waiting monitor: the state first, then a new request within a second.
  const state = await watch(ws, waiting.id);
  assert.equal(state.type, 'dashboard.state', JSON.stringify(state));
  assert.equal(state.monitor_id, String(waiting.id));
  assert.equal(typeof state.server_time_ms, 'number');
  assertMonitor(state.monitor, { name: 'Waiting', kind: 'waiting' });
  assert.equal(String(state.monitor.id), String(waiting.id));
  assert.equal(state.monitor.running, true);
  assert.deepEqual(state.rows, []);

  let from = ws.messages.length;
  const made = await post(intakeUrl('help'), { fields: customerFields('Wanda Waiting') });
  assert.equal(made.status, 201, made.text);
  const answeredAt = Date.now();
  const rid = String(made.json.request_id);
  const key = `r${rid}`;
  const added = await ws.waitFor((m) => isUpdate(waiting.id)(m) && m.rows.some((r) => r.key === key), 1000, { fromIndex: from });
  assert.ok(Date.now() - answeredAt <= 1000);
  assert.equal(typeof added.server_time_ms, 'number');
  const row = added.rows.find((r) => r.key === key);
  assert.equal(row.request_id, rid, JSON.stringify(row));
  assert.equal(row.portal_name, 'Help Desk', JSON.stringify(row));
  assert.equal(row.customer_name, 'Wanda Waiting', JSON.stringify(row));
  assert.equal(typeof row.created_at, 'number', JSON.stringify(row));
  assert.ok(Math.abs(row.created_at - answeredAt) < 60_000, `created_at is Unix ms: ${row.created_at}`);

  // Cancelled by the customer: removed within a second.
  from = ws.messages.length;
  const cancel = await post(`${intakeUrl('help')}/${rid}/cancel`, { token: made.json.token });
  assert.equal(cancel.status, 200, cancel.text);
  await ws.waitFor((m) => isUpdate(waiting.id)(m) && (m.removed ?? []).includes(key), 1000, { fromIndex: from });
  assert.equal(latestRow(ws, waiting.id, key), undefined);

  // A technicians monitor: one row per technician of the account.
  const techState = await watch(ws, techMon.id);
  assert.equal(techState.type, 'dashboard.state', JSON.stringify(techState));
  assert.equal(techState.monitor_id, String(techMon.id));
  assert.equal(techState.monitor.running, true);
  assert.deepEqual(
    techState.rows.map((r) => String(r.technician_id)).sort(),
    Object.values(ids.techs).map(String).sort(),
    'a row per demo technician',
  );
  const teamName = Object.fromEntries(ids.teamList.map((t) => [String(t.id), t.name]));
  for (const r of techState.rows) {
    const tech = ids.techList.find((t) => String(t.id) === String(r.technician_id));
    assert.equal(r.key, `t${r.technician_id}`, JSON.stringify(r));
    assert.equal(typeof r.name, 'string', JSON.stringify(r));
    assert.ok(r.name.includes(tech.first_name) || r.name.includes(tech.screen_name ?? '\u0000'), JSON.stringify(r));
    assert.equal(String(r.team_id), String(tech.team_id), JSON.stringify(r));
    assert.equal(r.team_name, teamName[String(tech.team_id)], JSON.stringify(r));
    assert.ok(['available', 'busy', 'away', 'offline'].includes(r.status), JSON.stringify(r));
    assert.equal(r.status, 'offline', `no console is open yet: ${JSON.stringify(r)}`);
    assert.equal(typeof r.status_since, 'number', JSON.stringify(r));
    assert.equal(r.active_sessions, 0, JSON.stringify(r));
    assert.equal(typeof r.max_sessions, 'number', JSON.stringify(r));
    assert.ok(r.max_sessions >= 1, JSON.stringify(r));
  }

  // The team manager of Support EU (and Tier 2 below it) sees their teams' technicians only.
  const euTeams = new Set(
    ids.teamList
      .filter((t) => t.id === ids.teams['Support EU'] || t.parent_id === ids.teams['Support EU'])
      .map((t) => String(t.id)),
  );
  const leadTechs = ids.techList.filter((t) => euTeams.has(String(t.team_id))).map((t) => String(t.id)).sort();
  assert.deepEqual(leadTechs, [ids.techs.anna, ids.techs.ben].map(String).sort(), 'the demo data: Anna and Ben are in Support EU');
  const leadWs = await managerSocket(lead);
  const leadState = await watch(leadWs, techMon.id);
  assert.equal(leadState.type, 'dashboard.state', JSON.stringify(leadState));
  assert.deepEqual(leadState.rows.map((r) => String(r.technician_id)).sort(), leadTechs, JSON.stringify(leadState.rows));

  // Anna comes online: both see it; then the company manager forces her offline.
  const annaKey = `t${ids.techs.anna}`;
  const anna = track(await openConsole(node, 'anna@demo.openassist.example'));
  await ws.waitFor((m) => isUpdate(techMon.id)(m) && m.rows.some((r) => r.key === annaKey && r.status === 'available'), 1000);
  await leadWs.waitFor((m) => isUpdate(techMon.id)(m) && m.rows.some((r) => r.key === annaKey && r.status === 'available'), 1000);
  from = ws.messages.length;
  const leadFrom = leadWs.messages.length;
  const beforeOffline = Date.now();
  const offline = await call(manager, 'POST', `/technicians/${ids.techs.anna}/offline`);
  assert.equal(offline.status, 200, offline.text);
  assert.equal(String(offline.json.id), String(ids.techs.anna), offline.text);
  assert.equal(offline.json.status, 'offline', offline.text);
  const offUpdate = await ws.waitFor(
    (m) => isUpdate(techMon.id)(m) && m.rows.some((r) => r.key === annaKey && r.status === 'offline'),
    1000,
    { fromIndex: from },
  );
  const offRow = offUpdate.rows.find((r) => r.key === annaKey);
  assert.ok(offRow.status_since >= beforeOffline - 1000, `status_since moves: ${JSON.stringify(offRow)}`);
  await leadWs.waitFor((m) => isUpdate(techMon.id)(m) && m.rows.some((r) => r.key === annaKey && r.status === 'offline'), 1000, {
    fromIndex: leadFrom,
  });

  // Carla (Support US) comes online: the company manager sees it, the team manager does not.
  const carlaKey = `t${ids.techs.carla}`;
  const carla = track(await openConsole(node, 'carla@demo.openassist.example'));
  await ws.waitFor((m) => isUpdate(techMon.id)(m) && m.rows.some((r) => r.key === carlaKey && r.status === 'available'), 1000);
  await sleep(500);
  assert.ok(
    !leadWs.messages.some((m) => m.monitor_id === String(techMon.id) && (m.rows ?? []).some((r) => r.key === carlaKey)),
    'no row of a technician outside the team manager’s teams',
  );

  // Force offline by the team manager: their teams' technicians only.
  assertError(await call(lead, 'POST', `/technicians/${ids.techs.carla}/offline`), 404, 'not_found', undefined, 'lead: carla offline');
  assertError(await call(lead, 'POST', `/technicians/${ids.techs.david}/offline`), 404, 'not_found', undefined, 'lead: david offline');
  assert.equal(latestRow(ws, techMon.id, carlaKey)?.status, 'available', 'the refused force offline changed nothing');
  const benOff = await call(lead, 'POST', `/technicians/${ids.techs.ben}/offline`);
  assert.equal(benOff.status, 200, benOff.text);
  assert.equal(benOff.json.status, 'offline');
  assertError(await call(manager, 'POST', '/technicians/999999/offline'), 404, 'not_found', undefined, 'unknown technician offline');

  // Unwatch: no more rows for that monitor, while another watcher still gets them.
  const unwatch = ws.messages.length;
  ws.send({ type: 'dashboard.unwatch', monitor_id: String(waiting.id) });
  await assertPing(ws, 'after unwatch');
  const leadWaiting = await watch(leadWs, waiting.id);
  assert.equal(leadWaiting.type, 'dashboard.state', JSON.stringify(leadWaiting));
  const second = await post(intakeUrl('help'), { fields: customerFields('Una Unwatched') });
  assert.equal(second.status, 201, second.text);
  const secondKey = `r${second.json.request_id}`;
  await leadWs.waitFor((m) => isUpdate(waiting.id)(m) && m.rows.some((r) => r.key === secondKey), 1000);
  await sleep(500);
  assert.ok(
    !ws.messages.slice(unwatch).some((m) => m.monitor_id === String(waiting.id)),
    'nothing more of an unwatched monitor',
  );
  await post(`${intakeUrl('help')}/${second.json.request_id}/cancel`, { token: second.json.token });

  anna.close();
  carla.close();
  ws.close();
  leadWs.close();
  for (const m of [waiting, techMon]) assert.equal((await call(manager, 'DELETE', `/monitors/${m.id}`)).status, 204);
});

test('WebSocket: refused watches answer the right error and leave the connection usable', async (t) => {
  const mon = await createMonitor(manager, 'Errors', 'waiting');
  const ws = await managerSocket(manager);
  try {
    await t.test('monitor_id "abc": bad_field', async () => {
      await assertWatchRefused(ws, 'abc', 'bad_field', 'monitor_id "abc"');
      await assertPing(ws, 'after bad_field');
    });

    await t.test('an unknown monitor id: not_found', async () => {
      await assertWatchRefused(ws, '999999', 'not_found', 'monitor 999999');
      await assertPing(ws, 'after not_found');
    });

    await t.test('the same connection may still watch a monitor of its own', async () => {
      const ok = await watch(ws, mon.id);
      assert.equal(ok.type, 'dashboard.state', JSON.stringify(ok));
      assert.equal(ok.monitor_id, String(mon.id));
    });

    await t.test('without a login cookie: unauthenticated', async () => {
      const anon = track(await new Client(node.wsUrl).open());
      await assertWatchRefused(anon, mon.id, 'unauthenticated', 'no cookie');
      await assertPing(anon, 'after unauthenticated');
      anon.close();
    });

    await t.test('from a technician console (console.hello): bad_state', async () => {
      const ben = track(await openConsole(node, 'ben@demo.openassist.example'));
      await assertWatchRefused(ben, mon.id, 'bad_state', 'console');
      await assertPing(ben, 'after bad_state');
      ben.close();
    });

    await t.test('a monitor of another account: not_found, both ways and over REST', async () => {
      // Ids the watcher's own account does not use, so only the account check can refuse it.
      const theirs = [];
      for (let i = 0; i < 3; i++) theirs.push(await createMonitor(other, `Other ${i}`, 'waiting'));
      try {
        const demoIds = new Set((await listMonitors(manager)).map((m) => String(m.id)));
        const foreign = theirs.find((m) => !demoIds.has(String(m.id)));
        assert.ok(foreign, `a monitor of the other account whose id demo does not use: ${JSON.stringify(theirs)} vs ${[...demoIds]}`);
        // Nor over REST.
        assertError(await call(manager, 'PUT', `/monitors/${foreign.id}`, { name: 'Mine' }), 404, 'not_found', undefined, 'rename foreign');
        assertError(await call(manager, 'POST', `/monitors/${foreign.id}/restart`, {}), 404, 'not_found', undefined, 'restart foreign');
        assertError(await call(manager, 'DELETE', `/monitors/${foreign.id}`), 404, 'not_found', undefined, 'delete foreign');
        assert.ok((await listMonitors(other)).some((m) => String(m.id) === String(foreign.id)), 'still there');
        assert.ok(!(await listMonitors(manager)).some((m) => m.name.startsWith('Other ')), 'not listed in demo');

        await assertWatchRefused(ws, foreign.id, 'not_found', 'demo manager watches the other account’s monitor');
        await assertPing(ws, 'after another account’s monitor');

        const otherIds = new Set((await listMonitors(other)).map((m) => String(m.id)));
        assert.ok(!otherIds.has(String(mon.id)), `demo's monitor id ${mon.id} is not used by the other account: ${[...otherIds]}`);
        const otherWs = await managerSocket(other);
        await assertWatchRefused(otherWs, mon.id, 'not_found', 'the other account’s manager watches demo’s monitor');
        await assertPing(otherWs, 'after demo’s monitor');
        otherWs.close();
      } finally {
        for (const m of theirs) await call(other, 'DELETE', `/monitors/${m.id}`);
      }
    });
  } finally {
    ws.close();
    await call(manager, 'DELETE', `/monitors/${mon.id}`);
  }
});

test('removal: every manager watching a monitor gets dashboard.stopped "removed" when another manager deletes it', async (t) => {
  // A second company manager deletes what the first and the team manager watch.
  const second = await call(manager, 'POST', '/managers', {
    email: 'second@demo.openassist.example',
    first_name: 'Sid',
    last_name: 'Second',
    role: 'company_manager',
    password: 'second-manager-1',
  });
  assert.equal(second.status, 201, second.text);
  const secondSession = await login(node, 'manager', 'second@demo.openassist.example', 'second-manager-1');

  const mon = await createMonitor(manager, 'Going away', 'waiting');
  const keep = await createMonitor(manager, 'Staying', 'waiting');
  const ws = await managerSocket(manager);
  const leadWs = await managerSocket(lead);
  for (const c of [ws, leadWs]) {
    for (const m of [mon, keep]) {
      const s = await watch(c, m.id);
      assert.equal(s.type, 'dashboard.state', JSON.stringify(s));
    }
  }

  await t.test('both watchers get dashboard.stopped "removed"; nothing more of it, the other monitor goes on', async () => {
    const removed = await call(secondSession, 'DELETE', `/monitors/${mon.id}`);
    assert.equal(removed.status, 204, removed.text);
    for (const c of [ws, leadWs]) {
      const stopped = await c.waitFor((m) => m.type === 'dashboard.stopped' && m.monitor_id === String(mon.id), 10_000);
      assert.equal(stopped.reason, 'removed', JSON.stringify(stopped));
    }

    // No more rows of the removed monitor; the other one goes on.
    const from = ws.messages.length;
    const leadFrom = leadWs.messages.length;
    const made = await post(intakeUrl('help'), { fields: customerFields('Rita Removed') });
    assert.equal(made.status, 201, made.text);
    const key = `r${made.json.request_id}`;
    await ws.waitFor((m) => isUpdate(keep.id)(m) && m.rows.some((r) => r.key === key), 1000, { fromIndex: from });
    await leadWs.waitFor((m) => isUpdate(keep.id)(m) && m.rows.some((r) => r.key === key), 1000, { fromIndex: leadFrom });
    await sleep(500);
    for (const [c, i] of [[ws, from], [leadWs, leadFrom]])
      assert.ok(
        !c.messages.slice(i).some((m) => m.monitor_id === String(mon.id)),
        'nothing more of the removed monitor',
      );
    assert.ok(!ws.messages.some((m) => m.type === 'dashboard.stopped' && m.monitor_id === String(keep.id)));
    await post(`${intakeUrl('help')}/${made.json.request_id}/cancel`, { token: made.json.token });
    leadWs.close();
    assert.equal((await call(manager, 'DELETE', `/monitors/${keep.id}`)).status, 204);
  });

  await t.test('a watch of the removed monitor is not_found', async () => {
    await assertWatchRefused(ws, mon.id, 'not_found', 'the removed monitor');
    await assertPing(ws, 'after watching a removed monitor');
    ws.close();
  });
});

test('dashboards.follow: the list of monitors is pushed to every following manager as others change it', async () => {
  const ws = await managerSocket(manager);
  const leadWs = await managerSocket(lead);
  const first = await commandWithin(ws, 'dashboards.follow', {}, 10_000);
  assert.equal(first.type, 'dashboards.list', JSON.stringify(first));
  assert.deepEqual(first.monitors, await listMonitors(manager));
  const leadFirst = await commandWithin(leadWs, 'dashboards.follow', {}, 10_000);
  assert.deepEqual(leadFirst.monitors, await listMonitors(lead));

  // The team manager adds one: the company manager's list has it at once.
  const listed = (c, from, pred) =>
    c.waitFor((m) => m.type === 'dashboards.list' && m.id === undefined && pred(m.monitors), 2000, { fromIndex: from });
  let from = ws.messages.length;
  const added = await createMonitor(lead, 'Pushed queue', 'waiting');
  let pushed = await listed(ws, from, (ms) => ms.some((m) => m.id === added.id));
  assert.deepEqual(pushed.monitors, await listMonitors(manager));

  // Renamed and removed by the company manager: the team manager's list follows.
  let leadFrom = leadWs.messages.length;
  assert.equal((await call(manager, 'PUT', `/monitors/${added.id}`, { name: 'Renamed queue' })).status, 200);
  pushed = await listed(leadWs, leadFrom, (ms) => ms.some((m) => m.id === added.id && m.name === 'Renamed queue'));
  assert.deepEqual(pushed.monitors, await listMonitors(lead));

  // A managers monitor is not in the team manager's list, and a change that
  // does not concern monitors pushes nothing.
  leadFrom = leadWs.messages.length;
  from = ws.messages.length;
  const watching = await createMonitor(manager, 'Who watches', 'managers');
  await listed(ws, from, (ms) => ms.some((m) => m.id === watching.id));
  await sleep(500);
  assert.ok(
    !leadWs.messages.slice(leadFrom).some((m) => m.type === 'dashboards.list'),
    'the team manager does not see managers monitors: nothing changed for them',
  );
  leadFrom = leadWs.messages.length;
  assert.equal((await call(manager, 'DELETE', `/monitors/${added.id}`)).status, 204);
  pushed = await listed(leadWs, leadFrom, (ms) => !ms.some((m) => m.id === added.id));
  assert.ok(!pushed.monitors.some((m) => m.kind === 'managers'), JSON.stringify(pushed));
  assert.equal((await call(manager, 'DELETE', `/monitors/${watching.id}`)).status, 204);

  // Not for technicians' consoles or unauthenticated sockets.
  const anon = track(await new Client(node.wsUrl).open());
  const refused = await commandWithin(anon, 'dashboards.follow', {}, 10_000);
  assert.equal(refused.type, 'error', JSON.stringify(refused));
  assert.equal(refused.error.code, 'unauthenticated', JSON.stringify(refused));
  ws.close();
  leadWs.close();
  anon.close();
});
