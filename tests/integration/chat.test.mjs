// Session chat against the real binary (docs/sessions.md): lines stored
// before they are acknowledged, numbered per session, private notes,
// typing, exactly-once resume after a dropped connection, transcripts.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { get, metric, startNode } from '../harness/node.mjs';
import {
  Client,
  DEMO_MANAGER,
  customerFields,
  login,
  openConsole,
  openCustomer,
  post,
} from '../harness/intake.mjs';

let node;
const sockets = [];
before(async () => {
  node = await startNode({ args: ['--node.demo', '--intake.per-address-per-min=0'] });
});
after(async () => {
  for (const c of sockets) c.ws?.terminate();
  await node?.stop();
});

/** A customer whose request anna has accepted and joined. */
async function joinedSession(anna, name) {
  const cust = await openCustomer(node, 'demo', 'help', { fields: customerFields(name) });
  sockets.push(cust);
  const id = cust.request.request_id;
  await anna.waitFor((m) => m.type === 'alert' && m.alert.request_id === id);
  assert.equal((await anna.command('request.accept', { request_id: id })).type, 'ack');
  assert.equal((await anna.command('request.join', { request_id: id })).type, 'ack');
  await cust.waitFor((m) => m.request?.status === 'active');
  return { cust, id };
}

const lines = (client, id) =>
  client.messages.filter((m) => m.type === 'chat.line' && m.request_id === id).map((m) => m.line);

test('chat both ways: numbered lines, system lines, private notes, typing', async () => {
  const anna = await openConsole(node, 'anna@demo.openassist.example');
  sockets.push(anna);
  const { cust, id } = await joinedSession(anna, 'Chatty');

  const early = await cust.command('chat.resume', { after_seq: 0 });
  assert.equal(early.type, 'chat.synced', JSON.stringify(early));
  await cust.waitFor((m) => m.type === 'chat.line' && m.line.from === 'system');
  assert.match(lines(cust, id)[0].text, /Anna joined the session/);
  assert.equal((await anna.command('chat.resume', { request_id: id, after_seq: 0 })).type, 'chat.synced');

  const ack = await cust.command('chat.send', { text: 'Hello, my printer <b>burns</b>', client_id: 'c1' });
  assert.equal(ack.type, 'chat.ack', JSON.stringify(ack));
  assert.equal(ack.client_id, 'c1');
  assert.equal(ack.seq, 2);
  const seen = await anna.waitFor((m) => m.type === 'chat.line' && m.line.seq === 2);
  assert.equal(seen.line.text, 'Hello, my printer <b>burns</b>', 'text travels as text');
  assert.equal(seen.line.from, 'customer');
  assert.equal(seen.line.name, 'Chatty');

  const note = await anna.command('chat.send', { request_id: id, text: 'customer seems upset', client_id: 'n1', private: true });
  assert.equal(note.seq, 3);
  const reply = await anna.command('chat.send', { request_id: id, text: 'Unplug it, please.', client_id: 't1' });
  assert.equal(reply.seq, 4);
  await cust.waitFor((m) => m.type === 'chat.line' && m.line.seq === 4);
  assert.ok(!lines(cust, id).some((l) => l.private || l.seq === 3), 'private notes never reach the customer');
  assert.equal(lines(anna, id).find((l) => l.seq === 3).private, true);

  cust.send({ type: 'chat.typing', typing: true });
  const typing = await anna.waitFor((m) => m.type === 'chat.typing' && m.request_id === id);
  assert.equal(typing.from, 'customer');
  assert.equal(typing.typing, true);

  // The wrong people and bad input.
  const carla = await openConsole(node, 'carla@demo.openassist.example');
  sockets.push(carla);
  const notYours = await carla.command('chat.send', { request_id: id, text: 'hi', client_id: 'x' });
  assert.equal(notYours.error.code, 'not_yours');
  const readable = await carla.command('chat.resume', { request_id: id, after_seq: 0 });
  assert.equal(readable.type, 'chat.synced', 'colleagues who see the request may read its chat');
  assert.equal((await cust.command('chat.send', { text: '   ', client_id: 'e' })).error.code, 'bad_field');
  assert.equal((await cust.command('chat.send', { text: 'x'.repeat(4001), client_id: 'e' })).error.code, 'bad_field');
  assert.equal((await cust.command('chat.send', { client_id: 'e' })).error.code, 'bad_field');
  const spy = new Client(node.wsUrl);
  sockets.push(spy);
  await spy.open();
  assert.equal((await spy.command('chat.resume', { after_seq: 0 })).error.code, 'bad_state');

  // Waiting requests have no chat yet.
  const waiting = await openCustomer(node, 'demo', 'help', { fields: customerFields('Early') });
  sockets.push(waiting);
  const notOpen = await waiting.command('chat.send', { text: 'anyone?', client_id: 'w' });
  assert.equal(notOpen.error.code, 'chat_not_open');
  await waiting.command('customer.cancel');

  // Close: a system line, and the chat is read-only.
  await anna.command('request.close', { request_id: id });
  await cust.waitFor((m) => m.type === 'chat.line' && /closed the session/.test(m.line.text));
  const late = await cust.command('chat.send', { text: 'one more', client_id: 'c9' });
  assert.equal(late.error.code, 'chat_not_open');
  assert.ok((await metric(node, 'openassist_chat_lines_total')) >= 5);
});

