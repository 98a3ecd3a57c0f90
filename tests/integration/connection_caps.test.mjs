// Connection limits: one address cannot hold every slot of the node (a cap
// per address besides the global one), and when the process runs out of
// file descriptors the node waits a little before accepting again instead
// of spinning.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import net from 'node:net';
import { get, metric, sleep, startNode } from '../harness/node.mjs';

let node;
before(async () => {
  node = await startNode({
    args: ['--gateway.max-connections-per-address=3', '--gateway.request-timeout-ms=60000'],
  });
});
after(async () => {
  assert.equal((await node.stop()).code, 0);
});

const STATUS = 'GET /api/v1/status HTTP/1.1\r\nHost: x\r\n\r\n';

/**
 * Opens a connection (from `localAddress`) and sends one request (unless
 * `send` is false); resolves
 * with the socket and the status of the answer (the socket stays open when
 * the node keeps it).
 */
function request(localAddress = '127.0.0.1', send = true) {
  return new Promise((resolveReq, reject) => {
    const sock = net.connect({ port: node.publicPort, host: '127.0.0.1', localAddress });
    let data = '';
    sock.on('error', () => {});
    sock.on('connect', () => send && sock.write(STATUS));
    sock.on('data', (d) => {
      data += d.toString('latin1');
      const end = data.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = Number(/content-length: *(\d+)/i.exec(data)?.[1] ?? 0);
      if (data.length < end + 4 + length) return;
      resolveReq({ sock, status: Number(data.slice(9, 12)), body: data.slice(end + 4, end + 4 + length) });
    });
    sock.on('close', () => reject(new Error(`closed: ${JSON.stringify(data)}`)));
  });
}

test('one address holds at most its cap of connections; others are served', async () => {
  const held = [];
  for (let i = 0; i < 3; i++) {
    const r = await request();
    assert.equal(r.status, 200);
    held.push(r.sock);
  }
  // Refused at once (it need not even send its request).
  const refused = await request('127.0.0.1', false);
  assert.equal(refused.status, 503);
  const err = JSON.parse(refused.body).error;
  assert.equal(err.code, 'overloaded');
  assert.match(err.message, /your address/);
  assert.ok((await metric(node, 'openassist_http_rejected_total{reason="address_cap"}')) >= 1);

  // Another address is not affected (Linux routes all of 127/8 to loopback).
  const other = await request('127.0.0.2');
  assert.equal(other.status, 200);
  other.sock.destroy();

  // A closed connection frees its slot.
  held.pop().destroy();
  let status;
  for (let i = 0; i < 50 && status !== 200; i++) {
    const r = await request().catch(() => ({ status: 0 }));
    status = r.status;
    r.sock?.destroy();
    if (status !== 200) await sleep(100);
  }
  assert.equal(status, 200, 'a slot is free again');
  for (const s of held) s.destroy();
});

test('accept failures (no descriptors left) back off instead of spinning', async () => {
  // A node of its own. The sanitizers' runtime needs a pipe for its memory
  // checks; without descriptors they report false errors, which must not
  // stop this node.
  const saved = process.env.UBSAN_OPTIONS;
  process.env.UBSAN_OPTIONS = `${saved ?? ''}:halt_on_error=0`;
  const node = await startNode({ args: [] });
  process.env.UBSAN_OPTIONS = saved;
  if (saved === undefined) delete process.env.UBSAN_OPTIONS;
  const pid = node.proc.pid;
  const open = readdirSync(`/proc/${pid}/fd`).length;
  // The soft limit only: raising it back needs no privilege.
  const soft = Number(/Max open files\s+(\d+)/.exec(readFileSync(`/proc/${pid}/limits`, 'utf8'))[1]);
  const limit = (n) => {
    const r = spawnSync('prlimit', ['--pid', String(pid), `--nofile=${n}:`], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  };
  limit(open + 2);
  const clients = [];
  try {
    for (let i = 0; i < 10; i++) {
      const s = net.connect({ port: node.publicPort, host: '127.0.0.1', localAddress: `127.0.1.${i + 1}` });
      s.on('error', () => {});
      clients.push(s);
    }
    const failures = () => (node.output().match(/accept failed/g) ?? []).length;
    for (let i = 0; i < 100 && failures() === 0; i++) await sleep(50);
    assert.ok(failures() > 0, 'the node ran out of descriptors');
    const first = failures();
    await sleep(1500);
    // Spinning fails thousands of times in 1.5 s; backing off (100 ms
    // doubling up to 1 s) a handful.
    const during = failures() - first;
    assert.ok(during < 20, `${during} accept failures in 1.5 s`);
  } finally {
    limit(soft);
    for (const s of clients) s.destroy();
  }
  // Once descriptors are free, the node accepts again.
  let status;
  for (let i = 0; i < 50 && status !== 200; i++) {
    status = (await get(`${node.publicUrl}/api/v1/status`).catch(() => ({ status: 0 }))).status;
    if (status !== 200) await sleep(100);
  }
  assert.equal(status, 200);
  assert.equal((await node.stop()).code, 0);
});
