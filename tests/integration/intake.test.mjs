// Intake, routing and presence against the real binary (docs/intake.md):
// SmartBox, SmartMatch, queue positions, skills routing, SmartPin codes,
// business hours, alert timeouts, presence and transfers.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { get, metric, sleep, startNode, WebSocket } from '../harness/node.mjs';
import {
  Client,
  DEMO_MANAGER,
  customerFields,
  eventually,
  latestRequest,
  login,
  managerCall,
  openConsole,
  openCustomer,
  post,
} from '../harness/intake.mjs';

const CHROME_UA =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';

let node;
let manager;
const clients = [];
const teams = {};
const techs = {};

async function consoleOf(email) {
  const c = await openConsole(node, email);
  clients.push(c);
  return c;
}

async function customer(slug, body, headers) {
  const c = await openCustomer(node, 'demo', slug, body, headers);
  clients.push(c);
  return c;
}

async function mc(method, path, body) {
  const res = await managerCall(node, manager, method, path, body);
  assert.ok(res.status < 300, `${method} ${path}: ${res.status} ${res.text}`);
  return res.json;
}

async function portal(body) {
  return mc('POST', '/portals', { time_zone: 'UTC', ...body });
}

before(async () => {
  node = await startNode({ args: ['--node.demo', '--intake.per-address-per-min=0'] });
  manager = await login(node, 'manager', ...DEMO_MANAGER);
  for (const t of (await mc('GET', '/teams')).teams) teams[t.name] = t.id;
  for (const t of (await mc('GET', '/technicians')).technicians) techs[t.email.split('@')[0]] = t.id;
  // A team of one with room for one session, for the queue scenarios.
  const solo = await mc('POST', '/teams', { name: 'Solo' });
  teams.Solo = solo.id;
  const s = await mc('POST', '/technicians', {
    email: 'solo@demo.openassist.example',
    first_name: 'Sam',
    last_name: 'Solo',
    team_id: solo.id,
    password: 'demo-tech-1',
  });
  techs.solo = s.id;
  await mc('PUT', `/technicians/${s.id}`, { features: { max_sessions: 1 } });
});

after(async () => {
  for (const c of clients) c.ws?.terminate();
  await node?.stop();
});

test('SmartBox: every available technician is alerted, the first accept wins', async () => {
  const anna = await consoleOf('anna@demo.openassist.example');
  const carla = await consoleOf('carla@demo.openassist.example');
  const cust = await customer('help', { fields: customerFields('Maria Muster') }, { 'User-Agent': CHROME_UA });
  const id = cust.request.request_id;
  const a1 = await anna.waitFor((m) => m.type === 'alert' && m.alert.request_id === id);
  await carla.waitFor((m) => m.type === 'alert' && m.alert.request_id === id);
  assert.equal(a1.alert.customer_name, 'Maria Muster');
  assert.equal(a1.alert.portal_type, 'smartbox');

  const won = await carla.command('request.accept', { request_id: id });
  assert.equal(won.type, 'ack', JSON.stringify(won));
  const gone = await anna.waitFor((m) => m.type === 'alert.withdrawn' && m.request_id === id);
  assert.equal(gone.reason, 'taken');
  const lost = await anna.command('request.accept', { request_id: id });
  assert.equal(lost.type, 'error');
  assert.equal(lost.error.code, 'taken');

  const assigned = await cust.waitFor((m) => m.type === 'request.state' && m.request.status === 'assigned');
  assert.equal(assigned.request.technician.name, 'Carla', 'customers see the screen name');
  assert.equal((await carla.command('request.join', { request_id: id })).type, 'ack');
  await cust.waitFor((m) => m.type === 'request.state' && m.request.status === 'active');

  const view = latestRequest(carla, id);
  assert.equal(view.customer.email, 'mariamuster@example.com');
  assert.deepEqual(
    { device: view.source.device, os: view.source.os, browser: view.source.browser },
    { device: 'desktop', os: 'Windows 10/11', browser: 'Chrome 120' },
  );
  assert.equal(view.source.ip, '127.0.0.1');

  assert.equal((await carla.command('request.close', { request_id: id })).type, 'ack');
  const closed = await cust.waitFor((m) => m.type === 'request.state' && m.request.status === 'closed');
  assert.equal(closed.request.outcome, 'closed');
  anna.close();
  carla.close();
});

