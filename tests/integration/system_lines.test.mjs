// System lines as codes and the customer's presence, against the real binary
// (docs/sessions.md, "System lines" and "The customer's presence"): lines
// carry code and params next to their English text, the customer's
// transcript is written in the language asked for (bad languages refused),
// and the technician hears when the customer's socket goes and comes back.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startNode } from '../harness/node.mjs';
import { Client, customerFields, openConsole, openCustomer, post } from '../harness/intake.mjs';

let node;
const sockets = [];
before(async () => {
  node = await startNode({ args: ['--node.demo', '--intake.per-address-per-min=0'] });
});
after(async () => {
  for (const c of sockets) c.ws?.terminate();
  await node?.stop();
});

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

const presence = (client, id) => client.messages.filter((m) => m.type === 'session.presence' && m.request_id === id);

test('system lines carry codes; the transcript is in the customer language', async () => {
  const anna = await openConsole(node, 'anna@demo.openassist.example');
  sockets.push(anna);
  const { cust, id } = await joinedSession(anna, 'Ute');
  assert.equal((await cust.command('chat.resume', { after_seq: 0 })).type, 'chat.synced');
  const joined = (await cust.waitFor((m) => m.type === 'chat.line' && m.line.from === 'system')).line;
  assert.equal(joined.code, 'joined');
  assert.match(joined.text, /^Anna( Berger)? joined the session$/);
  assert.equal(joined.text, `${joined.params.name} joined the session`);

  const url = `${node.publicUrl}/api/v1/public/portals/demo/help/requests/${id}/transcript`;
  const token = cust.request.token;
  const de = await post(url, { token, lang: 'de' });
  assert.equal(de.status, 200, de.text);
  assert.match(de.text, new RegExp(`\\] \\* ${joined.params.name} ist der Sitzung beigetreten\\n`));
  const en = await post(url, { token });
  assert.equal(en.status, 200, en.text);
  assert.match(en.text, new RegExp(`\\] \\* ${joined.text}\\n`));
  assert.equal((await post(url, { token, lang: 'en' })).text, en.text);
  for (const lang of ['fr', 5, null, '']) {
    const bad = await post(url, { token, lang });
    assert.equal(bad.status, 400, `lang ${JSON.stringify(lang)}: ${bad.text}`);
    assert.equal(bad.json.error.code, 'bad_field');
  }
});

test('the technician hears the customer socket go and come back', async () => {
  const anna = await openConsole(node, 'anna@demo.openassist.example');
  sockets.push(anna);
  const { cust, id } = await joinedSession(anna, 'Vera');
  assert.equal((await cust.command('chat.resume', { after_seq: 0 })).type, 'chat.synced');
  assert.equal((await anna.command('chat.resume', { request_id: id, after_seq: 0 })).type, 'chat.synced');
  await anna.waitFor((m) => m.type === 'session.presence' && m.request_id === id && m.customer === 'here');
  assert.equal(presence(cust, id).length, 0, 'the customer is not told');

  // The socket goes: gone at once, "left the page" after the grace.
  cust.ws.terminate();
  const gone = await anna.waitFor((m) => m.type === 'session.presence' && m.request_id === id && m.customer === 'gone');
  assert.ok(gone.since > 0);
  const away = await anna.waitFor(
    (m) => m.type === 'chat.line' && m.request_id === id && m.line.code === 'customer_away',
    20_000,
  );
  assert.equal(away.line.text, 'The customer left the page');
  assert.equal(away.line.private, true);

  // Back on a new socket.
  const again = new Client(node.wsUrl);
  sockets.push(again);
  await again.open();
  const state = await again.command('customer.attach', { account: 'demo', request_id: id, token: cust.request.token });
  assert.equal(state.type, 'request.state');
  assert.equal((await again.command('chat.resume', { after_seq: 0 })).type, 'chat.synced');
  await anna.waitFor((m) => m.type === 'session.presence' && m.request_id === id && m.customer === 'here' && m.since >= gone.since);
  const back = await anna.waitFor((m) => m.type === 'chat.line' && m.request_id === id && m.line.code === 'customer_back');
  assert.equal(back.line.text, 'The customer is back');
  // Neither line reaches the customer.
  await again.command('chat.send', { text: 'I am back', client_id: 'b1' });
  await anna.waitFor((m) => m.type === 'chat.line' && m.request_id === id && m.line.text === 'I am back');
  const seen = again.messages.filter((m) => m.type === 'chat.line').map((m) => m.line.code ?? m.line.text);
  assert.ok(!seen.includes('customer_away') && !seen.includes('customer_back'), JSON.stringify(seen));
});
