// Files in sessions against the real binary (docs/sessions.md, "Files"):
// both ways as chat lines, the allowlist checked by name and by content, the
// account's size limit, refusals as system lines, and who may download.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { get, metric, rawExchange, startNode } from '../harness/node.mjs';
import {
  DEMO_MANAGER,
  customerFields,
  login,
  managerCall,
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

const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.from('1 0 obj << >> endobj\n%%EOF\n')]);
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 0x90)]);

async function joinedSession(anna, name) {
  const cust = await openCustomer(node, 'demo', 'help', { fields: customerFields(name) });
  sockets.push(cust);
  const id = cust.request.request_id;
  await anna.waitFor((m) => m.type === 'alert' && m.alert.request_id === id);
  assert.equal((await anna.command('request.accept', { request_id: id })).type, 'ack');
  assert.equal((await anna.command('request.join', { request_id: id })).type, 'ack');
  await cust.waitFor((m) => m.request?.status === 'active');
  assert.equal((await cust.command('chat.resume', { after_seq: 0 })).type, 'chat.synced');
  assert.equal((await anna.command('chat.resume', { request_id: id, after_seq: 0 })).type, 'chat.synced');
  return { cust, id, token: cust.request.token };
}

function customerUpload(id, token, name, bytes) {
  return get(`${node.publicUrl}/api/v1/public/portals/demo/help/requests/${id}/files?name=${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/octet-stream', 'X-Customer-Token': token },
    body: bytes,
  });
}

function techUpload(session, id, name, bytes, csrf = session.csrf) {
  return get(`${node.publicUrl}/api/v1/requests/${id}/files?name=${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/octet-stream', Cookie: session.cookie, 'X-CSRF-Token': csrf },
    body: bytes,
  });
}

