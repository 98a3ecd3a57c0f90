// Finding sessions (docs/sessions.md, "Session information for managers"):
// GET /api/v1/requests narrowed by portal, technician, team and a creation
// time range, against the real node with its demo account; bad values are a
// 400 with the JSON error; a team manager's narrowing stays within their teams.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { startNode } from '../harness/node.mjs';
import { DEMO_MANAGER, customerFields, eventually, login, managerCall, openConsole, post } from '../harness/intake.mjs';

let node = null;
const sockets = [];
after(async () => {
  for (const c of sockets) c.ws?.terminate();
  await node?.stop().catch(() => {});
});

test('managers narrow the session list by portal, technician, team and time', async () => {
  node = await startNode({ args: ['--node.demo', '--intake.per-address-per-min=0'] });
  const manager = await login(node, 'manager', ...DEMO_MANAGER);
  const call = (path) => managerCall(node, manager, 'GET', path);
  const ids = async (path) => {
    const res = await call(path);
    assert.equal(res.status, 200, `${path}: ${res.text}`);
    return res.json.requests.map((r) => Number(r.id));
  };
  const teams = Object.fromEntries((await managerCall(node, manager, 'GET', '/teams')).json.teams.map((t) => [t.name, t.id]));
  const techs = Object.fromEntries(
    (await managerCall(node, manager, 'GET', '/technicians')).json.technicians.map((t) => [t.email.split('@')[0], t.id]),
  );
  const portals = (await managerCall(node, manager, 'GET', '/portals')).json.portals;
  const help = portals.find((p) => p.slug === 'help');
  const other = await managerCall(node, manager, 'POST', '/portals', {
    name: 'Billing',
    slug: 'billing',
    time_zone: 'UTC',
    sub_portals: [{ name: 'Billing', team_ids: [teams['Support US']] }],
  });
  assert.equal(other.status, 201, other.text);

  // Two requests on the help portal (Anna takes the second), one on billing.
  const anna = await openConsole(node, 'anna@demo.openassist.example');
  sockets.push(anna);
  // A new portal reaches the intake a moment after it is created.
  const intake = async (slug, name) => {
    let res;
    await eventually(async () => {
      res = await post(`${node.publicUrl}/api/v1/public/portals/demo/${slug}/requests`, {
        fields: customerFields(name),
      });
      return res.status !== 404;
    });
    assert.equal(res.status, 201, res.text);
    return Number(res.json.request_id);
  };
  const start = Date.now();
  const first = await intake('help', 'First Customer');
  const second = await intake('help', 'Second Customer');
  const billing = await intake('billing', 'Billing Customer');
  const end = Date.now() + 1;
  const taken = await anna.command('request.accept', { request_id: String(second) });
  assert.equal(taken.type, 'ack', JSON.stringify(taken));

  assert.deepEqual(await ids('/requests'), [billing, second, first]);
  assert.deepEqual(await ids(`/requests?portal_id=${help.id}`), [second, first]);
  assert.deepEqual(await ids(`/requests?portal_id=${other.json.id}`), [billing]);
  assert.deepEqual(await ids(`/requests?technician_id=${techs.anna}`), [second]);
  assert.deepEqual(await ids(`/requests?team_id=${teams['Support EU']}`), [second]);
  assert.deepEqual(await ids(`/requests?team_id=${teams['Support US']}`), []);
  assert.deepEqual(await ids(`/requests?from=${start}&to=${end}`), [billing, second, first]);
  assert.deepEqual(await ids(`/requests?from=${end}`), []);
  assert.deepEqual(await ids(`/requests?to=${start}`), []);
  // A filter and a page cursor together.
  assert.deepEqual(await ids(`/requests?portal_id=${help.id}&limit=1&before=${second}`), [first]);

  // Bad values: a 400 with the JSON error, nothing else.
  for (const query of ['portal_id=x', 'team_id=-1', 'from=1e3', `from=${end}&to=${start}`, 'to=99999999999999999999']) {
    const res = await call(`/requests?${query}`);
    assert.equal(res.status, 400, `${query}: ${res.text}`);
    assert.equal(res.json.error.code, 'bad_field', query);
  }

  // The team manager of Support EU: Anna's request only, whatever they ask for.
  const lead = await login(node, 'manager', 'teamlead@demo.openassist.example', 'demo-teamlead-1');
  const leadIds = async (path) => {
    const res = await managerCall(node, lead, 'GET', path);
    assert.equal(res.status, 200, res.text);
    return res.json.requests.map((r) => Number(r.id));
  };
  assert.deepEqual(await leadIds('/requests'), [second]);
  assert.deepEqual(await leadIds(`/requests?portal_id=${other.json.id}`), []);
  assert.deepEqual(await leadIds(`/requests?team_id=${teams['Support US']}`), []);
  assert.deepEqual(await leadIds(`/requests?technician_id=${techs.anna}`), [second]);
});
