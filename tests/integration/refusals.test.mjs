// Refusals the client can read: a body over the limit is answered 413 from
// its headers, and a client that goes on sending the whole body still reads
// the answer (the node closes in stages, RFC 9112 §9.6, instead of resetting
// the connection); an oversize WebSocket message is closed with 1009.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { WebSocket, get, startNode } from '../harness/node.mjs';

let node;
before(async () => {
  node = await startNode({
    // Generous lingering: the machines running tests are slow and shared;
    // the default (2 s) is plenty for a real client.
    args: ['--gateway.linger-ms=20000', '--gateway.ws-max-message-kb=64', '--gateway.ws-max-frame-kb=1024'],
  });
});
after(async () => {
  assert.equal((await node.stop()).code, 0);
});

const TEN_MB = 10 * 1024 * 1024;

/**
 * Like a simple HTTP client (Python's http.client): writes the request and
 * its whole body first, and only then reads the answer. Resolves with the
 * answer's status, headers and body, or rejects with the socket's error.
 */
function sendWholeThenRead(port, head, body) {
  return new Promise((resolveAnswer, reject) => {
    const sock = net.connect(port, '127.0.0.1');
    let data = Buffer.alloc(0);
    let reading = false;
    sock.on('error', reject);
    sock.on('connect', () => {
      sock.pause(); // nothing is read while the body is being sent
      sock.write(head);
      sock.write(body, (err) => {
        if (err) return reject(err);
        reading = true;
        sock.on('data', (d) => {
          data = Buffer.concat([data, d]);
          const end = data.indexOf('\r\n\r\n');
          if (end < 0) return;
          const headers = data.subarray(0, end).toString('latin1');
          const length = Number(/content-length: *(\d+)/i.exec(headers)?.[1] ?? NaN);
          const rest = data.subarray(end + 4);
          if (rest.length < length) return;
          sock.end();
          resolveAnswer({
            status: Number(headers.slice(9, 12)),
            headers,
            body: JSON.parse(rest.subarray(0, length).toString('utf8')),
          });
        });
        sock.resume();
      });
    });
    sock.on('close', () => {
      if (!reading) reject(new Error('closed before the body was sent'));
      else reject(new Error(`closed before a whole answer: ${JSON.stringify(data.toString('latin1'))}`));
    });
  });
}

test('a client that sends a whole 10 MB body reads back the 413', async () => {
  const head =
    `POST /api/v1/teams HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n` +
    `Content-Length: ${TEN_MB}\r\n\r\n`;
  const answer = await sendWholeThenRead(node.publicPort, head, Buffer.alloc(TEN_MB, 0x20));
  assert.equal(answer.status, 413, answer.headers);
  assert.match(answer.headers, /\r\nconnection: close\r\n/i);
  assert.equal(answer.body.error.code, 'body_too_large');
  assert.ok(answer.body.error.message.length > 0);
  assert.equal((await get(`${node.publicUrl}/api/v1/status`)).status, 200, 'node still serves');
});

test("fetch sending a 10 MB body reads the 413 (no 'fetch failed')", async () => {
  for (let i = 0; i < 3; i++) {
    const res = await get(`${node.publicUrl}/api/v1/teams`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: Buffer.alloc(TEN_MB, 0x20),
    });
    assert.equal(res.status, 413);
    assert.equal(res.json.error.code, 'body_too_large');
  }
});

/** Opens a WebSocket, waits for the welcome; `closed` resolves {code, reason}. */
function connect() {
  return new Promise((resolveOpen, reject) => {
    const ws = new WebSocket(node.wsUrl);
    ws.closed = new Promise((r) => ws.on('close', (code, reason) => r({ code, reason: reason.toString() })));
    ws.on('error', () => {}); // a reset shows as close code 1006
    ws.once('message', () => resolveOpen(ws));
    ws.once('unexpected-response', () => reject(new Error('upgrade refused')));
  });
}

test('an oversize WebSocket message is closed with 1009, not a reset', async () => {
  for (const [what, payload] of [
    ['2 MB text', 'x'.repeat(2 * 1024 * 1024)],
    ['10 MB text', 'x'.repeat(TEN_MB)],
    ['2 MB binary', Buffer.alloc(2 * 1024 * 1024, 1)],
    ['65 KB text', 'x'.repeat(65 * 1024)],
  ]) {
    const ws = await connect();
    ws.send(payload);
    const { code, reason } = await ws.closed;
    assert.equal(code, 1009, `${what}: close code ${code}`);
    assert.match(reason, /too big/);
  }
  // A binary message under the frame limit is fine.
  const ws = await connect();
  ws.send(Buffer.alloc(512 * 1024, 1));
  ws.send(JSON.stringify({ type: 'ping', id: 'after' }));
  const pong = await new Promise((r) =>
    ws.on('message', (d) => {
      const msg = JSON.parse(d.toString());
      if (msg.type === 'pong') r(msg);
    }),
  );
  assert.equal(pong.id, 'after');
  ws.close();
});