async function rawGet(url, headers) {
  const res = await fetch(url, { headers });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

test('files both ways: chat lines with links, downloads by the right people only', async () => {
  const anna = await openConsole(node, 'anna@demo.openassist.example');
  sockets.push(anna);
  const { cust, id, token } = await joinedSession(anna, 'Filer');
  const accepted = await metric(node, 'openassist_uploads_total{result="accepted"}');

  const up = await customerUpload(id, token, 'C:\\Users\\me\\report.pdf', PDF);
  assert.equal(up.status, 200, up.text);
  assert.equal(up.json.type, 'file.sent');
  assert.equal(up.json.file.name, 'report.pdf', 'directories are cut off');
  assert.equal(up.json.file.size, PDF.length);
  const fileId = up.json.file.id;
  assert.match(fileId, /^[0-9a-f]{32}$/);
  const line = await anna.waitFor((m) => m.type === 'chat.line' && m.line.file?.id === fileId);
  assert.equal(line.line.from, 'customer');
  assert.equal(line.line.file.name, 'report.pdf');
  await cust.waitFor((m) => m.type === 'chat.line' && m.line.file?.id === fileId);

  // The technician downloads it with the login; the bytes are the same.
  const dl = await rawGet(`${node.publicUrl}/api/v1/requests/${id}/files/${fileId}`, { Cookie: anna.session.cookie });
  assert.equal(dl.status, 200);
  assert.deepEqual(dl.bytes, PDF);
  assert.match(dl.headers.get('content-disposition'), /^attachment; filename="report.pdf"/);
  assert.equal(dl.headers.get('content-type'), 'application/pdf');
  assert.equal(dl.headers.get('x-content-type-options'), 'nosniff');

  // The technician sends one back; the customer downloads it with the token.
  const txt = Buffer.from('Step 1: unplug.\nStep 2: wait 10 s.\n');
  const back = await techUpload(anna.session, id, 'steps.txt', txt);
  assert.equal(back.status, 200, back.text);
  const backId = back.json.file.id;
  await cust.waitFor((m) => m.type === 'chat.line' && m.line.file?.id === backId && m.line.from === 'technician');
  const custDl = await fetch(`${node.publicUrl}/api/v1/public/portals/demo/help/requests/${id}/files/${backId}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ token }),
  });
  assert.equal(custDl.status, 200);
  assert.deepEqual(Buffer.from(await custDl.arrayBuffer()), txt);
  const wrongToken = await post(`${node.publicUrl}/api/v1/public/portals/demo/help/requests/${id}/files/${backId}`, { token: 'x'.repeat(43) });
  assert.equal(wrongToken.status, 404);

  // Another technician who does not see the request, an unknown file, no login.
  const carla = await login(node, 'technician', 'carla@demo.openassist.example', 'demo-tech-1');
  const other = await rawGet(`${node.publicUrl}/api/v1/requests/${id}/files/${fileId}`, { Cookie: carla.cookie });
  assert.ok([403, 404].includes(other.status), `carla: ${other.status}`);
  const unknown = await rawGet(`${node.publicUrl}/api/v1/requests/${id}/files/${'0'.repeat(32)}`, { Cookie: anna.session.cookie });
  assert.equal(unknown.status, 404);
  const traversal = await rawGet(`${node.publicUrl}/api/v1/requests/${id}/files/..%2F..%2Fetc`, { Cookie: anna.session.cookie });
  assert.equal(traversal.status, 404);
  const anonymous = await rawGet(`${node.publicUrl}/api/v1/requests/${id}/files/${fileId}`, {});
  assert.equal(anonymous.status, 401);
  // The account's managers may.
  const mgr = await login(node, 'manager', ...DEMO_MANAGER);
  const byManager = await rawGet(`${node.publicUrl}/api/v1/requests/${id}/files/${fileId}`, { Cookie: mgr.cookie });
  assert.equal(byManager.status, 200);
  assert.deepEqual(byManager.bytes, PDF);

  // The transcript names the files.
  const transcript = await post(`${node.publicUrl}/api/v1/public/portals/demo/help/requests/${id}/transcript`, { token });
  assert.match(transcript.text, /Filer: \[file: report.pdf, \d+ bytes\]/);
  assert.ok((await metric(node, 'openassist_uploads_total{result="accepted"}')) >= accepted + 2);
});

test('refused files: a renamed program, a type not on the list, over the limit; each says why in the chat', async () => {
  const anna = await openConsole(node, 'anna@demo.openassist.example');
  sockets.push(anna);
  const { cust, id, token } = await joinedSession(anna, 'Sneaky');
  const refusedBefore = await metric(node, 'openassist_uploads_total{result="refused"}');

  const renamed = await customerUpload(id, token, 'invoice.pdf', EXE);
  assert.equal(renamed.status, 415, renamed.text);
  assert.equal(renamed.json.error.code, 'file_refused');
  assert.match(renamed.json.error.message, /not a PDF document \(it looks like a Windows program\)/);
  const sys = await anna.waitFor((m) => m.type === 'chat.line' && m.line.from === 'system' && /invoice\.pdf/.test(m.line.text));
  assert.match(sys.line.text, /The file "invoice.pdf" from Sneaky was refused: the content is not a PDF/);
  await cust.waitFor((m) => m.type === 'chat.line' && m.line.seq === sys.line.seq);

  const exe = await customerUpload(id, token, 'setup.exe', EXE);
  assert.equal(exe.status, 415);
  assert.match(exe.json.error.message, /files of type \.exe are not accepted/);
  const noName = await customerUpload(id, token, '', PDF);
  assert.equal(noName.status, 400);
  const textWithNul = await techUpload(anna.session, id, 'notes.txt', Buffer.from('ab\u0000cd'));
  assert.equal(textWithNul.status, 415);

  // The account's size limit (a company manager's setting, 1..100 MB).
  const mgr = await login(node, 'manager', ...DEMO_MANAGER);
  const bad = await managerCall(node, mgr, 'PUT', '/account', { file_limit_mb: 0 });
  assert.equal(bad.status, 400);
  assert.equal(bad.json.error.field, 'file_limit_mb');
  const set = await managerCall(node, mgr, 'PUT', '/account', { file_limit_mb: 1 });
  assert.equal(set.status, 200, set.text);
  assert.equal(set.json.file_limit_mb, 1);
  const big = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(1024 * 1024 + 10, 0x20)]);
  const tooBig = await eventuallyStatus(() => customerUpload(id, token, 'big.pdf', big), 413);
  assert.equal(tooBig.json.error.code, 'file_too_large');
  assert.match(tooBig.json.error.message, /limit of 1 MB/);
  // Larger than any account may allow: refused on the header, before any of
  // the body is read.
  const huge = await rawExchange(node.publicPort, [
    `POST /api/v1/public/portals/demo/help/requests/${id}/files?name=huge.pdf HTTP/1.1\r\nHost: x\r\n` +
      `X-Customer-Token: ${token}\r\nContent-Length: ${101 * 1024 * 1024}\r\n\r\n%PDF-`,
  ]);
  assert.match(huge.data, /^HTTP\/1\.1 413/);
  assert.match(huge.data, /body_too_large/);
  // An ordinary route keeps the ordinary 1 MiB limit.
  const bigJson = await rawExchange(node.publicPort, [
    `POST /api/v1/public/portals/demo/help/requests HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${2 * 1024 * 1024}\r\n\r\n{`,
  ]);
  assert.match(bigJson.data, /^HTTP\/1\.1 413/);
  await managerCall(node, mgr, 'PUT', '/account', { file_limit_mb: 25 });

  // Not the technician's session, a wrong token, a CSRF-less upload.
  const carla = await login(node, 'technician', 'carla@demo.openassist.example', 'demo-tech-1');
  const notHers = await techUpload(carla, id, 'a.txt', Buffer.from('hi'));
  assert.ok([403, 404].includes(notHers.status));
  const wrong = await customerUpload(id, 'y'.repeat(43), 'a.txt', Buffer.from('hi'));
  assert.equal(wrong.status, 404);
  const csrf = await techUpload(anna.session, id, 'a.txt', Buffer.from('hi'), 'nope');
  assert.equal(csrf.status, 403);
  assert.ok((await metric(node, 'openassist_uploads_total{result="refused"}')) >= refusedBefore + 4);

  // After the session ends, nothing more is taken.
  assert.equal((await anna.command('request.close', { request_id: id, resolution: 'resolved' })).type, 'ack');
  await cust.waitFor((m) => m.request?.status === 'closed');
  const late = await customerUpload(id, token, 'late.txt', Buffer.from('late'));
  assert.equal(late.status, 409);
});

/** The org change reaches the desk within its refresh (2 s): retries until `status`. */
async function eventuallyStatus(fn, status, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await fn();
    if (res.status === status || Date.now() > deadline) return res;
    await new Promise((r) => setTimeout(r, 300));
  }
}
