// Abuse benchmark (docs/BENCHMARKS.md, issue 9): normal intakes and chats on
// one Release node, first alone, then while the node is abused, then alone
// again. Normal traffic (open loop, from 127.0.0.1): customer requests to the
// demo portal (latency: POST to the alert on technician anna's console) and
// chat lines from customers in sessions anna follows (latency: chat.send to
// its chat.ack). Plus one correct manager login per second (latency).
//
// Abuse, from a process of its own (bench/abuse_clients.mjs: attackers are
// not inside the process that times normal traffic), each kind from its own
// loopback source addresses (Linux answers the whole of 127.0.0.0/8, so a
// client can bind 127.0.0.x with `localAddress`; the node keeps its default
// per-address cap of 256 connections, so the clients are spread over enough
// addresses to be admitted):
// - never-reading WebSocket clients: each attaches as a customer to one
//   "abuse" session, resumes its chat, then stops reading (socket paused)
//   and only sends a WebSocket ping every 10 s; a customer of that session
//   writes long chat lines at a fixed rate, so the node has something to send
//   to every one of them and their outbound queues fill. Clients the node
//   drops are noticed (reset on the next ping) and reconnect.
// - slowloris: HTTP clients that dribble one header byte a second and
//   reconnect when the node cuts them.
// - a login flood: wrong passwords for unknown user ids (each costs a full
//   argon2id verify, like a known one), new connection each, from many
//   addresses, at a fixed rate with a bound on logins in flight.
//
// Phases, each measured for --seconds: baseline; slow clients; slow clients +
// login flood; login flood alone; after (abuse stopped). Memory: the node's
// RssAnon from /proc/<pid>/status and the admin /metrics every second.
// Exits non-zero only when something breaks (node dies, setup fails), not on
// latency or memory figures.
//
//   node bench/abuse_load.mjs [--bin build/release/node/openassist]
//     [--seconds 20] [--intake-rate 100] [--chat-rate 500] [--sessions 10]
//     [--clients 1000] [--clients-per-address 200] [--slow 200]
//     [--abuse-line-rate 10] [--abuse-line-chars 2000]
//     [--login-rate 200] [--login-addresses 200] [--login-inflight 128]
//     [--node-args '...']
import { arg, bin, json, metrics, openChat, percentile, root, rssAnonKiB, sleep, socket } from './lib.mjs';
import { mkdtempSync, rmSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fork, spawn } from 'node:child_process';
import http from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const seconds = Number(arg('seconds', '20'));
const intakeRate = Number(arg('intake-rate', '100'));
const chatRate = Number(arg('chat-rate', '500'));
const sessions = Number(arg('sessions', '10'));
const clients = Number(arg('clients', '1000'));
const perAddress = Number(arg('clients-per-address', '200'));
const slowCount = Number(arg('slow', '200'));
const abuseLineRate = Number(arg('abuse-line-rate', '10'));
const abuseLineChars = Number(arg('abuse-line-chars', '2000'));
const loginRate = Number(arg('login-rate', '200'));
const loginAddresses = Number(arg('login-addresses', '200'));
const loginInflight = Number(arg('login-inflight', '128'));
const nodeArgs = arg('node-args', '').split(' ').filter(Boolean);

// ---------------------------------------------------------------- the node

