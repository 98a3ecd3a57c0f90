// The public and admin ports of the real binary over real HTTP.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { get, metric, startNode } from '../harness/node.mjs';

let node;
before(async () => {
  node = await startNode();
});
after(async () => {
  const { code } = await node.stop();
  assert.equal(code, 0, 'graceful shutdown exits 0');
});

test('status API answers with node identity', async () => {
  const res = await get(`${node.publicUrl}/api/v1/status`);
  assert.equal(res.status, 200);
  assert.equal(res.json.name, 'openassist');
  assert.equal(res.json.node_id, node.nodeId);
  assert.equal(res.json.storage.schema_version, 1);
  assert.match(res.headers.get('content-type'), /^application\/json/);
  assert.equal(res.headers.get('cache-control'), 'no-store');
  assert.match(res.headers.get('x-request-id'), /^[0-9a-f]{16}$/);
});

test('every response carries the security headers', async () => {
  for (const path of ['/', '/api/v1/status', '/api/v1/nope', '/nope.js']) {
    const res = await get(`${node.publicUrl}${path}`);
    assert.match(res.headers.get('content-security-policy'), /default-src 'self'/, path);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff', path);
    assert.equal(res.headers.get('x-frame-options'), 'DENY', path);
  }
});

test('web UIs are served with types and caching', async () => {
  const index = await get(`${node.publicUrl}/`);
  assert.equal(index.status, 200);
  assert.match(index.headers.get('content-type'), /^text\/html/);
  assert.equal(index.headers.get('cache-control'), 'no-cache');
  const etag = index.headers.get('etag');
  assert.ok(etag);
  const again = await fetch(`${node.publicUrl}/`, { headers: { 'If-None-Match': etag } });
  assert.equal(again.status, 304);
  const asset = index.text.match(/\/assets\/[^"]+\.js/)[0];
  const js = await get(`${node.publicUrl}${asset}`);
  assert.equal(js.status, 200);
  assert.match(js.headers.get('content-type'), /^text\/javascript/);
  assert.match(js.headers.get('cache-control'), /immutable/);
  const head = await fetch(`${node.publicUrl}${asset}`, { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.equal(Number(head.headers.get('content-length')), Buffer.byteLength(js.text));
});

test('unknown routes and methods get JSON errors', async () => {
  const api = await get(`${node.publicUrl}/api/v1/nope`);
  assert.equal(api.status, 404);
  assert.equal(api.json.error.code, 'not_found');
  const file = await get(`${node.publicUrl}/no/such/file.css`);
  assert.equal(file.status, 404);
  assert.equal(file.json.error.code, 'not_found');
  const post = await get(`${node.publicUrl}/api/v1/status`, { method: 'POST', body: '{}' });
  assert.equal(post.status, 405);
  assert.equal(post.json.error.code, 'method_not_allowed');
  assert.equal(post.headers.get('allow'), 'GET');
  const traversal = await get(`${node.publicUrl}/%2e%2e/%2e%2e/etc/passwd`);
  assert.equal(traversal.status, 404);
});

test('health, readiness and metrics on the admin port', async () => {
  assert.equal((await get(`${node.adminUrl}/healthz`)).status, 200);
  const ready = await get(`${node.adminUrl}/readyz`);
  assert.equal(ready.status, 200);
  assert.equal(ready.json.status, 'ready');
  await get(`${node.publicUrl}/api/v1/status`);
  const { text, headers } = await get(`${node.adminUrl}/metrics`);
  assert.match(headers.get('content-type'), /^text\/plain/);
  for (const name of [
    'openassist_http_requests_total',
    'openassist_http_request_duration_seconds_bucket',
    'openassist_websocket_connections',
    'openassist_storage_commit_seconds_bucket',
    'openassist_storage_commit_batch_size_bucket',
    'process_resident_memory_bytes',
    'process_open_fds',
  ]) {
    assert.ok(text.includes(name), `metrics lack ${name}`);
  }
  const served = await metric(node, 'openassist_http_requests_total{route="/api/v1/status",status="200"}');
  assert.ok(served >= 1, `status requests counted: ${served}`);
  // The admin port does not serve the public API.
  assert.equal((await get(`${node.adminUrl}/api/v1/status`)).status, 404);
});

test('keep-alive serves many requests on one connection', async () => {
  const results = await Promise.all(
    Array.from({ length: 50 }, () => get(`${node.publicUrl}/api/v1/status`)),
  );
  assert.ok(results.every((r) => r.status === 200));
});
