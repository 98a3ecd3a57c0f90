// Starts the real openassist binary on free loopback ports in a fresh data
// directory, for integration and browser tests.
//
//   const node = await startNode();          // node.publicUrl, node.adminUrl
//   ...
//   await node.stop();                       // SIGTERM, waits, returns exit code
//
// OA_BIN names the binary (default build/test/node/openassist), OA_WEB_DIR the
// built web UIs (default web/dist).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const binary = process.env.OA_BIN ?? join(root, 'build/test/node/openassist');
export const webDir = process.env.OA_WEB_DIR ?? join(root, 'web/dist');

export function tempDir(prefix = 'oa-it-') {
  return mkdtempSync(join(tmpdir(), prefix));
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * @param {object} [opts]
 * @param {string[]} [opts.args]   extra command-line options
 * @param {string} [opts.dataDir]  reuse a data directory (restart tests)
 * @param {boolean} [opts.keepData] do not delete the data directory on stop
 */
export async function startNode(opts = {}) {
  const work = tempDir();
  const dataDir = opts.dataDir ?? join(work, 'data');
  const readyFile = join(work, 'ready.json');
  const args = [
    `--node.data-dir=${dataDir}`,
    '--node.public-port=0',
    '--node.admin-port=0',
    `--node.ready-file=${readyFile}`,
    `--node.web-dir=${webDir}`,
    `--node.log-level=${process.env.OA_LOG_LEVEL ?? 'warn'}`,
    ...(opts.args ?? []),
  ];
  const proc = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  proc.stdout.on('data', (d) => (output += d));
  proc.stderr.on('data', (d) => (output += d));
  const exited = new Promise((resolveExit) =>
    proc.on('exit', (code, signal) => resolveExit({ code, signal })),
  );
  let exit = null;
  exited.then((e) => (exit = e));

  const deadline = Date.now() + 30_000;
  while (!existsSync(readyFile)) {
    if (exit) throw new Error(`openassist exited (${JSON.stringify(exit)}) before ready:\n${output}`);
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`openassist not ready within 30 s:\n${output}`);
    }
    await sleep(25);
  }
  const ready = JSON.parse(readFileSync(readyFile, 'utf8'));
  const host = '127.0.0.1';
  const node = {
    proc,
    dataDir,
    publicPort: ready.public_port,
    adminPort: ready.admin_port,
    nodeId: ready.node_id,
    publicUrl: `http://${host}:${ready.public_port}`,
    adminUrl: `http://${host}:${ready.admin_port}`,
    wsUrl: `ws://${host}:${ready.public_port}/ws/v1`,
    output: () => output,
    exited,
    /** SIGTERM and wait; resolves to {code, signal}. */
    async stop() {
      if (!exit) proc.kill('SIGTERM');
      let timer;
      const result = await Promise.race([
        exited,
        new Promise((r) => (timer = setTimeout(() => r(null), 30_000))),
      ]);
      clearTimeout(timer);
      if (!result) {
        // Say where it hangs before killing it.
        const stacks = spawnSync('gdb', ['-p', String(proc.pid), '-batch', '-ex', 'thread apply all bt 30'], {
          encoding: 'utf8',
          timeout: 60_000,
        });
        output += `\n--- threads of the hung process ---\n${stacks.stdout ?? ''}${stacks.error ?? ''}`;
        proc.kill('SIGKILL');
        await exited;
        throw new Error(`openassist did not stop within 30 s:\n${output}`);
      }
      if (!opts.keepData && !opts.dataDir) rmSync(work, { recursive: true, force: true });
      return result;
    },
    /** SIGKILL: no shutdown at all. */
    async kill() {
      if (!exit) proc.kill('SIGKILL');
      return exited;
    },
  };
  return node;
}

/** Runs the binary with arguments and collects its exit code and output. */
export function runBinary(args, timeoutMs = 30_000) {
  return new Promise((resolveRun, reject) => {
    const proc = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    proc.stdout.on('data', (d) => (output += d));
    proc.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`timed out: ${args.join(' ')}\n${output}`));
    }, timeoutMs);
    proc.on('exit', (code) => {
      clearTimeout(timer);
      resolveRun({ code, output });
    });
  });
}

import { createRequire } from 'node:module';
import net from 'node:net';

/** The `ws` WebSocket client (from web/node_modules). */
export const WebSocket = createRequire(join(root, 'web/package.json'))('ws');

/** Fetches a URL and returns {status, headers, text, json}. */
export async function get(url, init = {}) {
  const res = await fetch(url, init);
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** Value of a metric line (exact name with labels) in Prometheus text. */
export async function metric(node, nameWithLabels) {
  const { text } = await get(`${node.adminUrl}/metrics`);
  for (const line of text.split('\n')) {
    if (line.startsWith(nameWithLabels + ' ')) return Number(line.slice(nameWithLabels.length + 1));
  }
  return undefined;
}

/**
 * Sends raw bytes on a fresh TCP connection and collects what comes back
 * until the server closes (or timeoutMs). Resolves {data, closed, ms}.
 */
export function rawExchange(port, chunks, { timeoutMs = 5000, gapMs = 0 } = {}) {
  return new Promise((resolveRaw) => {
    const started = Date.now();
    const sock = net.connect(port, '127.0.0.1');
    let data = '';
    let done = false;
    const finish = (closed) => {
      if (done) return;
      done = true;
      sock.destroy();
      resolveRaw({ data, closed, ms: Date.now() - started });
    };
    sock.on('data', (d) => (data += d.toString('latin1')));
    sock.on('close', () => finish(true));
    sock.on('error', () => finish(true));
    setTimeout(() => finish(false), timeoutMs);
    sock.on('connect', async () => {
      for (const chunk of chunks) {
        if (done) return;
        sock.write(chunk);
        if (gapMs) await sleep(gapMs);
      }
    });
  });
}

/** A masked client WebSocket frame (opcode 1 text, 2 binary). */
export function wsFrame(payload, opcode = 1) {
  const body = Buffer.isBuffer(payload) ? payload : Buffer.from(payload);
  const mask = Buffer.from([1, 2, 3, 4]);
  let header;
  if (body.length < 126) {
    header = Buffer.from([0x80 | opcode, 0x80 | body.length]);
  } else if (body.length < 65536) {
    header = Buffer.alloc(4);
    header[0] = 0x80 | opcode;
    header[1] = 0x80 | 126;
    header.writeUInt16BE(body.length, 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = 0x80 | opcode;
    header[1] = 0x80 | 127;
    header.writeBigUInt64BE(BigInt(body.length), 2);
  }
  const masked = Buffer.from(body);
  for (let i = 0; i < masked.length; i++) masked[i] ^= mask[i % 4];
  return Buffer.concat([header, mask, masked]);
}

export { sleep };
