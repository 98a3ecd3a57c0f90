// What customers are promised and what teams are told (issue 10), over the
// real HTTP API and WebSocket: the technician's screen name is what customers
// see (status, portal page, chat lines, system lines, transcript); a recording
// portal says so on its page and in the effective features; skill choices
// carry labels; a team that serves no portal is named as such, and its
// technicians' consoles are told.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { get, startNode } from '../harness/node.mjs';
import {
  DEMO_MANAGER,
  customerFields,
  eventually,
  login,
  managerCall,
  openConsole,
  openCustomer,
  post,
} from '../harness/intake.mjs';

let node;
let boss;
const sockets = [];
before(async () => {
  node = await startNode({ args: ['--node.demo', '--intake.per-address-per-min=0'] });
  boss = await login(node, 'manager', ...DEMO_MANAGER);
});
after(async () => {
  for (const c of sockets) c.ws?.terminate();
  await node?.stop();
});

const call = (method, path, body) => managerCall(node, boss, method, path, body);

async function technicianId(email) {
  const list = await call('GET', '/technicians');
  return list.json.technicians.find((t) => t.email === email).id;
}

test('customers see the screen name, never the full name', async () => {
  const anna = await technicianId('anna@demo.openassist.example');
  const set = await call('PUT', `/technicians/${anna}`, { screen_name: 'Annie' });
  assert.equal(set.status, 200, set.text);

  const console = await openConsole(node, 'anna@demo.openassist.example');
  sockets.push(console);
  assert.equal(console.state.me.name, 'Anna Berger', 'the console itself shows the full name');

  // SmartMatch lists available technicians by screen name.
  const page = await get(`${node.publicUrl}/api/v1/public/portals/demo/experts`);
  assert.equal(page.status, 200, page.text);
  const names = page.json.technicians.map((t) => t.name);
  assert.ok(names.includes('Annie'), JSON.stringify(names));
  assert.ok(!names.some((n) => n.includes('Berger')), JSON.stringify(names));

  const cust = await openCustomer(node, 'demo', 'help', { fields: customerFields('Privacy') });
  sockets.push(cust);
  const id = cust.request.request_id;
  await console.waitFor((m) => m.type === 'alert' && m.alert.request_id === id);
  assert.equal((await console.command('request.accept', { request_id: id })).type, 'ack');
  assert.equal((await console.command('request.join', { request_id: id })).type, 'ack');
  const active = await cust.waitFor((m) => m.request?.status === 'active');
  assert.equal(active.request.technician.name, 'Annie');

  await cust.command('chat.resume', { after_seq: 0 });
  const joined = await cust.waitFor((m) => m.type === 'chat.line' && m.line.from === 'system');
  assert.equal(joined.line.text, 'Annie joined the session');
  await console.command('chat.send', { request_id: id, text: 'Hello there', client_id: 'h1' });
  const hello = await cust.waitFor((m) => m.type === 'chat.line' && m.line.text === 'Hello there');
  assert.equal(hello.line.name, 'Annie');

  const transcript = await post(`${node.publicUrl}/api/v1/public/portals/demo/help/requests/${id}/transcript`, {
    token: cust.request.token,
  });
  assert.equal(transcript.status, 200, transcript.text);
  assert.match(transcript.text, /Annie: Hello there/);
  assert.ok(!transcript.text.includes('Berger'), transcript.text);
  for (const m of cust.messages) assert.ok(!JSON.stringify(m).includes('Berger'), JSON.stringify(m));
});

test('a recording portal says so on its page and in the effective features', async () => {
  const portals = await call('GET', '/portals');
  const button = portals.json.portals.find((p) => p.slug === 'button');
  const before = await get(`${node.publicUrl}/api/v1/public/portals/demo/button`);
  assert.equal(before.json.portal.records, false);
  const on = await call('PUT', `/portals/${button.id}`, { features: { recording: true } });
  assert.equal(on.status, 200, on.text);
  // The desk learns of the change a moment later.
  await eventually(
    async () => (await get(`${node.publicUrl}/api/v1/public/portals/demo/button`)).json.portal.records === true,
    10_000,
    'the portal page says it records',
  );

  const ben = await technicianId('ben@demo.openassist.example');
  const features = await call('GET', `/technicians/${ben}/features?portal_id=${button.id}`);
  assert.equal(features.status, 200, features.text);
  assert.equal(features.json.values.recording, true, 'the portal records every session');
  assert.equal(features.json.sources.recording, 'portal');
  const off = await call('GET', `/technicians/${ben}/features`);
  assert.equal(off.json.values.recording, false, 'without a portal: the technician level');
});

