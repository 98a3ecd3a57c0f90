// The load generator's regression check (issue 15): a short, small load of
// each kind through bench/loadgen against the real binary. It fails on
// errors, cut connections or lost messages, never on timings (these machines
// are noisy); and a connection the node cuts shows as an error, not as a
// lower rate.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const loadgen = process.env.OA_LOADGEN;
const bin = process.env.OA_BIN;

/** Runs oa_loadgen with `args`; its exit code and JSON result. */
function run(args) {
  const dir = mkdtempSync(join(tmpdir(), 'oa-loadgen-test-'));
  const json = join(dir, 'result.json');
  return new Promise((resolve) => {
    execFile(loadgen, ['--bin', bin, '--json', json, '--threads', '2', ...args], { timeout: 120_000 },
      (err, stdout, stderr) => {
        let result = null;
        try {
          result = JSON.parse(readFileSync(json, 'utf8'));
        } catch {}
        rmSync(dir, { recursive: true, force: true });
        resolve({ code: err ? err.code : 0, stdout, stderr, result });
      });
  });
}

function assertClean({ code, stdout, stderr, result }, what) {
  assert.equal(code, 0, `${what}: exit ${code}\n${stdout}\n${stderr}`);
  assert.ok(result.sent > 0, `${what}: nothing sent`);
  assert.equal(result.errors, 0, `${what}: ${result.first_error}`);
  assert.equal(result.cut, 0);
  assert.equal(result.lost, 0);
}

test('intakes at a fixed rate are all answered 201 and alerted once', async () => {
  const r = await run(['--scenario', 'intake', '--rate', '100', '--seconds', '3']);
  assertClean(r, 'intake');
  assert.equal(r.result.sent, 300);
  assert.equal(r.result.answered, 300);
  assert.equal(r.result.received, 300);
  assert.ok(r.result.latency.count > 0 && r.result.latency.p50_ms > 0);
});

test('chat lines at a fixed rate are all acknowledged and reach the console', async () => {
  const r = await run(['--scenario', 'chat', '--rate', '300', '--seconds', '3', '--sessions', '4']);
  assertClean(r, 'chat');
  assert.equal(r.result.sent, 900);
  assert.equal(r.result.answered, 900);
  assert.equal(r.result.received, 900);
});

test('chat flat out keeps every line', async () => {
  const r = await run(['--scenario', 'chat', '--rate', '0', '--seconds', '2', '--sessions', '3', '--window', '2']);
  assertClean(r, 'chat flat out');
  assert.equal(r.result.received, r.result.sent);
  assert.equal(r.result.answered, r.result.sent);
});

test('screen frames reach the technician and an observer', async () => {
  const r = await run(['--scenario', 'frames', '--rate', '20', '--seconds', '3', '--viewers', '2', '--frame-kb', '16']);
  assertClean(r, 'frames');
  assert.equal(r.result.sent, 60);
  // Every frame to both viewers: at 20 small frames a second none is skipped.
  assert.equal(r.result.received, 120);
  assert.equal(r.result.figures['frames skipped for slow viewers'], 0);
});

test('idle customers are held while intakes go on, and their memory is measured', async () => {
  const r = await run(['--scenario', 'idle', '--idle', '100', '--rate', '50', '--seconds', '2', '--addresses', '4']);
  assertClean(r, 'idle');
  assert.equal(r.result.figures['connections held'], 100);
  assert.ok(r.result.figures['KiB per waiting customer (connection and request)'] > 0);
  assert.equal(r.result.received, 100);
});

test('a connection the node cuts is an error and fails the run, not a lower rate', async () => {
  // Customers may send 5 messages a second here: at 100 lines/s from two
  // customers the node closes their sockets (1008).
  const r = await run(['--scenario', 'chat', '--rate', '100', '--seconds', '3', '--sessions', '2',
    '--node-arg', '--gateway.ws-messages-per-s=5']);
  assert.equal(r.code, 1, `${r.stdout}\n${r.stderr}`);
  assert.ok(r.result.cut > 0, JSON.stringify(r.result));
  assert.ok(r.result.errors > 0);
  assert.match(r.result.first_error, /cut/);
});
