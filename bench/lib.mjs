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
    pid: proc.pid,
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

/** The node's anonymous resident memory (heap and stacks, not mapped files), in KiB. */
export function rssAnonKiB(pid) {
  const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/RssAnon:\s+(\d+) kB/);
  return m ? Number(m[1]) : NaN;
}

/** /metrics of the admin port as a map "name{labels}" -> value. */
export async function metrics(admin) {
  const text = await (await fetch(`http://127.0.0.1:${admin}/metrics`)).text();
  const out = new Map();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const i = line.lastIndexOf(' ');
    out.set(line.slice(0, i), Number(line.slice(i + 1)));
  }
  return out;
}

/** A JSON request to the node: status, parsed body and the session cookie it set. */
export async function json(port, method, path, body, cookie, csrf) {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    method,
    headers: {
      'Content-Type': 'application/json',
      ...(cookie ? { Cookie: cookie } : {}),
      ...(csrf ? { 'X-CSRF-Token': csrf } : {}),
    },
    body: body && JSON.stringify(body),
  });
  return {
    status: res.status,
    body: await res.json().catch(() => null),
    cookie: res.headers.get('set-cookie')?.split(';')[0],
  };
}

/**
 * An open WebSocket to /ws/v1 whose JSON messages go to `ws.handlers`;
 * `ws.until(pred)` waits for the first message matching `pred`. It asks for
 * batches as the web UIs do (docs/websocket.md): a batch's messages are
 * handed on one by one.
 */
export function socket(port, cookie, localAddress) {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws/v1?batch=1`, {
    ...(cookie ? { headers: { Cookie: cookie } } : {}),
    ...(localAddress ? { localAddress } : {}),
  });
  ws.handlers = [];
  ws.on('message', (d, binary) => {
    if (binary) return;
    const parsed = JSON.parse(d.toString());
    for (const m of Array.isArray(parsed) ? parsed : [parsed]) for (const h of [...ws.handlers]) h(m);
  });
  ws.until = (pred, ms = 15_000) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timeout waiting for a message')), ms);
      const h = (m) => {
        if (pred(m)) {
          clearTimeout(timer);
          ws.handlers.splice(ws.handlers.indexOf(h), 1);
          resolve(m);
        }
      };
      ws.handlers.push(h);
    });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/**
 * Technician anna's console and `count` customers in active sessions she has
 * joined and follows (the chat benchmarks' set-up). Returns { con, customers }.
 */
export async function chatSessions(node, count) {
  const { port } = node;
  // Room for all sessions with one technician.
  const boss = await json(port, 'POST', '/api/v1/auth/login', {
    kind: 'manager', email: 'manager@demo.openassist.example', password: 'demo-manager-1',
  });
  const techs = (await json(port, 'GET', '/api/v1/technicians', undefined, boss.cookie)).body.technicians;
  const anna = techs.find((t) => t.email.startsWith('anna'));
  await json(port, 'PUT', `/api/v1/technicians/${anna.id}`, { features: { max_sessions: Math.max(50, count) } },
    boss.cookie, boss.body.csrf_token);
  await sleep(2500); // the desk follows the organisation within 2 s
  const login = await json(port, 'POST', '/api/v1/auth/login', {
    kind: 'technician', email: 'anna@demo.openassist.example', password: 'demo-tech-1',
  });
  const con = await socket(port, login.cookie);
  con.send(JSON.stringify({ type: 'console.hello' }));
  await con.until((m) => m.type === 'console.state');
  const customers = [];
  for (let i = 0; i < count; i++) {
    const { id, ws } = await openChat(port, con, `c${i}`);
    con.send(JSON.stringify({ type: 'chat.resume', request_id: id, after_seq: 0 }));
    await con.until((m) => m.type === 'chat.synced' && m.request_id === id);
    customers.push(ws);
  }
  return { con, customers };
}

/**
 * A customer `name` asks for help on the demo portal and the console `con`
 * accepts and joins: the customer's socket once the session is active.
 * Returns { id, token, ws }.
 */
export async function openChat(port, con, name) {
  const r = await json(port, 'POST', '/api/v1/public/portals/demo/help/requests', {
    fields: { name, email: `${name}@example.com`, problem: 'bench' },
  });
  if (r.status !== 201) throw new Error(`intake: ${r.status}`);
  const id = r.body.request_id;
  con.send(JSON.stringify({ type: 'request.accept', request_id: id }));
  con.send(JSON.stringify({ type: 'request.join', request_id: id }));
  const ws = await socket(port);
  ws.send(JSON.stringify({ type: 'customer.attach', account: 'demo', request_id: id, token: r.body.token }));
  await ws.until((m) => m.type === 'request.state' && m.request.status === 'active');
  return { id, token: r.body.token, ws };
}
