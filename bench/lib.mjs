// What the load processes of bench/ share: their command-line arguments, a
// fresh Release node with the demo account per run, and percentiles.
import { mkdtempSync, rmSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** The `ws` WebSocket client (from web/node_modules). */
export const WebSocket = createRequire(join(root, 'web/package.json'))('ws');
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** `--name value` from the command line, or the fallback. */
export function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}

/** The binary to measure (`--bin`, default the Release build). */
export const bin = arg('bin', join(root, 'build/release/node/openassist'));

/** A fresh node with the demo account in a temp dir; limits for load raised by `args`. */
export async function startNode(args = []) {
  const work = mkdtempSync(join(tmpdir(), 'oa-bench-'));
  const ready = join(work, 'ready.json');
  const proc = spawn(bin, [
    `--node.data-dir=${join(work, 'data')}`, '--node.public-port=0', '--node.admin-port=0',
    `--node.ready-file=${ready}`, '--node.demo', '--node.log-level=warn', '--node.web-dir=web/dist',
    '--intake.per-address-per-min=0', ...args,
  ], { stdio: ['ignore', 'ignore', 'inherit'] });
  while (!existsSync(ready)) await sleep(20);
  const { public_port: port, admin_port: admin } = JSON.parse(readFileSync(ready, 'utf8'));
  return {
    port,
    admin,
    async stop() {
      proc.kill('SIGTERM');
      await new Promise((r) => proc.on('exit', r));
      rmSync(work, { recursive: true, force: true });
    },
  };
}

/** The p-th percentile of an ascending array. */
export function percentile(sorted, p) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN;
}
