// Dashboard benchmark (docs/BENCHMARKS.md, issue 13): a manager's "waiting"
// monitor open on `--dashboards` WebSockets (50) while customers post
// requests to the demo portal at `--rate` (1,000/s, open loop) for
// `--seconds`. For each request: from its POST's answer (the request is
// stored) to its row having arrived on every one of the dashboards; the
// docs/dashboards.md promise is within one second. Also the node's CPU and
// RssAnon. Exits non-zero only when the set-up fails.
//
//   node bench/dashboard_load.mjs [--bin build/release/node/openassist]
//     [--dashboards 50] [--rate 1000] [--seconds 15]
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { arg, bin, json, percentile, rssAnonKiB, sleep, socket, startNode } from './lib.mjs';

const dashboards = Number(arg('dashboards', '50'));
const rate = Number(arg('rate', '1000'));
const seconds = Number(arg('seconds', '15'));

/** CPU seconds the process used so far (user + system). */
function cpuSeconds(pid) {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}

const node = await startNode(['--intake.max-open-requests=1000000']);
const boss = await json(node.port, 'POST', '/api/v1/auth/login', {
  kind: 'manager', email: 'manager@demo.openassist.example', password: 'demo-manager-1',
});
const made = await json(node.port, 'POST', '/api/v1/monitors', { name: 'Queue', kind: 'waiting' }, boss.cookie,
  boss.body.csrf_token);
if (made.status !== 201) throw new Error(`monitor not created: ${made.status} ${JSON.stringify(made.body)}`);
const monitorId = made.body.id;

// Every dashboard: when each customer's row arrived (customer name -> ms).
const views = [];
for (let i = 0; i < dashboards; i++) {
  const ws = await socket(node.port, boss.cookie);
  const seen = new Map();
  ws.handlers.push((m) => {
    if (m.type !== 'dashboard.update' || m.monitor_id !== monitorId) return;
    const now = performance.now();
    for (const row of m.rows) if (!seen.has(row.customer_name)) seen.set(row.customer_name, now);
  });
  // One watch at a time per connection (docs/dashboards.md).
  ws.send(JSON.stringify({ type: 'dashboard.watch', monitor_id: monitorId, id: 1 }));
  const state = await ws.until((m) => m.type === 'dashboard.state' || m.type === 'error');
  if (state.type !== 'dashboard.state') throw new Error(`watch refused: ${JSON.stringify(state)}`);
  views.push({ ws, seen });
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
const answeredAt = new Map(); // customer name -> ms of the 201
let errors = 0;
const post = (name) => {
  const body = JSON.stringify({ fields: { name, email: `${name}@example.com`, problem: 'bench' } });
  const req = http.request(
    {
      host: '127.0.0.1', port: node.port, method: 'POST', agent,
      path: '/api/v1/public/portals/demo/help/requests',
      headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
    },
    (res) => {
      res.resume();
      res.on('end', () => {
        if (res.statusCode === 201) answeredAt.set(name, performance.now());
        else errors++;
      });
    },
  );
  req.on('error', () => errors++);
  req.end(body);
};

const rss0 = rssAnonKiB(node.pid);
const cpu0 = cpuSeconds(node.pid);
const total = Math.round(rate * seconds);
const started = performance.now();
let i = 0;
while (i < total) {
  const due = Math.floor(((performance.now() - started) / 1000) * rate);
  while (i < Math.min(due, total)) post(`c${i++}`);
  await sleep(1);
}
const sendSecs = (performance.now() - started) / 1000;
const cpu = (cpuSeconds(node.pid) - cpu0) / sendSecs;
const everywhere = () => [...answeredAt.keys()].every((n) => views.every((v) => v.seen.has(n)));
const deadline = performance.now() + 10_000;
while (performance.now() < deadline && (answeredAt.size + errors < total || !everywhere())) await sleep(50);
const rss1 = rssAnonKiB(node.pid);

const lat = [];
let missing = 0;
for (const [name, t0] of answeredAt) {
  if (Number(name.slice(1)) < rate) continue; // the first second warms up
  let last = 0;
  for (const v of views) {
    const t = v.seen.get(name);
    if (t === undefined) {
      last = Infinity;
      break;
    }
    last = Math.max(last, t);
  }
  if (last === Infinity) missing++;
  else lat.push(last - t0);
}
lat.sort((a, b) => a - b);
const within = lat.filter((x) => x <= 1000).length;

for (const v of views) v.ws.close();
agent.destroy();
await node.stop();

const fmt = (ms) => `${ms.toFixed(1)} ms`;
console.log(`a waiting monitor on ${dashboards} dashboards, intake at ${rate}/s for ${seconds} s, binary ${bin}`);
console.log('| sent req/s | answered 201 | errors | rows on every dashboard | not everywhere | p50 | p99 | max | within 1 s | node CPU (cores) | RssAnon before / after |');
console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
console.log(`| ${Math.round(total / sendSecs)} | ${answeredAt.size} | ${errors} | ${lat.length} | ${missing} | ${fmt(percentile(lat, 50))} | ${fmt(percentile(lat, 99))} | ${fmt(lat[lat.length - 1] ?? NaN)} | ${((100 * within) / Math.max(lat.length, 1)).toFixed(2)} % | ${cpu.toFixed(2)} | ${(rss0 / 1024).toFixed(1)} / ${(rss1 / 1024).toFixed(1)} MiB |`);
