// Hostile and broken clients: each gets a clear error or a closed connection,
// and the node keeps serving everyone else.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { get, metric, rawExchange, sleep, startNode } from '../harness/node.mjs';

let node;
before(async () => {
  node = await startNode({
    args: [
      '--gateway.request-timeout-ms=1000',
      '--gateway.max-connections=40',
      '--gateway.header-limit-kb=8',
      '--gateway.body-limit-kb=64',
    ],
  });
});
after(async () => {
  assert.equal((await node.stop()).code, 0);
});

async function stillServing() {
  const res = await get(`${node.publicUrl}/api/v1/status`);
  assert.equal(res.status, 200, 'node still serves others');
}

function statusOf(raw) {
  const m = raw.data.match(/^HTTP\/1\.1 (\d{3})/);
  return m ? Number(m[1]) : undefined;
}

function errorOf(raw) {
  return JSON.parse(raw.data.slice(raw.data.indexOf('\r\n\r\n') + 4)).error;
}

test('malformed request lines get 400 and a closed connection', async () => {
  for (const junk of [
    'GARBAGE\r\n\r\n',
    'GET /\r\n\r\n',
    'GET / HTTP/9.9\r\n\r\n',
    'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n',
    'GET / HTTP/1.1\r\nBad Header Line\r\n\r\n',
    '\x00\x01\x02\x03\r\n\r\n',
  ]) {
    const raw = await rawExchange(node.publicPort, [junk]);
    assert.equal(statusOf(raw), 400, JSON.stringify(junk) + ' -> ' + raw.data.slice(0, 80));
    assert.equal(errorOf(raw).code, 'bad_request');
    assert.ok(raw.closed, 'connection closed');
  }
  const absolute = await rawExchange(node.publicPort, ['GET http://evil/ HTTP/1.1\r\nHost: x\r\n\r\n']);
  assert.equal(statusOf(absolute), 400);
  await stillServing();
});

test('oversize headers get 431', async () => {
  const big = 'x'.repeat(16 * 1024);
  const raw = await rawExchange(node.publicPort, [`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${big}\r\n\r\n`]);
  assert.equal(statusOf(raw), 431);
  assert.equal(errorOf(raw).code, 'headers_too_large');
  await stillServing();
});

test('oversize bodies get 413 without being read whole', async () => {
  const raw = await rawExchange(node.publicPort, [
    `POST /api/v1/status HTTP/1.1\r\nHost: x\r\nContent-Length: ${10 * 1024 * 1024}\r\n\r\n`,
    'y'.repeat(128 * 1024),
  ]);
  assert.equal(statusOf(raw), 413);
  assert.equal(errorOf(raw).code, 'body_too_large');
  await stillServing();
});

test('slowloris clients are cut off after the request timeout', async () => {
  const slow = Array.from({ length: 5 }, () =>
    rawExchange(node.publicPort, ['GET / HTTP/1.1\r\n', 'Host: x\r\n', 'X-A: 1\r\n', 'X-B: 2\r\n', 'X-C: 3\r\n'], {
      gapMs: 400,
      timeoutMs: 8000,
    }),
  );
  // While they dribble, others are served.
  await sleep(200);
  await stillServing();
  for (const raw of await Promise.all(slow)) {
    assert.ok(raw.closed, 'slow client disconnected');
    assert.ok(raw.ms < 4000, `cut after ${raw.ms} ms`);
    assert.equal(raw.data, '', 'no response to an incomplete request');
  }
  assert.ok((await metric(node, 'openassist_http_rejected_total{reason="request_timeout"}')) >= 5);
});

test('an idle connection that sends nothing is closed', async () => {
  const raw = await rawExchange(node.publicPort, [], { timeoutMs: 5000 });
  assert.ok(raw.closed);
  assert.ok(raw.ms < 4000);
});

test('connections above the cap get 503 and the node recovers', async () => {
  const held = [];
  for (let i = 0; i < 40; i++) {
    held.push(
      await new Promise((resolveConn) => {
        const s = net.connect(node.publicPort, '127.0.0.1', () => resolveConn(s));
        s.on('error', () => {});
      }),
    );
  }
  await sleep(100);
  const refused = await rawExchange(node.publicPort, ['GET /api/v1/status HTTP/1.1\r\nHost: x\r\n\r\n']);
  assert.equal(statusOf(refused), 503);
  assert.equal(errorOf(refused).code, 'overloaded');
  for (const s of held) s.destroy();
  await sleep(300);
  await stillServing();
  assert.ok((await metric(node, 'openassist_http_rejected_total{reason="connection_cap"}')) >= 1);
});

test('pipelined requests on one connection are all answered', async () => {
  const req = 'GET /api/v1/status HTTP/1.1\r\nHost: x\r\n\r\n';
  const raw = await rawExchange(node.publicPort, [req + req + req.replace('\r\n\r\n', '\r\nConnection: close\r\n\r\n')]);
  assert.equal(raw.data.match(/HTTP\/1\.1 200/g).length, 3);
  assert.ok(raw.closed);
});