async function startNode() {
  const work = mkdtempSync(join(tmpdir(), 'oa-abuse-'));
  const ready = join(work, 'ready.json');
  const proc = spawn(bin, [
    `--node.data-dir=${join(work, 'data')}`, '--node.public-port=0', '--node.admin-port=0',
    `--node.ready-file=${ready}`, '--node.demo', '--node.log-level=warn',
    `--node.web-dir=${join(root, 'web/dist')}`,
    '--intake.per-address-per-min=0', '--intake.max-open-requests=1000000', ...nodeArgs,
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  const log = { lines: 0, tail: [] };
  let partial = '';
  proc.stderr.on('data', (d) => {
    const parts = (partial + d).split('\n');
    partial = parts.pop();
    log.lines += parts.length;
    log.tail.push(...parts);
    if (log.tail.length > 20) log.tail.splice(0, log.tail.length - 20);
  });
  let exit = null;
  proc.on('exit', (code, signal) => (exit = { code, signal }));
  const deadline = Date.now() + 30_000;
  while (!existsSync(ready)) {
    if (exit || Date.now() > deadline) throw new Error(`node did not start: ${JSON.stringify(exit)}\n${log.tail.join('\n')}`);
    await sleep(20);
  }
  const { public_port: port, admin_port: admin } = JSON.parse(readFileSync(ready, 'utf8'));
  return {
    port, admin, pid: proc.pid, log,
    exited: () => exit,
    async stop() {
      if (!exit) {
        proc.kill('SIGTERM');
        await new Promise((r) => proc.on('exit', r));
      }
      rmSync(work, { recursive: true, force: true });
      return exit;
    },
  };
}

/** Counter increases between two scrapes, for series whose key matches. */
function deltas(before, after, re) {
  const out = {};
  for (const [k, v] of after) {
    if (!re.test(k)) continue;
    const d = v - (before.get(k) ?? 0);
    if (d > 0) out[k] = d;
  }
  return out;
}

// ---------------------------------------------------------------- setup

async function setup(node) {
  const { port } = node;
  const boss = await json(port, 'POST', '/api/v1/auth/login', { kind: 'manager', email: 'manager@demo.openassist.example', password: 'demo-manager-1' });
  if (boss.status !== 200) throw new Error(`manager login: ${boss.status}`);
  const techs = (await json(port, 'GET', '/api/v1/technicians', undefined, boss.cookie)).body.technicians;
  const anna = techs.find((t) => t.email.startsWith('anna'));
  await json(port, 'PUT', `/api/v1/technicians/${anna.id}`, { features: { max_sessions: 50 } }, boss.cookie, boss.body.csrf_token);
  await sleep(2500); // the desk follows the organisation within 2 s
  const login = await json(port, 'POST', '/api/v1/auth/login', { kind: 'technician', email: 'anna@demo.openassist.example', password: 'demo-tech-1' });
  const con = await socket(port, login.cookie);
  con.send(JSON.stringify({ type: 'console.hello' }));
  await con.until((m) => m.type === 'console.state');
  // Sessions: `sessions` normal ones and one for the abusive readers.
  const open = (name) => openChat(port, con, name);
  const customers = [];
  for (let i = 0; i < sessions; i++) customers.push((await open(`s${i}`)).ws);
  // The abuse session's customer stays attached but does not follow the chat:
  // the abuse process writes to it and reads it.
  const abuse = await open('abuse-writer');
  return { con, customers, abuse };
}

// ---------------------------------------------------------------- normal traffic

const intakeSent = new Map(); // customer name -> [t0, phase]
const chatSent = new Map(); // client_id -> [t0, phase]

function wire(ctx) {
  ctx.con.handlers.push((m) => {
    if (m.alert) {
      const e = intakeSent.get(m.alert.customer_name);
      if (e) {
        e[1].intakeLat.push(performance.now() - e[0]);
        intakeSent.delete(m.alert.customer_name);
      }
    }
  });
  for (const ws of ctx.customers)
    ws.handlers.push((m) => {
      if (m.type === 'chat.ack') {
        const e = chatSent.get(m.client_id);
        if (e) {
          e[1].ackLat.push(performance.now() - e[0]);
          chatSent.delete(m.client_id);
        }
      } else if (m.type === 'error') {
        ctx.chatErrors++;
      }
    });
}

let serial = 0;
async function normal(ctx, name, secs) {
  const phase = { name, intakeLat: [], ackLat: [], loginLat: [], intakeStatus: {}, intakes: 0, lines: 0 };
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const post = () => {
    const cname = `n${serial++}`;
    const body = JSON.stringify({ fields: { name: cname, email: `${cname}@example.com`, problem: 'bench' } });
    intakeSent.set(cname, [performance.now(), phase]);
    phase.intakes++;
    const req = http.request({
      host: '127.0.0.1', port: ctx.node.port, method: 'POST', agent,
      path: '/api/v1/public/portals/demo/help/requests',
      headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
    }, (res) => {
      res.resume();
      phase.intakeStatus[res.statusCode] = (phase.intakeStatus[res.statusCode] ?? 0) + 1;
    });
    req.on('error', () => (phase.intakeStatus.error = (phase.intakeStatus.error ?? 0) + 1));
    req.end(body);
  };
  const loginsInFlight = new Set();
  const logins = setInterval(() => {
    const t0 = performance.now();
    const p = json(ctx.node.port, 'POST', '/api/v1/auth/login', { kind: 'manager', email: 'manager@demo.openassist.example', password: 'demo-manager-1' }).catch(() => ({ status: 0 }));
    loginsInFlight.add(p);
    p.then((r) => {
      loginsInFlight.delete(p);
      if (r.status === 200) phase.loginLat.push(performance.now() - t0);
      else phase.loginFailed = (phase.loginFailed ?? 0) + 1;
    });
  }, 1000);
  const started = performance.now();
  const intakes = Math.round(intakeRate * secs);
  const lines = Math.round(chatRate * secs);
  let i = 0;
  let j = 0;
  while (i < intakes || j < lines) {
    const t = (performance.now() - started) / 1000;
    const di = Math.min(intakes, Math.floor(t * intakeRate));
    const dj = Math.min(lines, Math.floor(t * chatRate));
    while (i < di) { post(); i++; }
    while (j < dj) {
      const id = `${name}-${j}`;
      chatSent.set(id, [performance.now(), phase]);
      ctx.customers[j % sessions].send(JSON.stringify({ type: 'chat.send', text: `line ${id}`, client_id: id }));
      phase.lines++;
      j++;
    }
    await sleep(1);
  }
  phase.sendSecs = (performance.now() - started) / 1000;
  clearInterval(logins);
  await Promise.all([...loginsInFlight]);
  const deadline = performance.now() + 10_000;
  const refused = () => Object.entries(phase.intakeStatus).reduce((n, [k, v]) => n + (k === '201' ? 0 : v), 0);
  while ((phase.intakeLat.length + refused() < phase.intakes || phase.ackLat.length < phase.lines) && performance.now() < deadline) await sleep(20);
  agent.destroy();
  for (const a of [phase.intakeLat, phase.ackLat, phase.loginLat]) a.sort((x, y) => x - y);
  return phase;
}

// ---------------------------------------------------------------- abuse

// The abusive clients run in a process of their own (bench/abuse_clients.mjs),
// so that their work does not delay this process's event loop, which times
// the normal traffic. Requests to it are answered in order of `seq`.
function abuseProcess() {
  const child = fork(join(root, 'bench/abuse_clients.mjs'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const waiting = new Map();
  let seq = 0;
  child.on('message', (m) => {
    const w = waiting.get(m.seq);
    waiting.delete(m.seq);
    if (m.error) w?.reject(new Error(`abuse process: ${m.error}`));
    else w?.resolve(m.result);
  });
  child.on('exit', (code) => {
    for (const w of waiting.values()) w.reject(new Error(`abuse process exited: ${code}`));
    waiting.clear();
  });
  const call = (cmd, args = {}) => new Promise((resolve, reject) => {
    const s = seq++;
    waiting.set(s, { resolve, reject });
    child.send({ seq: s, cmd, ...args });
  });
  return { call, pid: child.pid, close: () => child.connected && child.disconnect() };
}

// ---------------------------------------------------------------- run

// CPU seconds (user + system, all threads) a process has used so far.
function procCpuSecs(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100; // utime, stime in USER_HZ (100)
  } catch {
    return NaN;
  }
}

const node = await startNode();
let failed = null;
const samples = []; // {t, phase, rss, queued, ws, http}
let currentPhase = 'setup';
let sampling = true;
const sampler = (async () => {
  while (sampling) {
    try {
      const m = await metrics(node.admin);
      samples.push({
        phase: currentPhase,
        rss: rssAnonKiB(node.pid),
        queued: m.get('openassist_ws_queued_bytes') ?? NaN,
        ws: m.get('openassist_websocket_connections') ?? NaN,
        http: m.get('openassist_http_connections') ?? NaN,
      });
    } catch (e) {
      if (node.exited()) { failed = `node exited: ${JSON.stringify(node.exited())}`; break; }
    }
    await sleep(1000);
  }
})();

const results = [];
const abuser = abuseProcess();
let slowRunning = false;
let floodRunning = false;
try {
  const ctx = { node, chatErrors: 0, ...(await setup(node)) };
  wire(ctx);
  await normal(ctx, 'warm-up', 3);
  const measure = async (name, extra = () => ({})) => {
    currentPhase = name;
    console.error(`[${new Date().toISOString()}] phase: ${name}`);
    const before = await metrics(node.admin);
    // How busy both processes were: a load process that is itself short of
    // CPU (its event loop late) inflates every latency it measures.
    const loop = monitorEventLoopDelay({ resolution: 5 });
    loop.enable();
    const cpu0 = process.cpuUsage();
    const node0 = procCpuSecs(node.pid);
    const abuse0 = procCpuSecs(abuser.pid);
    const t0 = performance.now();
    const r = await normal(ctx, name, seconds);
    const wall = (performance.now() - t0) / 1000;
    loop.disable();
    const cpu = process.cpuUsage(cpu0);
    r.load = {
      nodeCpu: (procCpuSecs(node.pid) - node0) / wall,
      abuseCpu: (procCpuSecs(abuser.pid) - abuse0) / wall,
      loadCpu: (cpu.user + cpu.system) / 1e6 / wall,
      loopP50: loop.percentile(50) / 1e6,
      loopP99: loop.percentile(99) / 1e6,
    };
    r.metrics = deltas(before, await metrics(node.admin), /^openassist_(http_rejected_total|http_requests_total\{route="[^"]*login|handler_exceptions_total|screen_frames_dropped)/);
    r.extra = await extra();
    results.push(r);
    if (node.exited()) throw new Error(`node exited: ${JSON.stringify(node.exited())}`);
  };
  await measure('baseline');

  currentPhase = 'connecting';
  await abuser.call('start', {
    port: node.port, abuse: { id: ctx.abuse.id, token: ctx.abuse.token },
    opts: { clients, perAddress, slowCount, abuseLineRate, abuseLineChars, loginRate, loginInflight, loginAddresses },
  });
  slowRunning = true;
  const ramp = performance.now() + 30_000;
  let st = await abuser.call('state');
  while (st.readersAdmitted < clients && performance.now() < ramp) {
    await sleep(200);
    st = await abuser.call('state');
  }
  const rampSecs = (30_000 - (ramp - performance.now())) / 1000;
  await abuser.call('write');
  console.log(`${st.readersAdmitted} never-reading clients admitted in ${rampSecs.toFixed(1)} s (${st.readersRefused} refused attempts: ${JSON.stringify(st.readersWhy)}), ${st.lorisOpen} slowloris connections open`);
  const abuseState = async () => {
    const s = await abuser.call('state');
    return {
      ...(slowRunning ? { readers: s.readers, readersDropped: s.readersDropped, readersRefused: s.readersRefused, lorisOpen: s.lorisOpen, lorisCut: s.lorisCut } : {}),
      ...(s.flood ? { loginsSent: s.flood.loginsSent, loginStatus: s.flood.loginStatus, loginsSkipped: s.flood.loginsSkipped } : {}),
    };
  };
  await measure('slow clients', abuseState);

  await abuser.call('flood');
  floodRunning = true;
  await measure('slow clients + login flood', abuseState);

  await abuser.call('stopSlow');
  slowRunning = false;
  await measure('login flood only', abuseState);
  const floodTotal = await abuser.call('stopFlood');
  floodRunning = false;
  await sleep(2000);
  await measure('after');
  console.log(`login flood: ${floodTotal.loginsSent} sent in ${floodTotal.secs.toFixed(1)} s (${(floodTotal.loginsSent / floodTotal.secs).toFixed(0)}/s answered-or-sent), skipped at the in-flight bound: ${floodTotal.loginsSkipped}, answers ${JSON.stringify(floodTotal.loginStatus)}`);
  console.log(`chat errors from the node during the run: ${ctx.chatErrors}`);
  ctx.con.close();
  for (const ws of ctx.customers) ws.close();
  ctx.abuse.ws.close();
} catch (e) {
  failed = failed ?? String(e?.stack ?? e);
} finally {
  if (slowRunning) await abuser.call('stopSlow').catch(() => {});
  if (floodRunning) await abuser.call('stopFlood').catch(() => {});
  abuser.close();
  sampling = false;
  await sampler;
}

// ---------------------------------------------------------------- report

const ms = (x) => (Number.isFinite(x) ? `${x.toFixed(2)} ms` : '–');
const ratio = (x, b) => (Number.isFinite(x) && b > 0 ? `${(x / b).toFixed(2)}x` : '–');
const base = results.find((r) => r.name === 'baseline');
const q = (r, k, p) => percentile(r[k], p);
console.log(`\nabuse benchmark, binary ${bin}, ${seconds} s per phase; normal: ${intakeRate} intakes/s, ${chatRate} chat lines/s over ${sessions} sessions, 1 manager login/s`);
console.log(`abuse: ${clients} never-reading WebSocket customers (${perAddress} per source address) fed ${abuseLineRate} lines/s of ${abuseLineChars} chars, ${slowCount} slowloris, login flood ${loginRate}/s (≤ ${loginInflight} in flight) from ${loginAddresses} addresses\n`);
console.log('| phase | intakes | intake→alert p50 | p99 | p50 ratio | p99 ratio | lines | send→ack p50 | p99 | p50 ratio | p99 ratio | manager login p50 | max | intake answers |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|');
for (const r of results) {
  console.log(`| ${r.name} | ${r.intakeLat.length}/${r.intakes} | ${ms(q(r, 'intakeLat', 50))} | ${ms(q(r, 'intakeLat', 99))} | ${ratio(q(r, 'intakeLat', 50), q(base, 'intakeLat', 50))} | ${ratio(q(r, 'intakeLat', 99), q(base, 'intakeLat', 99))} | ${r.ackLat.length}/${r.lines} | ${ms(q(r, 'ackLat', 50))} | ${ms(q(r, 'ackLat', 99))} | ${ratio(q(r, 'ackLat', 50), q(base, 'ackLat', 50))} | ${ratio(q(r, 'ackLat', 99), q(base, 'ackLat', 99))} | ${ms(q(r, 'loginLat', 50))} | ${ms(r.loginLat[r.loginLat.length - 1])} | ${JSON.stringify(r.intakeStatus)} |`);
}
console.log('\n| phase | RssAnon start | max | end | ws queued bytes max | WebSocket connections max | HTTP connections max |');
console.log('|---|---:|---:|---:|---:|---:|---:|');
const mib = (k) => `${(k / 1024).toFixed(1)} MiB`;
for (const name of [...new Set(samples.map((s) => s.phase))]) {
  const s = samples.filter((x) => x.phase === name);
  const max = (k) => Math.max(...s.map((x) => x[k]));
  console.log(`| ${name} | ${mib(s[0].rss)} | ${mib(max('rss'))} | ${mib(s[s.length - 1].rss)} | ${(max('queued') / 1048576).toFixed(1)} MiB | ${max('ws')} | ${max('http')} |`);
}
console.log('\n| phase | node CPU (cores) | load process CPU (cores) | abuse process CPU (cores) | load event loop delay p50 | p99 |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const r of results)
  console.log(`| ${r.name} | ${r.load.nodeCpu.toFixed(2)} | ${r.load.loadCpu.toFixed(2)} | ${r.load.abuseCpu.toFixed(2)} | ${ms(r.load.loopP50)} | ${ms(r.load.loopP99)} |`);

console.log('\ncounters that moved, and abuse clients, per phase:');
for (const r of results) console.log(`- ${r.name}: ${JSON.stringify(r.metrics)} ${JSON.stringify(r.extra)}`);
console.log(`\nnode log lines (warn and above): ${node.log.lines}${node.log.tail.length ? `; last: ${node.log.tail.slice(-3).join(' | ')}` : ''}`);
const exit = await node.stop();
if (exit && exit.code !== 0 && exit.signal !== 'SIGTERM') failed = failed ?? `node exited: ${JSON.stringify(exit)}`;
if (failed) {
  console.error(`abuse benchmark failed: ${failed}`);
  process.exit(1);
}
process.exit(0);
