// Reports (docs/reports.md) against the real node with its demo account: a
// scripted set of requests (answered and rated, declined then answered,
// abandoned, still waiting) gives the snapshot summary and the session
// detail exactly the numbers counted by hand, each CSV holds the same
// numbers as its JSON table, a team manager's report holds only their teams,
// a range reaching back further than the account's report_days (90 by
// default) is refused, and bad input is a
// 400 with the JSON error.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCsv } from '../harness/csv.mjs';
import { startNode } from '../harness/node.mjs';
import { DEMO_MANAGER, customerFields, login, managerCall, openConsole, openCustomer } from '../harness/intake.mjs';

const DAY = 24 * 3600 * 1000;
let node;
const sockets = [];
before(async () => {
  node = await startNode({ args: ['--node.demo', '--intake.per-address-per-min=0'] });
});
after(async () => {
  for (const c of sockets) c.ws?.terminate();
  await node?.stop();
});

/** GET with the manager's cookie; the raw text, the JSON if any. */
async function getReport(session, path) {
  const res = await managerCall(node, session, 'GET', path);
  return res;
}

const seconds = (ms) => (ms === null ? '' : String(ms / 1000));

test('a scripted set of requests gives every report its numbers, and each CSV its table', async () => {
  const manager = await login(node, 'manager', ...DEMO_MANAGER);
  const techs = Object.fromEntries(
    (await managerCall(node, manager, 'GET', '/technicians')).json.technicians.map((t) => [t.email.split('@')[0], t]),
  );
  const help = (await managerCall(node, manager, 'GET', '/portals')).json.portals.find((p) => p.slug === 'help');
  const anna = await openConsole(node, 'anna@demo.openassist.example');
  const carla = await openConsole(node, 'carla@demo.openassist.example');
  sockets.push(anna, carla);
  const from = Date.now() - 1000;

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

  // 1. Anna answers Alice, closes it resolved; Alice rates 5 with a comment.
  const alice = await customer('Alice Answered');
  const a = alice.request.request_id;
  await alerted(anna, a);
  await ack(anna, 'request.accept', { request_id: a });
  await ack(anna, 'request.join', { request_id: a });
  await ack(anna, 'request.close', { request_id: a, resolution: 'resolved', notes: '' });
  assert.equal((await alice.command('customer.rate', { rating: 5, comment: '=cmd|calc' })).type, 'request.state');

  // 2. Anna declines Bruno; Carla answers him; he rates 3.
  const bruno = await customer('Bruno Declined');
  const b = bruno.request.request_id;
  await alerted(anna, b);
  await alerted(carla, b);
  await ack(anna, 'request.decline', { request_id: b });
  await ack(carla, 'request.accept', { request_id: b });
  await ack(carla, 'request.join', { request_id: b });
  await ack(carla, 'request.close', { request_id: b, resolution: 'unresolved', notes: '' });
  assert.equal((await bruno.command('customer.rate', { rating: 3 })).type, 'request.state');

  // 3. Clara leaves before anyone answers; 4. Dora still waits.
  const clara = await customer('Clara Cancelled');
  assert.equal((await clara.command('customer.cancel')).request.outcome, 'cancelled');
  const dora = await customer('Dora Waiting');
  const to = Date.now() + 1000;
  const range = `from=${from}&to=${to}`;

  const snap = await getReport(manager, `/reports/snapshot?${range}`);
  assert.equal(snap.status, 200, snap.text);
  const t = snap.json.totals;
  assert.deepEqual(
    { submitted: t.submitted, answered: t.answered, declined: t.declined, no_response: t.no_response, abandoned: t.abandoned, open: t.open },
    { submitted: 4, answered: 2, declined: 1, no_response: 0, abandoned: 1, open: 1 },
  );
  assert.deepEqual(snap.json.survey, { ratings: 2, average_rating: 4, by_score: [0, 0, 1, 0, 1], comments: 1 });
  const rows = Object.fromEntries(snap.json.technicians.map((r) => [r.name, r]));
  assert.deepEqual(Object.keys(rows).sort(), ['Anna Berger', 'Carla Diaz']);
  assert.equal(rows['Anna Berger'].technician_id, String(techs.anna.id));
  assert.deepEqual(
    [rows['Anna Berger'].sessions, rows['Anna Berger'].declined, rows['Anna Berger'].ratings, rows['Anna Berger'].average_rating],
    [1, 1, 1, 5],
  );
  assert.deepEqual(
    [rows['Carla Diaz'].sessions, rows['Carla Diaz'].declined, rows['Carla Diaz'].ratings, rows['Carla Diaz'].average_rating],
    [1, 0, 1, 3],
  );
  assert.deepEqual(
    snap.json.portals.map((p) => [p.portal_id, p.name, p.submitted, p.answered, p.abandoned, p.open]),
    [[String(help.id), help.name, 4, 2, 1, 1]],
  );

  // Session detail: a row per request, oldest first; the snapshot's waits are those of its rows.
  const detail = await getReport(manager, `/reports/sessions?${range}`);
  assert.equal(detail.status, 200, detail.text);
  const byId = Object.fromEntries(detail.json.rows.map((r) => [r.request_id, r]));
  assert.deepEqual(
    detail.json.rows.map((r) => r.request_id),
    [a, b, clara.request.request_id, dora.request.request_id],
  );
  assert.deepEqual(
    [byId[a].outcome, byId[a].technician, byId[a].rating, byId[a].comment, byId[a].resolution],
    ['closed', 'Anna Berger', 5, '=cmd|calc', 'resolved'],
  );
  assert.deepEqual([byId[b].technician, byId[b].rating], ['Carla Diaz', 3]);
  assert.deepEqual([byId[clara.request.request_id].outcome, byId[clara.request.request_id].wait_ms], ['cancelled', null]);
  assert.deepEqual([byId[dora.request.request_id].outcome, byId[dora.request.request_id].closed_ms], ['open', null]);
  const waits = [byId[a].wait_ms, byId[b].wait_ms];
  assert.ok(waits.every((w) => Number.isInteger(w) && w >= 0), JSON.stringify(waits));
  assert.equal(t.average_wait_ms, Math.round((waits[0] + waits[1]) / 2));
  assert.equal(t.longest_wait_ms, Math.max(...waits));
  assert.equal(t.average_handle_ms, Math.round((byId[a].handle_ms + byId[b].handle_ms) / 2));

  // Service level against a target no wait here reaches (1 h): the snapshot's
  // counts, both answered requests within it, of the three that ended 66.7 %.
  const level = await getReport(manager, `/reports/service_level?${range}&target_s=3600`);
  assert.equal(level.status, 200, level.text);
  assert.equal(level.json.target_ms, 3_600_000);
  const lt = level.json.totals;
  assert.deepEqual(
    [lt.submitted, lt.answered, lt.within_target, lt.within_target_percent, lt.declined, lt.no_response, lt.abandoned, lt.open],
    [4, 2, 2, 66.7, 1, 0, 1, 1],
  );
  assert.deepEqual(
    [lt.average_wait_ms, lt.longest_wait_ms, lt.average_handle_ms],
    [t.average_wait_ms, t.longest_wait_ms, t.average_handle_ms],
  );
  assert.equal(lt.waits.reduce((n, w) => n + w.count, 0), 2, JSON.stringify(lt.waits));
  assert.deepEqual(
    level.json.portals.map((p) => [p.portal_id, p.name, p.submitted, p.within_target, p.within_target_percent]),
    [[String(help.id), help.name, 4, 2, 66.7]],
  );
  const levelCsv = parseCsv(
    await (await fetch(`${node.publicUrl}/api/v1/reports/service_level?${range}&target_s=3600&format=csv`, { headers: { Cookie: manager.cookie } })).text(),
  );
  const levelMeasures = Object.fromEntries(levelCsv.slice(1, levelCsv.findIndex((r) => r.length === 0)));
  assert.deepEqual(
    [levelMeasures.target_seconds, levelMeasures.submitted, levelMeasures.within_target, levelMeasures.within_target_percent, levelMeasures.open],
    ['3600', '4', '2', '66.7', '1'],
  );
  assert.equal(levelMeasures.average_wait_seconds, seconds(lt.average_wait_ms));

  // The CSVs: the same tables.
  const csv = await fetch(`${node.publicUrl}/api/v1/reports/sessions?${range}&format=csv`, {
    headers: { Cookie: manager.cookie },
  });
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type'), /^text\/csv; charset=utf-8/);
  assert.match(csv.headers.get('content-disposition'), /^attachment; filename="sessions-\d+\.csv"$/);
  const lines = parseCsv(await csv.text());
  assert.equal(lines[0][0], 'request_id');
  assert.equal(lines.length, 1 + detail.json.rows.length);
  for (const [i, r] of detail.json.rows.entries()) {
    const cells = Object.fromEntries(lines[0].map((h, j) => [h, lines[i + 1][j]]));
    assert.equal(cells.request_id, r.request_id);
    assert.equal(cells.technician, r.technician);
    assert.equal(cells.outcome, r.outcome);
    assert.equal(cells.wait_seconds, seconds(r.wait_ms));
    assert.equal(cells.handle_seconds, seconds(r.handle_ms));
    assert.equal(cells.rating, String(r.rating));
    assert.equal(cells.created, new Date(Math.floor(r.created_ms / 1000) * 1000).toISOString().replace('.000Z', 'Z'));
    // A comment a spreadsheet would run as a formula is defused.
    assert.equal(cells.comment, r.comment.startsWith('=') ? `'${r.comment}` : r.comment);
  }
  const snapCsv = await fetch(`${node.publicUrl}/api/v1/reports/snapshot?${range}&format=csv`, {
    headers: { Cookie: manager.cookie },
  });
  const sections = parseCsv(await snapCsv.text());
  const measures = Object.fromEntries(sections.slice(1, sections.findIndex((r) => r.length === 0)));
  for (const key of ['submitted', 'answered', 'declined', 'no_response', 'abandoned', 'open'])
    assert.equal(measures[key], String(t[key]), key);
  assert.equal(measures.average_wait_seconds, seconds(t.average_wait_ms));
  assert.equal(measures.rated_5, '1');

  // Technician performance: the snapshot's technicians table; customer feedback: the rated sessions.
  const perf = await getReport(manager, `/reports/technicians?${range}`);
  assert.equal(perf.status, 200, perf.text);
  assert.deepEqual(perf.json.technicians, snap.json.technicians);
  const feedback = await getReport(manager, `/reports/feedback?${range}`);
  assert.equal(feedback.status, 200, feedback.text);
  assert.deepEqual(feedback.json.survey, snap.json.survey);
  assert.deepEqual(
    feedback.json.rows.map((r) => [r.request_id, r.rating, r.comment]),
    [
      [a, 5, '=cmd|calc'],
      [b, 3, ''],
    ],
  );
  const feedbackCsv = parseCsv(
    await (await fetch(`${node.publicUrl}/api/v1/reports/feedback?${range}&format=csv`, { headers: { Cookie: manager.cookie } })).text(),
  );
  const table = feedbackCsv.slice(feedbackCsv.findIndex((r) => r.length === 0) + 1);
  assert.deepEqual(table[0], ['request_id', 'closed', 'portal', 'technician', 'customer', 'rating', 'comment']);
  assert.deepEqual(
    table.slice(1).map((r) => [r[0], r[3], r[5], r[6]]),
    [
      [a, 'Anna Berger', '5', "'=cmd|calc"],
      [b, 'Carla Diaz', '3', ''],
    ],
  );

  // The team manager of Support EU: Anna's request only.
  const lead = await login(node, 'manager', 'teamlead@demo.openassist.example', 'demo-teamlead-1');
  const leadSnap = await getReport(lead, `/reports/snapshot?${range}`);
  assert.equal(leadSnap.status, 200, leadSnap.text);
  assert.equal(leadSnap.json.totals.submitted, 1);
  assert.deepEqual(
    leadSnap.json.technicians.map((r) => r.name),
    ['Anna Berger'],
  );
  const leadCarla = await getReport(lead, `/reports/sessions?${range}&technician_id=${techs.carla.id}`);
  assert.deepEqual(leadCarla.json.rows, [], 'asking for a technician outside their teams widens nothing');
  // Narrowed by technician, for the company manager.
  const carlaOnly = await getReport(manager, `/reports/sessions?${range}&technician_id=${techs.carla.id}`);
  assert.deepEqual(
    carlaOnly.json.rows.map((r) => r.request_id),
    [b],
  );
});