test('skill choices carry the labels customers read', async () => {
  const page = await get(`${node.publicUrl}/api/v1/public/portals/demo/queue`);
  const topic = page.json.portal.fields.find((f) => f.key === 'topic');
  assert.deepEqual(topic.choices, ['windows', 'network', 'printers']);
  assert.deepEqual(topic.choice_labels, ['Windows', 'Network and Wi-Fi', 'Printers']);

  const portals = await call('GET', '/portals');
  const queue = portals.json.portals.find((p) => p.slug === 'queue');
  const fields = [
    ...queue.fields.filter((f) => f.key !== 'topic'),
    { key: 'topic', label: 'Topic', type: 'skill', required: false, choices: ['windows', 'vpn'], choice_labels: ['', 'VPN access'] },
  ];
  const saved = await call('PUT', `/portals/${queue.id}`, { fields });
  assert.equal(saved.status, 200, saved.text);
  const stored = saved.json.fields.find((f) => f.key === 'topic');
  assert.deepEqual(stored.choice_labels, ['windows', 'VPN access']);
  const plain = await call('PUT', `/portals/${queue.id}`, {
    fields: [...fields.slice(0, -1), { key: 'topic', label: 'Topic', type: 'skill', required: false, choices: ['windows'] }],
  });
  assert.equal(plain.json.fields.find((f) => f.key === 'topic').choice_labels, undefined);

  for (const bad of [{ choice_labels: ['one'] }, { choice_labels: 'x' }, { choice_labels: ['x'.repeat(101), 'y'] }]) {
    const res = await call('PUT', `/portals/${queue.id}`, {
      fields: [...fields.slice(0, -1), { ...fields.at(-1), ...bad }],
    });
    assert.equal(res.status, 400, `${JSON.stringify(bad)}: ${res.text}`);
    assert.equal(res.json.error.code, 'bad_field');
    assert.match(res.json.error.message, /choice_labels/);
  }
});

test('a team that serves no portal is named, and its technicians are told', async () => {
  const team = await call('POST', '/teams', { name: 'Lonely' });
  assert.equal(team.status, 201, team.text);
  const teams = await call('GET', '/teams');
  const byName = (n) => teams.json.teams.find((t) => t.name === n);
  assert.deepEqual(byName('Lonely').portals, []);
  assert.ok(byName('Tier 2').portals.length > 0, 'a sub-team serves its parent’s portals');
  assert.ok(byName('Support EU').portals.some((p) => p.name === 'Help Desk'));

  const david = await technicianId('david@demo.openassist.example');
  const moved = await call('POST', `/technicians/${david}/move`, { team_id: team.json.id });
  assert.equal(moved.status, 200, moved.text);
  const console = await openConsole(node, 'david@demo.openassist.example');
  sockets.push(console);
  // The last word on `me` (the desk may learn of the move after the hello).
  const me = () => {
    for (let i = console.messages.length - 1; i >= 0; i--) {
      const m = console.messages[i];
      if (m.type === 'me' || m.type === 'console.state') return m.me;
    }
    return undefined;
  };
  await eventually(() => me()?.portals === 0, 10_000, 'me.portals 0');

  // Put on a portal, the console is told at once.
  const portals = await call('GET', '/portals');
  const help = portals.json.portals.find((p) => p.slug === 'help');
  const subs = help.sub_portals.map((s, i) => (i === 0 ? { ...s, team_ids: [...s.team_ids, team.json.id] } : s));
  assert.equal((await call('PUT', `/portals/${help.id}`, { sub_portals: subs })).status, 200);
  await eventually(() => me()?.portals === 1, 10_000, 'me.portals 1');
});
