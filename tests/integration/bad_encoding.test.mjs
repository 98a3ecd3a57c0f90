// Invalid UTF-8 from outside (issue 9, 1b): raw bytes in the path, the query,
// headers, JSON bodies and file names are answered 400 in the error format,
// before any login check, and the node lives on. The requests are written on
// a raw socket so that %FF and bare 0xFF bytes reach the node as sent.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { get, metric, rawExchange, startNode } from '../harness/node.mjs';
import { customerFields, login, openConsole, openCustomer } from '../harness/intake.mjs';

let node;
const sockets = [];
before(async () => {
  node = await startNode({ args: ['--node.demo', '--intake.per-address-per-min=0'] });
});
after(async () => {
  for (const c of sockets) c.ws?.terminate();
  assert.equal((await node.stop()).code, 0, 'node exits cleanly after all of it');
});

// One request on its own connection; `head` and `body` are latin1 strings
// or Buffers, so every byte goes out as written.
async function raw(method, target, { headers = {}, body = Buffer.alloc(0) } = {}) {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body, 'latin1');
  let head = `${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\n`;
  if (!('Connection' in headers)) head += 'Connection: close\r\n';
  for (const [k, v] of Object.entries(headers)) head += `${k}: ${v}\r\n`;
  if (bytes.length || method === 'POST' || method === 'PUT') head += `Content-Length: ${bytes.length}\r\n`;
  const res = await rawExchange(node.publicPort, [Buffer.concat([Buffer.from(head + '\r\n', 'latin1'), bytes])], {
    timeoutMs: 15_000,
  });
  const m = res.data.match(/^HTTP\/1\.1 (\d{3})/);
  const split = res.data.indexOf('\r\n\r\n');
  // rawExchange reads bytes as latin1; the body is UTF-8.
  const text = split < 0 ? '' : Buffer.from(res.data.slice(split + 4), 'latin1').toString('utf8');
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: m ? Number(m[1]) : undefined, head: res.data.slice(0, split), text, json, raw: res.data };
}

async function alive() {
  const health = await get(`${node.adminUrl}/healthz`);
  assert.equal(health.status, 200, 'the node is alive');
  const status = await get(`${node.publicUrl}/api/v1/status`);
  assert.equal(status.status, 200, 'and serves others');
}

function badEncoding(res, what) {
  assert.equal(res.status, 400, `${what}: ${res.raw.slice(0, 200)}`);
  assert.match(res.head, /content-type: application\/json/i, what);
  assert.equal(res.json?.error?.code, 'bad_encoding', `${what}: ${res.text}`);
  assert.equal(typeof res.json.error.message, 'string');
}

test('invalid UTF-8 in query values and path segments is 400 without login', async () => {
  const before400 = (await metric(node, 'openassist_http_requests_total{route="bad_encoding",status="400"}')) ?? 0;
  const probes = [
    ['GET', '/api/v1/teams?limit=%FF'],
    ['GET', '/api/v1/technicians/1/features?portal_id=%FF'],
    ['GET', '/api/v1/audit?before=%C3'],
    ['DELETE', '/api/v1/teams/%FF'],
    ['PUT', '/api/v1/teams/%ED%A0%80'], // a surrogate
    ['GET', '/api/v1/requests?limit=%C0%AF'], // overlong
    ['GET', '/api/v1/teams?%FF=1'], // in a parameter name
    ['GET', '/api/v1/teams?limit=\xFF'], // a bare byte, not escaped
    ['GET', '/api/v1/public/portals/demo/%FF'],
    ['GET', '/p/demo/%FF'],
    ['GET', '/%FF.html'],
  ];
  for (const [method, target] of probes) {
    badEncoding(await raw(method, target), `${method} ${target}`);
    await alive();
  }
  // Logged in, the answer is the same: the check comes before routing.
  const manager = await login(node, 'manager', 'manager@demo.openassist.example', 'demo-manager-1');
  const res = await raw('GET', '/api/v1/teams?limit=%FF', { headers: { Cookie: manager.cookie } });
  badEncoding(res, 'logged in');
  const after400 = await metric(node, 'openassist_http_requests_total{route="bad_encoding",status="400"}');
  assert.equal(after400 - before400, probes.length + 1, 'counted under their own route label');
  // Valid UTF-8 in the same places is not refused.
  const ok = await raw('GET', '/api/v1/teams?limit=%E2%82%AC');
  assert.equal(ok.status, 401, ok.raw.slice(0, 200));
  assert.equal(ok.json.error.code, 'unauthenticated');
  await alive();
});