test('a dropped customer gets every line it missed exactly once, in order', async () => {
  const anna = await openConsole(node, 'anna@demo.openassist.example');
  sockets.push(anna);
  const { cust, id } = await joinedSession(anna, 'Flaky');
  await anna.command('chat.resume', { request_id: id, after_seq: 0 });
  await cust.command('chat.resume', { after_seq: 0 });
  for (let i = 1; i <= 5; i++) await cust.command('chat.send', { text: `c${i}`, client_id: `c${i}` });
  const had = lines(cust, id);
  const last = had[had.length - 1].seq;
  cust.drop();
  for (let i = 1; i <= 5; i++) await anna.command('chat.send', { request_id: id, text: `t${i}`, client_id: `t${i}` });

  const back = new Client(node.wsUrl);
  sockets.push(back);
  await back.open();
  await back.command('customer.attach', { account: 'demo', request_id: id, token: cust.request.token });
  const synced = await back.command('chat.resume', { after_seq: last });
  assert.equal(synced.type, 'chat.synced');
  const got = lines(back, id);
  assert.deepEqual(got.map((l) => l.text), ['t1', 't2', 't3', 't4', 't5']);
  assert.deepEqual(got.map((l) => l.seq), [last + 1, last + 2, last + 3, last + 4, last + 5]);
  // Both sides hold the same numbered lines.
  const all = [...had, ...got].map((l) => `${l.seq}:${l.text}`);
  const annaView = lines(anna, id).filter((l) => !l.private).map((l) => `${l.seq}:${l.text}`);
  assert.deepEqual(annaView, all);
  await anna.command('request.close', { request_id: id });
});