test('SmartMatch: the customer picks an available technician; only that one is alerted', async () => {
  const anna = await consoleOf('anna@demo.openassist.example');
  const carla = await consoleOf('carla@demo.openassist.example');
  const page = await get(`${node.publicUrl}/api/v1/public/portals/demo/experts`);
  assert.equal(page.status, 200);
  const names = page.json.technicians.map((t) => t.name).sort();
  assert.ok(names.includes('Anna') && names.includes('Carla'), JSON.stringify(names));
  assert.ok(!names.includes('David'), 'offline technicians are not offered');

  const offline = await post(`${node.publicUrl}/api/v1/public/portals/demo/experts/requests`, {
    fields: customerFields('Otto'),
    technician_id: techs.david,
  });
  assert.equal(offline.status, 409);
  assert.equal(offline.json.error.code, 'technician_unavailable');

  const cust = await customer('experts', { fields: customerFields('Pia'), technician_id: techs.anna });
  const id = cust.request.request_id;
  await anna.waitFor((m) => m.type === 'alert' && m.alert.request_id === id);
  await carla.waitFor((m) => m.type === 'request.updated' && m.request.id === id);
  await sleep(300);
  assert.ok(!carla.messages.some((m) => m.type === 'alert' && m.alert.request_id === id), 'carla must not be alerted');
  const stolen = await carla.command('request.accept', { request_id: id });
  assert.equal(stolen.error.code, 'no_alert');
  assert.equal((await anna.command('request.accept', { request_id: id })).type, 'ack');
  await cust.waitFor((m) => m.request?.status === 'assigned' && m.request.technician.name === 'Anna');
  await anna.command('request.close', { request_id: id });
  anna.close();
  carla.close();
});

test('queue mode: positions 1, 2, 3 move down as sessions close, never above the maximum', async () => {
  const q = await portal({
    name: 'Solo queue',
    slug: 'solo-queue',
    mode: 'queue',
    type: 'queue',
    sub_portals: [{ name: 'Solo', team_ids: [teams.Solo] }],
  });
  const solo = await consoleOf('solo@demo.openassist.example');
  assert.equal((await solo.command('status.set', { status: 'busy' })).type, 'ack');
  const custs = [];
  for (const name of ['Ann', 'Bob', 'Cem']) custs.push(await customer('solo-queue', { fields: customerFields(name) }));
  const positions = async () => {
    const out = [];
    for (const c of custs) {
      const last = [...c.messages].reverse().find((m) => m.type === 'request.state');
      out.push(last.request.status === 'waiting' ? last.request.position : last.request.status);
    }
    return out;
  };
  assert.deepEqual(await positions(), [1, 2, 3]);
  const status = await get(`${node.publicUrl}/api/v1/public/portals/demo/solo-queue/status`);
  assert.equal(status.json.queue_length, 3);
  assert.equal(status.headers.get('access-control-allow-origin'), '*');

  await solo.command('status.set', { status: 'available' });
  await eventually(async () => JSON.stringify(await positions()) === JSON.stringify(['assigned', 1, 2]), 5000, 'first assigned');
  const first = custs[0].request.request_id;
  await solo.command('request.join', { request_id: first });
  await solo.command('request.close', { request_id: first });
  await eventually(async () => JSON.stringify(await positions()) === JSON.stringify(['closed', 'assigned', 1]), 5000, 'second assigned');
  const second = custs[1].request.request_id;
  // Offline with an assigned, unjoined request: it returns to the front.
  await solo.command('status.set', { status: 'offline' });
  await eventually(async () => JSON.stringify(await positions()) === JSON.stringify(['closed', 1, 2]), 5000, 'back to the front');
  await solo.command('status.set', { status: 'available' });
  await eventually(async () => JSON.stringify(await positions()) === JSON.stringify(['closed', 'assigned', 1]), 5000, 'reassigned');
  await solo.command('request.close', { request_id: second });
  await eventually(async () => (await positions())[2] === 'assigned', 5000, 'third');
  await solo.command('request.close', { request_id: custs[2].request.request_id });
  assert.ok(q.id > 0);
  solo.close();
});

