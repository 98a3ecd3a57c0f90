// The node's memory budgets for uploads and downloads (docs/CONFIGURATION.md):
// an upload reserves its announced size only after its token or login has
// been checked, so clients with made-up credentials hold nothing; large
// answers being written are bounded too (503 busy beyond).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { get, metric, sleep, startNode } from '../harness/node.mjs';
import { customerFields, openConsole, openCustomer } from '../harness/intake.mjs';

let node;
const sockets = [];
before(async () => {
  node = await startNode({
    args: [
      '--node.demo',
      '--intake.per-address-per-min=0',
      '--gateway.upload-budget-mb=200',
      '--gateway.download-budget-mb=30',
    ],
  });
});
after(async () => {
  for (const c of sockets) c.ws?.terminate();
  await node?.stop();
});

let session; // {anna, cust, id, token}
async function joinedSession() {
  if (session) return session;
  const anna = await openConsole(node, 'anna@demo.openassist.example');
  sockets.push(anna);
  const cust = await openCustomer(node, 'demo', 'help', { fields: customerFields('Budget') });
  sockets.push(cust);
  const id = cust.request.request_id;
  await anna.waitFor((m) => m.type === 'alert' && m.alert.request_id === id);
  assert.equal((await anna.command('request.accept', { request_id: id })).type, 'ack');
  assert.equal((await anna.command('request.join', { request_id: id })).type, 'ack');
  await cust.waitFor((m) => m.request?.status === 'active');
  session = { anna, cust, id, token: cust.request.token };
  return session;
}

function customerUpload(id, token, name, bytes) {
  return get(`${node.publicUrl}/api/v1/public/portals/demo/help/requests/${id}/files?name=${name}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/octet-stream', 'X-Customer-Token': token },
    body: bytes,
  });
}

/**
 * A client that announces a 100 MB upload, sends a few bytes and holds the
 * connection. `answer` resolves with the status the node answers (the node
 * used to answer nothing and wait for the body, holding 100 MB of budget).
 */
function announcer(path, headers) {
  const sock = net.connect(node.publicPort, '127.0.0.1');
  let data = '';
  const answer = new Promise((resolveAnswer) => {
    sock.on('data', (d) => {
      data += d.toString('latin1');
      const m = /^HTTP\/1\.1 (\d{3})/.exec(data);
      if (m && data.includes('\r\n\r\n')) resolveAnswer(Number(m[1]));
    });
    sock.on('close', () => resolveAnswer(null));
  });
  sock.on('error', () => {});
  sock.on('connect', () => {
    const extra = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
    sock.write(
      `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\n${extra}` +
        `Content-Length: ${100 * 1024 * 1024}\r\n\r\n` + 'x'.repeat(1000),
    );
  });
  return { sock, answer };
}

const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.from('1 0 obj << >> endobj\n%%EOF\n')]);

test('clients announcing large uploads with made-up credentials hold no upload budget', async () => {
  const { id, token } = await joinedSession();
  const base = `/api/v1/public/portals/demo/help/requests/${id}/files?name=a.pdf`;
  const fakes = [
    announcer(base, { 'X-Customer-Token': 'f'.repeat(43) }),
    announcer(base.replace(`requests/${id}`, 'requests/999'), { 'X-Customer-Token': 'g'.repeat(43) }),
    announcer(`/api/v1/requests/${id}/files?name=a.pdf`, { Cookie: 'oa_session=made-up' }),
  ];
  // Refused from their headers, before their bodies are read.
  const timeout = (ms) => new Promise((r) => setTimeout(() => r('no answer'), ms));
  const statuses = await Promise.all(fakes.map((f) => Promise.race([f.answer, timeout(15000)])));
  assert.deepEqual(statuses, [404, 404, 401]);
  assert.ok((await metric(node, 'openassist_http_rejected_total{reason="upload_refused"}')) >= 3);
  // Their 300 MB announced (the budget is 200 MB) do not keep a real upload
  // out, even while they are still connected.
  const up = await customerUpload(id, token, 'report.pdf', PDF);
  assert.equal(up.status, 200, up.text);
  assert.equal(up.json.type, 'file.sent');
  for (const f of fakes) f.sock.destroy();
});

test('a refused upload gets its answer even while it goes on sending the body', async () => {
  const { id } = await joinedSession();
  const res = await customerUpload(id, 'h'.repeat(43), 'big.pdf', Buffer.alloc(8 * 1024 * 1024, 0x25));
  assert.equal(res.status, 404);
  assert.equal(res.json.error.code, 'not_found');
});

test('a large download being written holds the download budget; others get 503 busy', async () => {
  const { anna, id, token } = await joinedSession();
  // 20 MB: much more than the sockets' buffers hold for a client that does
  // not read.
  const up = await customerUpload(id, token, 'big.txt', Buffer.alloc(20 * 1024 * 1024, 0x61));
  assert.equal(up.status, 200, up.text);
  const path = `/api/v1/requests/${id}/files/${up.json.file.id}`;
  const download = () => fetch(`${node.publicUrl}${path}`, { headers: { Cookie: anna.session.cookie } });

  // A client that asks and then stops reading. It waits for the first bytes
  // of its answer (the node has reserved its budget by then) before pausing:
  // otherwise a download below could be answered first and the stalled
  // request refused, which is a race in the test, not the product.
  const stalled = net.connect(node.publicPort, '127.0.0.1');
  stalled.on('error', () => {});
  await new Promise((r) => stalled.on('connect', r));
  const answering = new Promise((r) => stalled.once('data', r));
  stalled.write(`GET ${path} HTTP/1.1\r\nHost: x\r\nCookie: ${anna.session.cookie}\r\n\r\n`);
  const head = String(await answering);
  stalled.pause();
  assert.match(head, /^HTTP\/1\.1 200/, 'the stalled request is being answered');

  // Once its 20 MB are being written, another 20 MB (30 MB budget) waits.
  let busy;
  for (let i = 0; i < 100 && !busy; i++) {
    const res = await download();
    if (res.status === 503) busy = await res.json();
    else {
      assert.equal(res.status, 200);
      await res.arrayBuffer();
      await sleep(100);
    }
  }
  assert.ok(busy, 'a second large download was refused while the first is stuck');
  assert.equal(busy.error.code, 'busy');
  assert.ok((await metric(node, 'openassist_http_rejected_total{reason="download_budget"}')) >= 1);
  // Small answers are not affected.
  assert.equal((await get(`${node.publicUrl}/api/v1/status`)).status, 200);

  // When the stuck client goes, its budget is free again.
  stalled.destroy();
  let status;
  for (let i = 0; i < 100 && status !== 200; i++) {
    const res = await download();
    status = res.status;
    const bytes = Buffer.from(await res.arrayBuffer());
    if (status === 200) assert.equal(bytes.length, 20 * 1024 * 1024);
    else await sleep(100);
  }
  assert.equal(status, 200);
});
