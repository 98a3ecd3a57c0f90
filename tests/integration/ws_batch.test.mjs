// Batches (docs/websocket.md): a client that asks with ?batch=1 gets the
// messages waiting for its socket in one frame, a JSON array, in order and
// none lost; a client that does not ask gets one message per frame.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sleep, startNode } from '../harness/node.mjs';
import { Client, customerFields, openConsole, openCustomer } from '../harness/intake.mjs';

let node;
const sockets = [];
before(async () => {
  node = await startNode({
    args: ['--node.demo', '--intake.per-address-per-min=0', '--gateway.ws-messages-per-s=100000'],
  });
});
after(async () => {
  for (const c of sockets) c.ws?.terminate();
  await node?.stop();
});

test('a console that is behind gets the waiting lines batched, in order, none lost', async () => {
  const anna = await openConsole(node, 'anna@demo.openassist.example');
  sockets.push(anna);
  const cust = await openCustomer(node, 'demo', 'help', { fields: customerFields('Batchy') });
  sockets.push(cust);
  const id = cust.request.request_id;
  await anna.waitFor((m) => m.type === 'alert' && m.alert.request_id === id);
  assert.equal((await anna.command('request.accept', { request_id: id })).type, 'ack');
  assert.equal((await anna.command('request.join', { request_id: id })).type, 'ack');
  await cust.waitFor((m) => m.request?.status === 'active');

  // 1,200 lines of 3,900 characters: 4.7 MB, more than the socket buffers
  // hold for a reader that does not read, so the node queues them.
  const count = 1200;
  const text = (i) => `${String(i).padStart(5, '0')} ${'x'.repeat(3894)}`;
  for (let i = 0; i < count; i++) cust.send({ type: 'chat.send', text: text(i), client_id: `b${i}` });
  await cust.waitFor((m) => m.type === 'chat.ack' && m.client_id === `b${count - 1}`, 60_000);
  assert.equal(cust.messages.filter((m) => m.type === 'error').length, 0);

  const follow = async (url) => {
    const c = new Client(url, { Cookie: anna.session.cookie });
    sockets.push(c);
    await c.open();
    assert.equal((await c.command('console.hello')).type, 'console.state');
    // Not reading while the node sends the whole chat.
    c.ws._socket.pause();
    c.send({ type: 'chat.resume', request_id: id, after_seq: 0 });
    await sleep(1500);
    c.ws._socket.resume();
    await c.waitFor((m) => m.type === 'chat.synced' && m.request_id === id, 60_000);
    const mine = c.messages
      .filter((m) => m.type === 'chat.line' && m.request_id === id && m.line.from === 'customer')
      .map((m) => m.line.text);
    assert.equal(mine.length, count, 'every line once');
    mine.forEach((t, i) => assert.equal(t, text(i), `line ${i} in its place`));
    return c;
  };
  const batched = await follow(`${node.wsUrl}?batch=1`);
  assert.ok(batched.batches > 0, `no batch in ${batched.frames} frames`);
  assert.ok(batched.frames < batched.messages.length, 'fewer frames than messages');
  const plain = await follow(node.wsUrl);
  assert.equal(plain.batches, 0, 'a client that did not ask gets no batch');
});

test('batches are asked for with batch=1 only, and any other query changes nothing', async () => {
  for (const query of ['?batch=0', '?batch=yes', '?x=1']) {
    const c = new Client(`${node.wsUrl}${query}`);
    sockets.push(c);
    await c.open();
    const pong = await c.command('ping');
    assert.equal(pong.type, 'pong', query);
    c.close();
  }
});
