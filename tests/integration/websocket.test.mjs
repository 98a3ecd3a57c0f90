// The WebSocket endpoint: each connection is bridged to a connection actor.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { WebSocket, get, metric, sleep, startNode, wsFrame } from '../harness/node.mjs';

let node;
before(async () => {
  node = await startNode({ args: ['--gateway.ws-max-queued-kb=256', '--gateway.ws-max-message-kb=64'] });
});
after(async () => {
  assert.equal((await node.stop()).code, 0);
});

/** Opens a client and collects its messages; resolves once open. */
function connect(url = node.wsUrl) {
  return new Promise((resolveOpen, reject) => {
    const ws = new WebSocket(url);
    const inbox = [];
    const waiters = [];
    ws.on('message', (data) => {
      const msg = JSON.parse(data.toString());
      const w = waiters.shift();
      if (w) w(msg);
      else inbox.push(msg);
    });
    ws.next = () => new Promise((r) => (inbox.length ? r(inbox.shift()) : waiters.push(r)));
    ws.closed = new Promise((r) => ws.on('close', (code, reason) => r({ code, reason: reason.toString() })));
    ws.on('open', () => resolveOpen(ws));
    ws.on('error', reject);
  });
}

test('welcome, then ping is answered by the connection actor', async () => {
  const ws = await connect();
  const welcome = await ws.next();
  assert.equal(welcome.type, 'welcome');
  assert.equal(welcome.protocol, 1);
  assert.equal(welcome.node_id, node.nodeId);
  for (let i = 0; i < 20; i++) {
    ws.send(JSON.stringify({ type: 'ping', id: i }));
    const pong = await ws.next();
    assert.equal(pong.type, 'pong');
    assert.equal(pong.id, i);
  }
  assert.equal(await metric(node, 'openassist_websocket_connections'), 1);
  assert.equal(await metric(node, 'openassist_actors_alive{kind="connection"}'), 1);
  ws.close(1000);
  await ws.closed;
  await sleep(200);
  assert.equal(await metric(node, 'openassist_websocket_connections'), 0);
  assert.equal(await metric(node, 'openassist_actors_alive{kind="connection"}'), 0);
});

test('bad messages get error events and the connection stays open', async () => {
  const ws = await connect();
  await ws.next();
  for (const [text, code] of [
    ['{not json', 'bad_json'],
    ['"just a string"', 'bad_json'],
    ['[' .repeat(10000), 'bad_json'],
    ['{"type":42}', 'bad_field'],
    ['{"type":"warp","id":"a"}', 'unknown_type'],
  ]) {
    ws.send(text);
    const err = await ws.next();
    assert.equal(err.type, 'error');
    assert.equal(err.error.code, code, text.slice(0, 40));
    assert.ok(err.error.message.length > 0);
  }
  ws.send(JSON.stringify({ type: 'ping', id: 'still-here' }));
  assert.equal((await ws.next()).id, 'still-here');
  ws.close();
});

test('an oversize message closes the connection', async () => {
  const ws = await connect();
  await ws.next();
  ws.send('x'.repeat(65 * 1024));
  const { code } = await ws.closed;
  assert.equal(code, 1009);
});

test('unknown WebSocket paths are refused', async () => {
  await assert.rejects(connect(`ws://127.0.0.1:${node.publicPort}/ws/none`), /404/);
});

test('a client that never reads is dropped and the node keeps serving', async () => {
  // Raw socket: handshake, then pings with large ids, and never read again.
  const sock = net.connect(node.publicPort, '127.0.0.1');
  await new Promise((r) => sock.on('connect', r));
  sock.on('error', () => {});
  sock.write(
    'GET /ws/v1 HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
  );
  await new Promise((r) => sock.once('data', r));
  sock.pause();
  const id = 'z'.repeat(60 * 1024);
  let closedByServer = false;
  sock.on('close', () => (closedByServer = true));
  for (let i = 0; i < 300 && !closedByServer; i++) {
    sock.write(wsFrame(JSON.stringify({ type: 'ping', id })));
    if (i % 50 === 49) await sleep(300);
  }
  // The server's queue limit (256 KiB) is hit long before 18 MB of pongs.
  let dropped = 0;
  for (let i = 0; i < 50 && !dropped; i++) {
    await sleep(100);
    dropped = (await metric(node, 'openassist_http_rejected_total{reason="ws_slow_consumer"}')) ?? 0;
  }
  assert.ok(dropped >= 1, 'slow consumer dropped');
  const ws = await connect();
  assert.equal((await ws.next()).type, 'welcome');
  ws.close();
  assert.equal((await get(`${node.publicUrl}/api/v1/status`)).status, 200);
  sock.destroy();
});

test('a flood of messages is rate limited', async () => {
  const ws = await connect();
  await ws.next();
  for (let i = 0; i < 2000; i++) ws.send('{"type":"ping"}');
  const { code } = await ws.closed;
  assert.equal(code, 1008);
});
