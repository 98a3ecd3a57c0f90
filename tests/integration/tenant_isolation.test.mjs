// Tenant isolation on the customer WebSocket (issue 9, §1): a connection's
// account, request and role change only when the server accepted them, and
// sessions check their members themselves. The first test is the exact
// sequence that once let a customer of one account read and write another
// account's chat.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sleep, startNode } from '../harness/node.mjs';
import {
  Client,
  DEMO_MANAGER,
  customerFields,
  login,
  managerCall,
  openConsole,
  openCustomer,
  post,
} from '../harness/intake.mjs';

const EVIL = ['boss@evil.example', 'evil-boss-pw-1'];
let node;
const sockets = [];
const track = (c) => {
  sockets.push(c);
  return c;
};

before(async () => {
  node = await startNode({ args: ['--node.demo', '--intake.per-address-per-min=0'] });
  const created = await post(`${node.adminUrl}/accounts`, {
    id: 'evil',
    name: 'Evil Corp',
    manager_email: EVIL[0],
    manager_password: EVIL[1],
  });
  assert.equal(created.status, 201, created.text);
  const boss = await login(node, 'manager', ...EVIL);
  const team = await managerCall(node, boss, 'POST', '/teams', { name: 'Nobody' });
  assert.equal(team.status, 201, team.text);
  const portal = await managerCall(node, boss, 'POST', '/portals', {
    name: 'Queue',
    slug: 'qq',
    mode: 'queue',
    type: 'queue',
    time_zone: 'UTC',
    sub_portals: [{ name: 'All', team_ids: [team.json.id] }],
  });
  assert.ok(portal.status < 300, portal.text);
});
after(async () => {
  for (const c of sockets) c.ws?.terminate();
  await node?.stop();
});

/** A demo customer in an active session with anna, with a few lines. */
async function victimSession(anna, name) {
  const cust = track(await openCustomer(node, 'demo', 'help', { fields: customerFields(name) }));
  const id = cust.request.request_id;
  await anna.waitFor((m) => m.type === 'alert' && m.alert.request_id === id);
  assert.equal((await anna.command('request.accept', { request_id: id })).type, 'ack');
  assert.equal((await anna.command('request.join', { request_id: id })).type, 'ack');
  await cust.waitFor((m) => m.request?.status === 'active');
  assert.equal((await cust.command('chat.resume', { after_seq: 0 })).type, 'chat.synced');
  assert.equal((await anna.command('chat.resume', { request_id: id, after_seq: 0 })).type, 'chat.synced');
  const secret = `secret of ${name}`;
  assert.equal((await cust.command('chat.send', { text: secret, client_id: 'v1' })).type, 'chat.ack');
  await anna.waitFor((m) => m.type === 'chat.line' && m.line.text === secret);
  return { cust, id, secret };
}

const chatLines = (client) => client.messages.filter((m) => m.type === 'chat.line');

test('a second customer.attach naming another account changes nothing', async () => {
  const anna = track(await openConsole(node, 'anna@demo.openassist.example'));
  const victim = await victimSession(anna, 'Victim');

  // The attacker follows its own request at account evil.
  const attacker = track(await openCustomer(node, 'evil', 'qq', { fields: customerFields('Mallory') }));
  assert.equal(attacker.request.request_id, victim.id, 'request ids are small per-account counters');

  // Then names account demo with the same request id and any token.
  const refused = await attacker.command('customer.attach', {
    account: 'demo',
    request_id: victim.id,
    token: 'x'.repeat(43),
  });
  assert.equal(refused.type, 'error');
  assert.equal(refused.error.code, 'bad_state', JSON.stringify(refused));

  // Its chat is still its own request's: no line of demo's chat arrives.
  const resumed = await attacker.command('chat.resume', { after_seq: 0 });
  assert.equal(resumed.type, 'chat.synced', JSON.stringify(resumed));
  assert.equal(resumed.member, undefined, 'the member key stays inside the node');
  const sent = await attacker.command('chat.send', { text: 'injected', client_id: 'm1' });
  assert.equal(sent.type, 'error');
  assert.equal(sent.error.code, 'chat_not_open', 'its own request is still waiting');
  await sleep(300);
  assert.deepEqual(chatLines(attacker), []);
  assert.ok(!anna.messages.some((m) => m.type === 'chat.line' && m.line.text === 'injected'));
  assert.ok(!victim.cust.messages.some((m) => m.type === 'chat.line' && m.line.text === 'injected'));
  await anna.command('request.close', { request_id: victim.id });
});