test('skills routing: the best-skilled free technician, degrading when nobody matches', async () => {
  await portal({
    name: 'Skills',
    slug: 'skills',
    mode: 'queue',
    type: 'queue',
    skills_routing: true,
    fields: [
      { key: 'name', label: 'Name', type: 'text', required: true },
      { key: 'email', label: 'E-mail', type: 'email', required: true },
      { key: 'problem', label: 'Problem', type: 'textarea', required: true },
      { key: 'area', label: 'Area', type: 'skill', required: true, choices: ['windows', 'network', 'printers'] },
      { key: 'also', label: 'Also', type: 'skill', required: false, choices: ['windows', 'network', 'printers'] },
    ],
    sub_portals: [{ name: 'All', team_ids: [teams['Support EU'], teams['Support US']] }],
  });
  const anna = await consoleOf('anna@demo.openassist.example');
  const ben = await consoleOf('ben@demo.openassist.example');
  const carla = await consoleOf('carla@demo.openassist.example');
  const ask = async (name, area, also) => {
    const c = await customer('skills', { fields: { ...customerFields(name), area, ...(also ? { also } : {}) } });
    const st = await c.waitFor((m) => m.type === 'request.state' && m.request.status === 'assigned');
    return st.request.technician.name;
  };
  assert.equal(await ask('Net', 'network'), 'Ben');
  assert.equal(await ask('Win', 'windows'), 'Anna', 'rank 1 beats rank 2');
  // Nobody has network and printers: printers (the last) is dropped.
  assert.equal(await ask('Both', 'network', 'printers'), 'Ben');
  const bad = await post(`${node.publicUrl}/api/v1/public/portals/demo/skills/requests`, {
    fields: { ...customerFields('Bad'), area: 'cooking' },
  });
  assert.equal(bad.status, 400);
  assert.equal(bad.json.error.field, 'area');
  for (const c of [anna, ben, carla]) {
    for (const r of c.state.requests) void r;
    c.close();
  }
});

test('SmartPin: a code connects to its technician only, once; wrong codes are refused', async () => {
  const anna = await consoleOf('anna@demo.openassist.example');
  const carla = await consoleOf('carla@demo.openassist.example');
  const phone = anna.state.portals.find((p) => p.type === 'smartpin');
  assert.ok(phone, 'anna serves the phone portal');
  const made = await anna.command('code.create', { portal_id: phone.id });
  assert.equal(made.type, 'ack', JSON.stringify(made));
  assert.match(made.code, /^\d{9}$/);
  await anna.waitFor((m) => m.type === 'codes' && m.codes.some((c) => c.code === made.code));

  const spaced = `${made.code.slice(0, 3)} ${made.code.slice(3, 6)}-${made.code.slice(6)}`;
  const cust = await customer('phone', { fields: customerFields('Paul'), code: spaced });
  const st = await cust.waitFor((m) => m.request?.status === 'assigned');
  assert.equal(st.request.technician.name, 'Anna');
  await sleep(200);
  assert.ok(!carla.messages.some((m) => m.type === 'alert'), 'nobody else is alerted');
  await anna.waitFor((m) => m.type === 'codes' && m.codes.length === 0);

  const again = await post(`${node.publicUrl}/api/v1/public/portals/demo/phone/requests`, {
    fields: customerFields('Paul'),
    code: made.code,
  });
  assert.equal(again.status, 400);
  assert.equal(again.json.error.code, 'invalid_code');

  const other = await anna.command('code.create', { portal_id: phone.id });
  assert.equal((await anna.command('code.revoke', { code: other.code })).type, 'ack');
  const revoked = await post(`${node.publicUrl}/api/v1/public/portals/demo/phone/requests`, {
    fields: customerFields('Paul'),
    code: other.code,
  });
  assert.equal(revoked.json.error.code, 'invalid_code');
  const notMine = await carla.command('code.revoke', { code: made.code });
  assert.equal(notMine.error.code, 'not_found');
  await anna.command('request.close', { request_id: cust.request.request_id });
  anna.close();
  carla.close();
});

