// docs/openapi.json describes exactly the routes the server has: every route
// registered in gateways/api_v1.cpp is documented, and every documented
// route exists on the running binary (answers something other than 404/405).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { get, startNode } from '../harness/node.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const doc = JSON.parse(readFileSync(join(root, 'docs/openapi.json'), 'utf8'));

function documented() {
  const out = new Set();
  for (const [path, ops] of Object.entries(doc.paths))
    for (const method of Object.keys(ops)) out.add(`${method.toUpperCase()} ${path}`);
  return out;
}

function registered() {
  const out = new Set();
  const param = (p) => p.replace(/:([a-z_]+)/g, '{$1}');
  for (const file of ['api_v1.cpp', 'routes.cpp', 'public_api.cpp', 'session_files.cpp', 'recording_routes.cpp', 'report_routes.cpp', 'app_routes.cpp']) {
    const src = readFileSync(join(root, 'gateways', file), 'utf8');
    for (const m of src.matchAll(/r\.add\(\s*"([A-Z]+)",\s*v1 \+ "([^"]+)"/g)) out.add(`${m[1]} /api/v1${param(m[2])}`);
    for (const m of src.matchAll(/r\.add\(\s*"([A-Z]+)",\s*"(\/api\/[^"]+)"/g)) out.add(`${m[1]} ${param(m[2])}`);
    const base = /const std::string base =\s*"([^"]+)"/.exec(src);
    if (base)
      for (const m of src.matchAll(/r\.add\(\s*"([A-Z]+)",\s*base(?: \+ "([^"]+)")?/g))
        out.add(`${m[1]} ${param(base[1])}${param(m[2] ?? '')}`);
  }
  return out;
}

let node;
before(async () => {
  node = await startNode({ args: ['--node.demo'] });
});
after(async () => {
  await node.stop();
});

test('the document is OpenAPI 3 with schemas for errors', () => {
  assert.match(doc.openapi, /^3\./);
  assert.ok(doc.components.schemas.Error);
  for (const [path, ops] of Object.entries(doc.paths))
    for (const [method, op] of Object.entries(ops)) {
      assert.ok(op.summary, `${method} ${path} has a summary`);
      assert.ok(Object.keys(op.responses).length > 0, `${method} ${path} has responses`);
    }
});

test('every registered route is documented and nothing else', () => {
  const reg = registered();
  const docs = documented();
  assert.ok(reg.size >= 30, `found ${reg.size} routes in the source`);
  for (const r of reg) assert.ok(docs.has(r), `route ${r} is not in docs/openapi.json`);
  for (const d of docs) assert.ok(reg.has(d), `docs/openapi.json names ${d}, which the server lacks`);
});

test('every documented route exists on the running server', async () => {
  for (const entry of documented()) {
    const [method, path] = entry.split(' ');
    const url =
      node.publicUrl + path.replace('{account}', 'demo').replace('{slug}', 'help').replace(/\{[a-z_]+\}/g, '1');
    const res = await get(url, {
      method,
      headers: { 'Content-Type': 'application/json' },
      body: method === 'GET' || method === 'DELETE' ? undefined : '{}',
    });
    assert.notEqual(res.status, 405, entry);
    if (res.status === 404) assert.notEqual(res.json?.error?.message, 'no such API resource', entry);
  }
});