test('a range reaching back further than the account keeps is refused; bad input is a 400', async () => {
  const manager = await login(node, 'manager', ...DEMO_MANAGER);
  const now = Date.now();
  const old = await getReport(manager, `/reports/snapshot?from=${now - 91 * DAY}&to=${now}`);
  assert.equal(old.status, 400, old.text);
  assert.equal(old.json.error.code, 'out_of_retention');
  assert.equal(old.json.error.message, 'session data is kept only 90 days');
  const within = await getReport(manager, `/reports/snapshot?from=${now - 89 * DAY}&to=${now}`);
  assert.equal(within.status, 200, within.text);

  // The account decides how far back (report_days, at most retention_days).
  const account = (path, body) => managerCall(node, manager, 'PUT', path, body);
  const set = await account('/account', { retention_days: 30, report_days: 20 });
  assert.equal(set.status, 200, set.text);
  assert.deepEqual([set.json.retention_days, set.json.report_days], [30, 20]);
  const tooFar = await account('/account', { report_days: 31 });
  assert.equal(tooFar.status, 400);
  assert.deepEqual([tooFar.json.error.field, tooFar.json.error.max], ['report_days', 30]);
  for (let t = 0; t < 50; t++) {
    const r = await getReport(manager, `/reports/snapshot?from=${now - 25 * DAY}&to=${now}`);
    if (r.status === 400) {
      assert.equal(r.json.error.message, 'session data is kept only 20 days');
      break;
    }
    assert.ok(t < 49, 'the desk follows the account within a few seconds');
    await new Promise((res) => setTimeout(res, 100));
  }
  const lowered = await account('/account', { retention_days: 10 });
  assert.equal(lowered.json.report_days, 10, 'reports never reach past what is kept');
  await account('/account', { retention_days: 365, report_days: 90 });

  for (const query of [
    '',
    `from=${now - DAY}`,
    `to=${now}`,
    `from=${now}&to=${now - DAY}`,
    `from=x&to=${now}`,
    `from=${now - DAY}&to=${now}&portal_id=-1`,
    `from=${now - DAY}&to=${now}&format=xml`,
    `from=${now - DAY}&to=${now}&target_s=0`,
    `from=${now - DAY}&to=${now}&target_s=3601`,
    `from=${now - DAY}&to=${now}&target_s=1.5`,
  ]) {
    const res = await getReport(manager, `/reports/service_level?${query}`);
    assert.equal(res.status, 400, `${query}: ${res.text}`);
    assert.equal(res.json.error.code, 'bad_field', query);
  }
  const unknown = await getReport(manager, `/reports/everything?from=${now - DAY}&to=${now}`);
  assert.equal(unknown.status, 404, unknown.text);
  assert.equal(unknown.json.error.code, 'not_found');

  // Not logged in: 401; a technician: 403.
  const anon = await fetch(`${node.publicUrl}/api/v1/reports/snapshot?from=${now - DAY}&to=${now}`);
  assert.equal(anon.status, 401);
  const tech = await login(node, 'technician', 'anna@demo.openassist.example', 'demo-tech-1');
  const techRes = await getReport(tech, `/reports/snapshot?from=${now - DAY}&to=${now}`);
  assert.equal(techRes.status, 403, techRes.text);
  assert.equal(techRes.json.error.code, 'forbidden');
});