test('a portal outside its business hours refuses with the next opening time', async () => {
  const today = new Date().getUTCDay();
  const hours = await mc('POST', '/business-hours', {
    name: 'Once a week',
    weekly: [{ day: (today + 3) % 7, open: '09:00', close: '10:00' }],
  });
  await portal({ name: 'Weekly', slug: 'weekly', mode: 'web', type: 'smartbox', hours_id: hours.id });
  const page = await get(`${node.publicUrl}/api/v1/public/portals/demo/weekly`);
  assert.equal(page.json.open.open, false);
  const next = page.json.open.next_open;
  assert.ok(next * 1000 > Date.now() + 86_400_000, 'opens in about three days');
  assert.equal(new Date(next * 1000).getUTCHours(), 9);
  const res = await post(`${node.publicUrl}/api/v1/public/portals/demo/weekly/requests`, {
    fields: customerFields('Late'),
  });
  assert.equal(res.status, 403);
  assert.equal(res.json.error.code, 'closed');
  assert.equal(res.json.error.next_open, next);
});

test('several consoles of one technician stay in step; transfer with a note', async () => {
  const one = await consoleOf('david@demo.openassist.example');
  const two = await consoleOf('david@demo.openassist.example');
  const carla = await consoleOf('carla@demo.openassist.example');
  await one.command('status.set', { status: 'away' });
  await two.waitFor((m) => m.type === 'me' && m.me.status === 'away');
  await carla.waitFor((m) => m.type === 'technicians' && m.technicians.some((t) => t.id === techs.david && t.status === 'away'));
  await one.command('status.set', { status: 'available' });

  const cust = await customer('help', { fields: customerFields('Tom') });
  const id = cust.request.request_id;
  await carla.waitFor((m) => m.type === 'alert' && m.alert.request_id === id);
  await two.waitFor((m) => m.type === 'alert' && m.alert.request_id === id);
  await one.command('request.accept', { request_id: id });
  await two.waitFor((m) => m.type === 'alert.withdrawn' && m.request_id === id && m.reason === 'accepted');
  await two.waitFor((m) => m.type === 'me' && m.me.active_sessions === 1);

  const moved = await one.command('request.transfer', { request_id: id, technician_id: techs.carla, note: 'printer expert needed' });
  assert.equal(moved.type, 'ack', JSON.stringify(moved));
  const seen = await carla.waitFor((m) => m.type === 'request.updated' && m.request.id === id && m.request.technician_id === techs.carla);
  assert.equal(seen.request.note, 'printer expert needed');
  await cust.waitFor((m) => m.request?.technician?.name === 'Carla');
  const noTarget = await carla.command('request.transfer', { request_id: id, note: 'x' });
  assert.equal(noTarget.error.code, 'bad_field');
  await carla.command('request.close', { request_id: id });

  // A console that reconnects gets the whole state again.
  one.drop();
  const back = await consoleOf('david@demo.openassist.example');
  assert.ok(back.state.requests.some((r) => r.id === id && r.status === 'closed'));
  two.close();
  back.close();
  carla.close();
});

test('nobody answers within the alert timeout: the request waits and the customer chooses', async () => {
  await portal({
    name: 'Nobody',
    slug: 'nobody',
    mode: 'web',
    type: 'smartbox',
    alert_timeout_s: 15,
    notification_email: 'help@demo.openassist.example',
    sub_portals: [{ name: 'Solo', team_ids: [teams.Solo] }],
  });
  const cust = await customer('nobody', { fields: customerFields('Ida') });
  const first = await cust.waitFor((m) => m.type === 'request.state');
  assert.equal(first.request.status, 'waiting');
  // Two rounds of 15 s without an answer: kept, and the customer chooses.
  const offered = await cust.waitFor((m) => m.request?.notice === 'no_answer', 45_000);
  assert.equal(offered.request.status, 'waiting');
  assert.equal(offered.request.outcome, null);
  assert.equal(offered.request.customer_email, 'ida@example.com');
  const bad = await cust.command('customer.contact', { email: 'nope' });
  assert.equal(bad.error?.code, 'bad_field', JSON.stringify(bad));
  const left = await cust.command('customer.contact', { email: 'ida@home.example' });
  assert.equal(left.type, 'request.state', JSON.stringify(left));
  assert.equal(left.request.notice, 'contact');
  assert.equal(left.request.contact_email, 'ida@home.example');
  assert.equal(left.request.status, 'waiting');
  assert.ok((await metric(node, 'openassist_requests_total{outcome="no_response",portal_type="smartbox"}')) >= 1);
  assert.ok((await metric(node, 'openassist_requests_total{outcome="created",portal_type="queue"}')) >= 3);
  assert.ok((await metric(node, 'openassist_alerts_total')) >= 2);
  assert.ok((await metric(node, 'openassist_intake_to_alert_seconds_count')) >= 2);
  assert.ok((await metric(node, 'openassist_request_wait_seconds_count')) >= 3);
  assert.equal(await metric(node, 'openassist_queue_length{account="demo",portal="solo-queue"}'), 0);
  assert.ok((await metric(node, 'openassist_technicians{status="offline"}')) >= 1);
});