test('invalid UTF-8 in headers and JSON bodies is 400', async () => {
  badEncoding(await raw('GET', '/api/v1/teams', { headers: { Authorization: 'Bearer \xFF\xFE' } }), 'bearer token');
  badEncoding(await raw('GET', '/api/v1/auth/me', { headers: { Cookie: 'oa_session=\xC3' } }), 'cookie');
  badEncoding(
    await raw('POST', '/api/v1/public/portals/demo/help/requests', {
      headers: { 'Content-Type': 'application/json', 'User-Agent': 'Agent \xFF' },
      body: JSON.stringify({ fields: customerFields('Header') }),
    }),
    'user agent',
  );
  // A JSON string with an invalid byte is not JSON: the parser refuses it.
  const body = Buffer.concat([Buffer.from('{"fields":{"name":"'), Buffer.from([0xff]), Buffer.from('"}}')]);
  const intake = await raw('POST', '/api/v1/public/portals/demo/help/requests', {
    headers: { 'Content-Type': 'application/json' },
    body,
  });
  assert.equal(intake.status, 400, intake.raw.slice(0, 200));
  assert.equal(intake.json.error.code, 'bad_json');
  const escaped = await raw('POST', '/api/v1/auth/login', {
    headers: { 'Content-Type': 'application/json' },
    body: '{"kind":"manager","email":"\\ud800@x","password":"12345678"}', // a lone surrogate
  });
  assert.equal(escaped.status, 400, escaped.raw.slice(0, 200));
  assert.equal(escaped.json.error.code, 'bad_json');
  await alive();
});

test('a WebSocket upgrade with invalid UTF-8 is 400 before any handler reads it', async () => {
  const upgrade = {
    Upgrade: 'websocket',
    Connection: 'Upgrade',
    'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
    'Sec-WebSocket-Version': '13',
  };
  badEncoding(await raw('GET', '/ws/v1?account=%FF', { headers: upgrade }), 'upgrade query');
  badEncoding(await raw('GET', '/ws/v1', { headers: { ...upgrade, Cookie: 'oa_session=\xFF' } }), 'upgrade cookie');
  badEncoding(await raw('GET', '/ws/v1', { headers: { ...upgrade, Origin: 'http://\xC3' } }), 'upgrade origin');
  await alive();
});

test('a customer upload named with invalid UTF-8 is 400 and the session goes on', async () => {
  const anna = await openConsole(node, 'anna@demo.openassist.example');
  sockets.push(anna);
  const cust = await openCustomer(node, 'demo', 'help', { fields: customerFields('Encoder') });
  sockets.push(cust);
  const id = cust.request.request_id;
  await anna.waitFor((m) => m.type === 'alert' && m.alert.request_id === id);
  assert.equal((await anna.command('request.accept', { request_id: id })).type, 'ack');
  assert.equal((await anna.command('request.join', { request_id: id })).type, 'ack');
  await cust.waitFor((m) => m.request?.status === 'active');
  assert.equal((await cust.command('chat.resume', { after_seq: 0 })).type, 'chat.synced');

  const files = `/api/v1/public/portals/demo/help/requests/${id}/files`;
  const upload = (name) =>
    raw('POST', `${files}?name=${name}`, {
      headers: { 'Content-Type': 'application/octet-stream', 'X-Customer-Token': cust.request.token },
      body: 'plain text\n',
    });
  for (const name of ['%FF.txt', 'a%C3.txt', '%ED%B0%80.txt', 'x\xFF.txt']) {
    badEncoding(await upload(name), `upload ${name}`);
    await alive();
  }
  // The session still takes a file with a proper (non-ASCII) name.
  const good = await upload('caf%C3%A9.txt');
  assert.equal(good.status, 200, good.raw.slice(0, 300));
  assert.equal(good.json.file.name, 'café.txt');
  await cust.waitFor((m) => m.type === 'chat.line' && m.line.file?.id === good.json.file.id);
  await alive();
});

test('no handler exception was counted', async () => {
  for (const where of ['http', 'bridge']) {
    const n = (await metric(node, `openassist_handler_exceptions_total{where="${where}"}`)) ?? 0;
    assert.equal(n, 0, `${where} exceptions`);
  }
});
