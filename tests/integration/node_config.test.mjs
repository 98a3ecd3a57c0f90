// Start-up configuration: bad values stop the node with a message naming the
// key and a non-zero exit; SIGTERM stops it cleanly; data survives restarts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { get, runBinary, startNode, tempDir } from '../harness/node.mjs';

test('unknown options are refused', async () => {
  const { code, output } = await runBinary(['--node.no-such-option=1']);
  assert.equal(code, 2);
  assert.match(output, /no-such-option/);
});

test('bad values name their key', async () => {
  for (const [arg, key] of [
    ['--node.public-port=99999', 'public-port'],
    ['--node.log-level=loud', 'node.log-level'],
    ['--node.log-format=xml', 'node.log-format'],
    ['--gateway.request-timeout-ms=1', 'gateway.request-timeout-ms'],
    ['--storage.map-size-mb=1', 'storage.map-size-mb'],
  ]) {
    const { code, output } = await runBinary([arg, '--node.data-dir=/tmp/oa-never-created']);
    assert.equal(code, 2, arg);
    assert.match(output, new RegExp(key), `${arg}: ${output}`);
  }
});

test('a config file is read and checked', async () => {
  const dir = tempDir();
  try {
    const good = join(dir, 'good.conf');
    writeFileSync(good, '[node]\npublic-port=0\nadmin-port=0\nlog-level="warn"\n');
    const node = await startNode({ args: [`--config-file=${good}`] });
    assert.equal((await get(`${node.publicUrl}/api/v1/status`)).status, 200);
    assert.equal((await node.stop()).code, 0);
    const bad = join(dir, 'bad.conf');
    writeFileSync(bad, '[node]\npublic-port="eighty"\n');
    const { code, output } = await runBinary([`--config-file=${bad}`, `--node.data-dir=${dir}/d`]);
    assert.notEqual(code, 0);
    assert.match(output, /public-port/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a port in use is a clear error', async () => {
  const first = await startNode();
  try {
    const dir = tempDir();
    const { code, output } = await runBinary([
      `--node.data-dir=${dir}/data`,
      `--node.public-port=${first.publicPort}`,
      '--node.admin-port=0',
    ]);
    assert.equal(code, 1);
    assert.match(output, /node\.public-port/);
    assert.match(output, /in use/);
    rmSync(dir, { recursive: true, force: true });
  } finally {
    await first.stop();
  }
});

test('an unusable data directory is a clear error', async () => {
  const dir = tempDir();
  const file = join(dir, 'not-a-dir');
  writeFileSync(file, 'x');
  const { code, output } = await runBinary([`--node.data-dir=${file}/data`, '--node.public-port=0', '--node.admin-port=0']);
  assert.equal(code, 1);
  assert.match(output, /node\.data-dir/);
  rmSync(dir, { recursive: true, force: true });
});

test('the node keeps its identity across restarts and stops on SIGTERM', async () => {
  const dir = tempDir();
  try {
    const a = await startNode({ dataDir: join(dir, 'data') });
    const id = a.nodeId;
    assert.deepEqual(await a.stop(), { code: 0, signal: null });
    const b = await startNode({ dataDir: join(dir, 'data') });
    assert.equal(b.nodeId, id);
    assert.equal((await b.stop()).code, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('JSON logs are one object per line', async () => {
  const node = await startNode({ args: ['--node.log-format=json', '--node.log-level=info'] });
  await node.stop();
  const lines = node
    .output()
    .split('\n')
    .filter((l) => l.startsWith('{'));
  assert.ok(lines.length >= 2, node.output());
  for (const line of lines) {
    const entry = JSON.parse(line);
    assert.ok(entry.time && entry.level && entry.logger && entry.msg, line);
  }
});

test('session cookies are marked Secure behind HTTPS', async () => {
  const node = await startNode({ args: ['--node.demo', '--node.secure-cookies'] });
  try {
    const res = await fetch(`${node.publicUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ kind: 'manager', email: 'manager@demo.openassist.example', password: 'demo-manager-1' }),
    });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('set-cookie'), /; Secure/);
  } finally {
    await node.stop();
  }
});