test('my reports: a manager saves, edits and deletes their own; nobody else sees them', async () => {
  const manager = await login(node, 'manager', ...DEMO_MANAGER);
  const lead = await login(node, 'manager', 'teamlead@demo.openassist.example', 'demo-teamlead-1');
  const techs = Object.fromEntries(
    (await managerCall(node, manager, 'GET', '/technicians')).json.technicians.map((t) => [t.email.split('@')[0], t]),
  );
  const created = await managerCall(node, manager, 'POST', '/saved-reports', {
    name: 'Weekly Anna',
    kind: 'technicians',
    period: 'last_7_days',
    technician_id: String(techs.anna.id),
  });
  assert.equal(created.status, 201, created.text);
  const id = created.json.id;
  assert.deepEqual(
    { ...created.json, id: undefined, updated_at: undefined, delivered_at: undefined },
    {
      id: undefined,
      updated_at: undefined,
      delivered_at: undefined,
      schedule: '',
      send_at: 360,
      email: '',
      target_s: 60,
      name: 'Weekly Anna',
      kind: 'technicians',
      period: 'last_7_days',
      from: '',
      to: '',
      portal_id: '',
      team_id: '',
      technician_id: String(techs.anna.id),
    },
  );
  const mine = await managerCall(node, manager, 'GET', '/saved-reports');
  assert.deepEqual(
    mine.json.saved_reports.map((r) => r.id),
    [id],
  );
  assert.deepEqual((await managerCall(node, lead, 'GET', '/saved-reports')).json.saved_reports, []);
  for (const [method, body] of [
    ['PUT', { name: 'Mine now' }],
    ['DELETE', undefined],
  ]) {
    const res = await managerCall(node, lead, method, `/saved-reports/${id}`, body);
    assert.equal(res.status, 404, `${method} by another manager: ${res.text}`);
    assert.equal(res.json.error.code, 'not_found');
  }

  const edited = await managerCall(node, manager, 'PUT', `/saved-reports/${id}`, {
    kind: 'feedback',
    period: 'days',
    from: '2026-11-01',
    to: '2026-11-30',
  });
  assert.equal(edited.status, 200, edited.text);
  assert.deepEqual([edited.json.name, edited.json.kind, edited.json.from, edited.json.to], ['Weekly Anna', 'feedback', '2026-11-01', '2026-11-30']);

  for (const [body, field] of [
    [{ name: '' }, 'name'],
    [{ kind: 'everything' }, 'kind'],
    [{ period: 'days', from: '2026-13-01', to: '2026-12-01' }, 'from'],
    [{ period: 'days', from: '2026-12-02', to: '2026-12-01' }, 'to'],
    [{ portal_id: '999999' }, 'portal_id'],
    [{ target_s: 0 }, 'target_s'],
    [{ target_s: '60' }, 'target_s'],
  ]) {
    const res = await managerCall(node, manager, 'PUT', `/saved-reports/${id}`, body);
    assert.equal(res.status, 400, `${JSON.stringify(body)}: ${res.text}`);
    assert.equal(res.json.error.code, 'bad_field');
    assert.equal(res.json.error.field, field, JSON.stringify(body));
  }
  const unchanged = (await managerCall(node, manager, 'GET', '/saved-reports')).json.saved_reports[0];
  assert.deepEqual([unchanged.kind, unchanged.from], ['feedback', '2026-11-01'], 'a refused change changes nothing');

  const audit = await managerCall(node, manager, 'GET', '/audit?kind=report');
  assert.equal(audit.status, 200, audit.text);
  assert.ok(audit.json.entries.some((e) => e.action === 'report.save'), audit.text);

  const gone = await managerCall(node, manager, 'DELETE', `/saved-reports/${id}`);
  assert.equal(gone.status, 204, gone.text);
  assert.deepEqual((await managerCall(node, manager, 'GET', '/saved-reports')).json.saved_reports, []);
  const tech = await login(node, 'technician', 'anna@demo.openassist.example', 'demo-tech-1');
  assert.equal((await managerCall(node, tech, 'GET', '/saved-reports')).status, 403);
});
