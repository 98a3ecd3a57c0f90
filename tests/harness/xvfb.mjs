// An X server of its own for the support app's tests (Xvfb), and the app and
// the X test client (tests/agent/oa_xtool.cpp) run against it.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { sleep } from './node.mjs';

/** Starts Xvfb on a free display (:90 to :189); resolves to {display, stop}. */
export async function startXvfb({ width = 1280, height = 800 } = {}) {
  for (let n = 90 + Math.floor(Math.random() * 50); n < 190; n++) {
    if (existsSync(`/tmp/.X11-unix/X${n}`) || existsSync(`/tmp/.X${n}-lock`)) continue;
    const proc = spawn('Xvfb', [`:${n}`, '-screen', '0', `${width}x${height}x24`, '-nolisten', 'tcp', '-ac'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    proc.stderr.on('data', (d) => (stderr += d));
    let exited = false;
    proc.on('exit', () => (exited = true));
    for (let t = 0; t < 100 && !exited; t++) {
      if (existsSync(`/tmp/.X11-unix/X${n}`)) {
        return {
          display: `:${n}`,
          async stop() {
            if (proc.exitCode === null) {
              proc.kill('SIGTERM');
              await new Promise((r) => proc.once('exit', r));
            }
          },
        };
      }
      await sleep(50);
    }
    if (!exited) proc.kill('SIGKILL');
    if (!/already active|server already running/i.test(stderr)) throw new Error(`Xvfb :${n} did not start: ${stderr}`);
  }
  throw new Error('no free X display');
}

/**
 * Runs `bin` with `args` on `display`; collects its output lines. Resolves to
 * {proc, lines, waitForLine(pred), exited} once started.
 */
export function runOnDisplay(bin, args, display, env = {}) {
  const proc = spawn(bin, args, { env: { ...process.env, DISPLAY: display, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines = [];
  const waiters = [];
  const take = (chunk) => {
    for (const line of chunk.toString().split('\n')) {
      if (!line) continue;
      lines.push(line);
      for (const w of [...waiters]) if (w.pred(line)) (waiters.splice(waiters.indexOf(w), 1), w.resolve(line));
    }
  };
  proc.stdout.on('data', take);
  proc.stderr.on('data', take);
  const exited = new Promise((r) => proc.on('exit', (code, signal) => r({ code, signal })));
  return {
    proc,
    lines,
    exited,
    waitForLine(pred, timeoutMs = 10_000) {
      const seen = lines.find(pred);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const w = { pred, resolve };
        waiters.push(w);
        setTimeout(() => {
          const i = waiters.indexOf(w);
          if (i >= 0) {
            waiters.splice(i, 1);
            reject(new Error(`${bin}: no matching line within ${timeoutMs} ms; got ${JSON.stringify(lines.slice(-8))}`));
          }
        }, timeoutMs);
      });
    },
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGTERM');
        await exited;
      }
    },
  };
}

export const AGENT = process.env.OA_AGENT ?? 'build/test/agent/openassist-agent';
export const XTOOL = process.env.OA_XTOOL ?? 'build/test/tests/agent/oa_xtool';
