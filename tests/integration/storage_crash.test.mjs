// Crash test: a writer process prints each durable acknowledgement; we kill
// it with SIGKILL mid-stream, reopen the data directory and find every
// acknowledged record there, whole. Repeated at several kill points, on the
// same directory, so later runs also reopen after earlier crashes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../harness/node.mjs';

const writer = process.env.OA_CRASH_WRITER;

function writeUntil(dir, killAfterAcks) {
  return new Promise((resolveRun, reject) => {
    const proc = spawn(writer, ['write', dir, '1000000'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acks = [];
    let buffered = '';
    let stderr = '';
    proc.stderr.on('data', (d) => (stderr += d));
    proc.stdout.on('data', (d) => {
      buffered += d;
      const lines = buffered.split('\n');
      buffered = lines.pop();
      for (const line of lines) {
        if (line.startsWith('ack ')) acks.push(line);
        if (acks.length === killAfterAcks) proc.kill('SIGKILL');
      }
    });
    proc.on('error', reject);
    proc.on('exit', (code, signal) => resolveRun({ acks, code, signal, stderr }));
  });
}

function verify(dir, acks) {
  return new Promise((resolveRun) => {
    const proc = spawn(writer, ['verify', dir], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    proc.stdout.on('data', (d) => (out += d));
    proc.stderr.on('data', (d) => (out += d));
    proc.on('exit', (code) => resolveRun({ code, out }));
    proc.stdin.end(acks.join('\n') + '\n');
  });
}

test('every acknowledged record survives SIGKILL', { timeout: 240_000 }, async () => {
  assert.ok(writer, 'OA_CRASH_WRITER names the writer binary');
  const work = tempDir('oa-crash-');
  const dir = join(work, 'data');
  try {
    for (const killAt of [1, 150, 1200, 4000]) {
      const run = await writeUntil(dir, killAt);
      assert.equal(run.signal, 'SIGKILL', `writer was killed (${run.stderr})`);
      assert.ok(run.acks.length >= killAt);
      const result = await verify(dir, run.acks);
      assert.equal(result.code, 0, result.out);
      assert.match(result.out, new RegExp(`^verified ${run.acks.length} lost 0`), result.out);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