test('a failed first attach leaves the connection with no request at all', async () => {
  const anna = track(await openConsole(node, 'anna@demo.openassist.example'));
  const victim = await victimSession(anna, 'Second');
  const stranger = track(await new Client(node.wsUrl).open());
  const wrong = await stranger.command('customer.attach', {
    account: 'demo',
    request_id: victim.id,
    token: 'y'.repeat(43),
  });
  assert.equal(wrong.error.code, 'not_found');
  for (const [type, fields] of [
    ['chat.resume', { after_seq: 0 }],
    ['chat.send', { text: 'hi', client_id: 's1' }],
    ['chat.typing', { typing: true }],
    ['screen.accept', {}],
    ['customer.cancel', {}],
    ['customer.rate', { rating: 1 }],
  ]) {
    const answer = await stranger.command(type, fields);
    assert.equal(answer.error?.code, 'bad_state', `${type}: ${JSON.stringify(answer)}`);
  }
  // Malformed account names are refused like unknown ones, before any lookup.
  for (const account of ['DEMO', '../demo', 'd'.repeat(41), 'de\u00ffmo']) {
    const bad = await stranger.command('customer.attach', { account, request_id: '1', token: 't' });
    assert.equal(bad.error.code, 'not_found', account);
  }
  await sleep(200);
  assert.deepEqual(chatLines(stranger), []);
  await anna.command('request.close', { request_id: victim.id });
});

test('a customer page cannot follow a second request, even with its right token', async () => {
  const anna = track(await openConsole(node, 'anna@demo.openassist.example'));
  const victim = await victimSession(anna, 'Third');
  const other = track(await openCustomer(node, 'evil', 'qq', { fields: customerFields('Other') }));
  const second = await other.command('customer.attach', {
    account: 'demo',
    request_id: victim.id,
    token: victim.cust.request.token,
  });
  assert.equal(second.error.code, 'bad_state');
  // The same attach again (a page that re-sends it) is fine.
  const again = await other.command('customer.attach', {
    account: 'evil',
    request_id: other.request.request_id,
    token: other.request.token,
  });
  assert.equal(again.type, 'request.state');
  assert.equal((await other.command('chat.resume', { after_seq: 0 })).type, 'chat.synced');
  await sleep(200);
  assert.ok(!chatLines(other).some((m) => m.line.text === victim.secret));
  await anna.command('request.close', { request_id: victim.id });
});

test('consoles and observers cannot turn into customers, nor observe another account', async () => {
  const anna = track(await openConsole(node, 'anna@demo.openassist.example'));
  const victim = await victimSession(anna, 'Fourth');
  const asCustomer = await anna.command('customer.attach', {
    account: 'demo',
    request_id: victim.id,
    token: victim.cust.request.token,
  });
  assert.equal(asCustomer.error.code, 'bad_state');

  // A manager of evil watches: only evil's sessions exist for them.
  const boss = await login(node, 'manager', ...EVIL);
  const watcher = track(await new Client(node.wsUrl, { Cookie: boss.cookie }).open());
  const watch = await watcher.command('monitor.attach', { request_id: victim.id, after_seq: 0 });
  assert.equal(watch.type, 'error', JSON.stringify(watch));
  await sleep(200);
  assert.deepEqual(chatLines(watcher), []);

  // Demo's manager may watch, and sees the line.
  const manager = await login(node, 'manager', ...DEMO_MANAGER);
  const demoWatcher = track(await new Client(node.wsUrl, { Cookie: manager.cookie }).open());
  const ok = await demoWatcher.command('monitor.attach', { request_id: victim.id, after_seq: 0 });
  assert.equal(ok.type, 'chat.synced', JSON.stringify(ok));
  await demoWatcher.waitFor((m) => m.type === 'chat.line' && m.line.text === victim.secret);
  const write = await demoWatcher.command('chat.send', { request_id: victim.id, text: 'x', client_id: 'o' });
  assert.equal(write.error.code, 'bad_state', 'observers do not write');
  await anna.command('request.close', { request_id: victim.id });
});