test('transcripts: the customer without private notes, technicians and managers with them', async () => {
  const anna = await openConsole(node, 'anna@demo.openassist.example');
  sockets.push(anna);
  const { cust, id } = await joinedSession(anna, 'Paper');
  await cust.command('chat.send', { text: 'line one\nline two', client_id: 'a' });
  await anna.command('chat.send', { request_id: id, text: 'secret', client_id: 'b', private: true });
  await anna.command('chat.send', { request_id: id, text: 'Done!', client_id: 'c' });
  const url = `${node.publicUrl}/api/v1/public/portals/demo/help/requests/${id}/transcript`;
  const res = await post(url, { token: cust.request.token });
  assert.equal(res.status, 200, res.text);
  assert.match(res.headers.get('content-type'), /^text\/plain/);
  assert.match(res.headers.get('content-disposition'), new RegExp(`chat-${id}\\.txt`));
  const rows = res.text.trimEnd().split('\n');
  assert.match(rows[0], /^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\] \* Anna joined the session$/);
  assert.match(rows[1], /\] Paper: line one$/);
  assert.equal(rows[2], '    line two');
  assert.match(rows[3], /\] Anna: Done!$/);
  assert.ok(!res.text.includes('secret'));
  assert.equal((await post(url, { token: 'wrong' })).status, 404);

  const techUrl = `${node.publicUrl}/api/v1/requests/${id}/transcript`;
  const mine = await get(techUrl, { headers: { Cookie: anna.session.cookie } });
  assert.equal(mine.status, 200, mine.text);
  assert.match(mine.text, /Anna \(private note\): secret/);
  const boss = await login(node, 'manager', ...DEMO_MANAGER);
  assert.equal((await get(techUrl, { headers: { Cookie: boss.cookie } })).status, 200);
  assert.equal((await get(techUrl)).status, 401);
  assert.equal((await get(`${node.publicUrl}/api/v1/requests/999999/transcript`, { headers: { Cookie: boss.cookie } })).status, 404);
  await anna.command('request.close', { request_id: id });
});

test('invisible monitoring: a manager sees chat and notes, nobody sees the manager', async () => {
  const anna = await openConsole(node, 'anna@demo.openassist.example');
  sockets.push(anna);
  const { cust, id } = await joinedSession(anna, 'Watched');
  await cust.command('chat.resume', { after_seq: 0 });
  await cust.command('chat.send', { text: 'before the manager', client_id: 'w1' });

  const boss = await login(node, 'manager', ...DEMO_MANAGER);
  const eye = new Client(node.wsUrl, { Cookie: boss.cookie });
  sockets.push(eye);
  await eye.open();
  const synced = await eye.command('monitor.attach', { request_id: id, after_seq: 0 });
  assert.equal(synced.type, 'chat.synced', JSON.stringify(synced));
  assert.ok(lines(eye, id).some((l) => l.text === 'before the manager'), 'history first');
  const custBefore = cust.messages.length;
  const annaBefore = anna.messages.length;
  await anna.command('chat.send', { request_id: id, text: 'note for the file', client_id: 'p', private: true });
  await cust.command('chat.send', { text: 'after', client_id: 'w2' });
  await eye.waitFor((m) => m.type === 'chat.line' && m.line.text === 'after');
  assert.ok(lines(eye, id).some((l) => l.private && l.text === 'note for the file'));
  // Nothing about the observer reached customer or technician.
  const news = [...cust.messages.slice(custBefore), ...anna.messages.slice(annaBefore)];
  assert.ok(news.every((m) => m.type === 'chat.line' || m.type === 'chat.ack'), JSON.stringify(news));
  assert.ok(news.every((m) => m.type !== 'chat.line' || m.line.from !== 'system'));
  // The observer cannot write or type.
  assert.equal((await eye.command('chat.send', { request_id: id, text: 'hi', client_id: 'x' })).error.code, 'bad_state');
  // Team managers watch only their teams' sessions; technicians never.
  const lead = await login(node, 'manager', 'teamlead@demo.openassist.example', 'demo-teamlead-1');
  const leadEye = new Client(node.wsUrl, { Cookie: lead.cookie });
  sockets.push(leadEye);
  await leadEye.open();
  assert.equal((await leadEye.command('monitor.attach', { request_id: id })).type, 'chat.synced');
  const techEye = new Client(node.wsUrl, { Cookie: anna.session.cookie });
  sockets.push(techEye);
  await techEye.open();
  assert.equal((await techEye.command('monitor.attach', { request_id: id })).error.code, 'forbidden');
  const anon = new Client(node.wsUrl);
  sockets.push(anon);
  await anon.open();
  assert.equal((await anon.command('monitor.attach', { request_id: id })).error.code, 'unauthenticated');
  await anna.command('request.close', { request_id: id });
});
