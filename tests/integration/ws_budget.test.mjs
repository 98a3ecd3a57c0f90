// Outbound WebSocket bytes have a node-wide budget besides the limit per
// connection: a slow reader is dropped once all connections together hold
// the budget, with a counter, and the queued total is a gauge in /metrics.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { WebSocket, get, metric, sleep, startNode, wsFrame } from '../harness/node.mjs';

let node;
before(async () => {
  node = await startNode({
    // 4 MiB per connection, but only 1 MiB for all of them.
    args: ['--gateway.ws-max-queued-kb=4096', '--gateway.ws-max-queued-total-mb=1', '--gateway.ws-max-message-kb=64'],
  });
});
after(async () => {
  assert.equal((await node.stop()).code, 0);
});

test('a client that never reads is dropped at the node budget, below its own limit', async () => {
  assert.equal(await metric(node, 'openassist_ws_queued_bytes'), 0);
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
  // Up to 18 MB of pongs: more than the socket buffers, the node budget
  // (1 MiB) and the connection's own limit (4 MiB).
  for (let i = 0; i < 300 && !closedByServer; i++) {
    sock.write(wsFrame(JSON.stringify({ type: 'ping', id })));
    if (i % 50 === 49) await sleep(300);
  }
  let dropped = 0;
  for (let i = 0; i < 50 && !dropped; i++) {
    await sleep(100);
    dropped = (await metric(node, 'openassist_http_rejected_total{reason="ws_node_budget"}')) ?? 0;
  }
  assert.ok(dropped >= 1, 'dropped at the node budget');
  assert.equal(await metric(node, 'openassist_http_rejected_total{reason="ws_slow_consumer"}'), undefined);
  sock.destroy();
  // What it held is given back.
  let queued;
  for (let i = 0; i < 50 && queued !== 0; i++) {
    queued = await metric(node, 'openassist_ws_queued_bytes');
    if (queued !== 0) await sleep(100);
  }
  assert.equal(queued, 0);

  // Others are served.
  const ws = new WebSocket(node.wsUrl);
  const welcome = await new Promise((r, j) => {
    ws.once('message', (d) => r(JSON.parse(d.toString())));
    ws.once('error', j);
  });
  assert.equal(welcome.type, 'welcome');
  ws.close();
  assert.equal((await get(`${node.publicUrl}/api/v1/status`)).status, 200);
});