test('customers: cancel, wrong tokens and bad input lose nothing', async () => {
  const cust = await customer('help', { fields: customerFields('Quit') });
  const res = await post(
    `${node.publicUrl}/api/v1/public/portals/demo/help/requests/${cust.request.request_id}/cancel`,
    { token: 'wrong' },
  );
  assert.equal(res.status, 404);
  const cancel = await cust.command('customer.cancel');
  assert.equal(cancel.type, 'request.state');
  assert.equal(cancel.request.outcome, 'cancelled');

  const spy = new Client(node.wsUrl);
  clients.push(spy);
  await spy.open();
  const denied = await spy.command('customer.attach', { account: 'demo', request_id: cust.request.request_id, token: 'x'.repeat(43) });
  assert.equal(denied.error.code, 'not_found');
  const noConsole = await spy.command('console.hello');
  assert.equal(noConsole.error.code, 'unauthenticated');
  const cmd = await spy.command('request.accept', { request_id: '1' });
  assert.equal(cmd.error.code, 'unknown_type');

  for (const [body, field] of [
    [{ fields: { name: 'A', email: 'not-an-email', problem: 'p' } }, 'email'],
    [{ fields: { name: 'A', email: 'a@example.com' } }, 'problem'],
    [{ fields: { name: 'x'.repeat(201), email: 'a@example.com', problem: 'p' } }, 'name'],
    [{ fields: { name: 5, email: 'a@example.com', problem: 'p' } }, 'name'],
    [{ fields: 'nope' }, 'fields'],
  ]) {
    const r = await post(`${node.publicUrl}/api/v1/public/portals/demo/help/requests`, body);
    assert.equal(r.status, 400, JSON.stringify(body));
    assert.equal(r.json.error.field, field);
  }
  const notJson = await get(`${node.publicUrl}/api/v1/public/portals/demo/help/requests`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: '{"fields":',
  });
  assert.equal(notJson.status, 400);
  for (const path of ['demo/nope', 'nobody-here/help', 'BAD/help', 'demo/a']) {
    const r = await get(`${node.publicUrl}/api/v1/public/portals/${path}`);
    assert.equal(r.status, 404, path);
    assert.equal(r.json.error.code, 'not_found');
  }
  // A manager's session is not a console.
  const m = new Client(node.wsUrl, { Cookie: manager.cookie });
  clients.push(m);
  await m.open();
  const asManager = await m.command('console.hello');
  assert.equal(asManager.error.code, 'forbidden');
  // Another origin may not use the session cookie over a WebSocket.
  const foreign = new WebSocket(node.wsUrl, { headers: { Origin: 'https://evil.example' } });
  const refused = await new Promise((r) => {
    foreign.on('unexpected-response', (_req, res) => r(res.statusCode));
    foreign.on('open', () => r('open'));
    foreign.on('error', () => r('error'));
  });
  assert.equal(refused, 403);
  // The portal page itself is served for /p/<account>/<slug>.
  const html = await get(`${node.publicUrl}/p/demo/help`);
  assert.equal(html.status, 200);
  assert.match(html.headers.get('content-type'), /text\/html/);
});
