// The SRE's side: the admin tool against a running node; online backups.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { get, runBinary, startNode, tempDir } from '../harness/node.mjs';

const tool = process.env.OA_ADMIN_TOOL;
let node;
let work;

function admin(...args) {
  return new Promise((resolveRun) =>
    execFile(tool, ['--admin', node.adminUrl, ...args], (err, stdout, stderr) =>
      resolveRun({ code: err ? err.code : 0, stdout, stderr }),
    ),
  );
}

before(async () => {
  node = await startNode();
  work = tempDir('oa-admin-');
});
after(async () => {
  await node.stop();
  rmSync(work, { recursive: true, force: true });
});

test('health, readiness and filtered metrics', async () => {
  assert.equal((await admin('health')).code, 0);
  const ready = await admin('ready');
  assert.equal(ready.code, 0);
  assert.match(ready.stdout, /ready/);
  const metrics = await admin('metrics', 'openassist_storage_');
  assert.equal(metrics.code, 0);
  assert.ok(metrics.stdout.split('\n').filter(Boolean).every((l) => l.startsWith('openassist_storage_')));
  assert.match(metrics.stdout, /openassist_storage_commits_total/);
});

test('an online backup opens as a data directory of the same node', async () => {
  const dir = join(work, 'backup1');
  const res = await admin('backup', dir);
  assert.equal(res.code, 0, res.stdout + res.stderr);
  assert.ok(existsSync(join(dir, 'data.mdb')));
  const restored = await startNode({ dataDir: dir });
  assert.equal(restored.nodeId, node.nodeId);
  await restored.stop();
});

test('a backup never overwrites a non-empty directory', async () => {
  const dir = join(work, 'occupied');
  mkdirSync(dir);
  writeFileSync(join(dir, 'keep.txt'), 'x');
  const res = await admin('backup', dir);
  assert.equal(res.code, 1);
  assert.match(res.stdout, /not empty/);
});

test('bad backup requests get JSON errors', async () => {
  const post = (body, type = 'application/json') =>
    get(`${node.adminUrl}/backup`, { method: 'POST', headers: { 'Content-Type': type }, body });
  const badJson = await post('{"directory":');
  assert.equal(badJson.status, 400);
  assert.equal(badJson.json.error.code, 'bad_json');
  const relative = await post('{"directory":"relative/path"}');
  assert.equal(relative.status, 400);
  assert.equal(relative.json.error.code, 'bad_field');
  assert.match(relative.json.error.message, /directory/);
  const notJson = await post('directory=/tmp/x', 'application/x-www-form-urlencoded');
  assert.equal(notJson.status, 415);
  const nested = await post('['.repeat(100000));
  assert.equal(nested.status, 400);
});

test('the operator creates a tenant whose manager can log in', async () => {
  const res = await admin('create-account', 'acme', 'Acme Inc', 'boss@acme.example', 'acme-boss-pw-1');
  assert.equal(res.code, 0, res.stdout + res.stderr);
  const again = await admin('create-account', 'acme', 'Acme Inc', 'boss@acme.example', 'acme-boss-pw-1');
  assert.equal(again.code, 1);
  const login = await get(`${node.publicUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ kind: 'manager', email: 'boss@acme.example', password: 'acme-boss-pw-1' }),
  });
  assert.equal(login.status, 200, login.text);
  assert.equal(login.json.user.role, 'company_manager');
  const bad = await admin('create-account', 'Bad Id!', 'X', 'x@x.example', 'long-enough-1');
  assert.equal(bad.code, 1);
  assert.match(bad.stdout, /id:/);
});

test('an unreachable node is exit code 3', async () => {
  const res = await new Promise((r) =>
    execFile(tool, ['--admin', 'http://127.0.0.1:1', 'health'], (err) => r(err ? err.code : 0)),
  );
  assert.equal(res, 3);
});

test('the admin port is not on the public address', async () => {
  const { code } = await runBinary(['--help']);
  assert.equal(code, 0);
  assert.equal((await get(`${node.publicUrl}/metrics`)).status, 404);
});