test('a retried chat.send with the same client_id is stored once', async () => {
  const anna = track(await openConsole(node, 'anna@demo.openassist.example'));
  const victim = await victimSession(anna, 'Retry');
  const first = await victim.cust.command('chat.send', { text: 'only once', client_id: 'dup-1' });
  const second = await victim.cust.command('chat.send', { text: 'only once', client_id: 'dup-1' });
  assert.equal(first.type, 'chat.ack');
  assert.equal(second.type, 'chat.ack');
  assert.equal(second.seq, first.seq, 'the retry is answered with the stored line');
  // Sent back to back (the second before the first is stored).
  victim.cust.send({ type: 'chat.send', id: 901, text: 'fast', client_id: 'dup-2' });
  victim.cust.send({ type: 'chat.send', id: 902, text: 'fast', client_id: 'dup-2' });
  const a = await victim.cust.waitFor((m) => m.id === 901);
  const b = await victim.cust.waitFor((m) => m.id === 902);
  assert.equal(a.seq, b.seq);
  // The technician's own client ids are separate from the customer's.
  const tech = await anna.command('chat.send', { request_id: victim.id, text: 'mine', client_id: 'dup-1' });
  assert.notEqual(tech.seq, first.seq);
  await sleep(300);
  const texts = chatLines(anna).filter((m) => m.request_id === victim.id).map((m) => m.line.text);
  assert.equal(texts.filter((t) => t === 'only once').length, 1);
  assert.equal(texts.filter((t) => t === 'fast').length, 1);
  await anna.command('request.close', { request_id: victim.id });
});

test('a technician who hands a session over stops receiving it at once', async () => {
  const anna = track(await openConsole(node, 'anna@demo.openassist.example'));
  const carla = track(await openConsole(node, 'carla@demo.openassist.example'));
  const victim = await victimSession(anna, 'Handed');
  const carlaId = carla.state.me.id;
  const moved = await anna.command('request.transfer', { request_id: victim.id, technician_id: carlaId, note: 'yours' });
  assert.equal(moved.type, 'ack', JSON.stringify(moved));
  const revoked = await anna.waitFor((m) => m.type === 'chat.revoked' && m.request_id === victim.id);
  assert.match(revoked.reason, /no longer/);
  await carla.waitFor((m) => m.type === 'request.updated' && m.request.id === victim.id && String(m.request.technician_id) === String(carlaId));
  const joined = await carla.command('request.join', { request_id: victim.id });
  assert.equal(joined.type, 'ack', JSON.stringify(joined));
  assert.equal((await carla.command('chat.resume', { request_id: victim.id, after_seq: 0 })).type, 'chat.synced');
  const note = await carla.command('chat.send', { request_id: victim.id, text: 'carla private', client_id: 'k1', private: true });
  assert.equal(note.type, 'chat.ack', JSON.stringify(note));
  const pub = await carla.command('chat.send', { request_id: victim.id, text: 'carla public', client_id: 'k2' });
  assert.equal(pub.type, 'chat.ack');
  await victim.cust.waitFor((m) => m.type === 'chat.line' && m.line.text === 'carla public');
  await sleep(300);
  const annaTexts = () => anna.messages.filter((m) => m.type === 'chat.line' && m.request_id === victim.id).map((m) => m.line.text);
  assert.ok(!annaTexts().includes('carla private'));
  assert.ok(!annaTexts().includes('carla public'), 'nothing arrives after the revocation');
  // Anna may still read the chat as a technician who sees the request, but
  // not its private notes.
  const again = await anna.command('chat.resume', { request_id: victim.id, after_seq: 0 });
  assert.equal(again.type, 'chat.synced', JSON.stringify(again));
  await anna.waitFor((m) => m.type === 'chat.line' && m.line.text === 'carla public');
  assert.ok(!annaTexts().includes('carla private'));
  const write = await anna.command('chat.send', { request_id: victim.id, text: 'me?', client_id: 'a1' });
  assert.equal(write.error.code, 'not_yours');
  await carla.command('request.close', { request_id: victim.id });
});
