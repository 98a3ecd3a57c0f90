// Intake benchmark (docs/BENCHMARKS.md): a separate load process over
// loopback. Customers post requests to the demo SmartBox portal at a fixed
// (open-loop) rate; one technician console is connected; the latency is from
// sending a customer's POST to the technician's alert arriving on the console
// WebSocket. Phase 1: 1,000 requests/s. Phase 2: rising rates, each on a fresh
// node, until p99 passes 10 ms or the node falls behind the rate.
//
//   node bench/intake_load.mjs [--bin build/release/node/openassist]
//                              [--seconds 15] [--rates 1000,2000,3000,...]
import { WebSocket, arg, bin, percentile, sleep, startNode } from './lib.mjs';
import http from 'node:http';

const seconds = Number(arg('seconds', '15'));
const nodeArgs = arg('node-args', '').split(' ').filter(Boolean);
const rates = arg('rates', '1000,1500,2000,2500,3000,4000,5000').split(',').map(Number);


async function openConsole(port) {
  const login = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ kind: 'technician', email: 'anna@demo.openassist.example', password: 'demo-tech-1' }),
  });
  const cookie = login.headers.get('set-cookie').split(';')[0];
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws/v1`, { headers: { Cookie: cookie } });
  const alerts = new Map();  // customer name -> arrival time
  await new Promise((r) => ws.once('open', r));
  const hello = new Promise((r) => {
    ws.on('message', (data) => {
      const text = data.toString();
      if (text.startsWith('{"alert"')) {
        const m = JSON.parse(text);
        alerts.set(m.alert.customer_name, performance.now());
      } else if (text.includes('"console.state"')) {
        r();
      }
    });
  });
  ws.send(JSON.stringify({ type: 'console.hello' }));
  await hello;
  return { ws, alerts };
}


async function run(rate, secs) {
  const node = await startNode(['--intake.max-open-requests=1000000', ...nodeArgs]);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const con = await openConsole(node.port);
  const sent = new Map();
  let errors = 0;
  let answered = 0;
  const total = Math.round(rate * secs);
  const started = performance.now();
  const post = (i) => {
    const name = `c${i}`;
    const body = JSON.stringify({ fields: { name, email: `${name}@example.com`, problem: 'bench' } });
    sent.set(name, performance.now());
    const req = http.request(
      {
        host: '127.0.0.1',
        port: node.port,
        method: 'POST',
        path: '/api/v1/public/portals/demo/help/requests',
        agent,
        headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          answered++;
          if (res.statusCode !== 201) errors++;
        });
      },
    );
    req.on('error', () => errors++);
    req.end(body);
  };
  // Open loop: each request at its scheduled time, whatever the answers.
  let i = 0;
  while (i < total) {
    const due = Math.floor(((performance.now() - started) / 1000) * rate);
    while (i < Math.min(due, total)) post(i++);
    await sleep(1);
  }
  const sendSecs = (performance.now() - started) / 1000;
  const deadline = performance.now() + 10_000;
  while (con.alerts.size < total && performance.now() < deadline) await sleep(20);
  const lat = [];
  // The first second warms up.
  for (const [name, t0] of sent) {
    if (Number(name.slice(1)) < rate) continue;
    const t1 = con.alerts.get(name);
    if (t1 !== undefined) lat.push(t1 - t0);
  }
  lat.sort((a, b) => a - b);
  const missing = total - con.alerts.size;
  con.ws.close();
  agent.destroy();
  await node.stop();
  return {
    rate,
    achieved: Math.round(total / sendSecs),
    requests: total,
    errors,
    missing,
    p50: percentile(lat, 50),
    p99: percentile(lat, 99),
    max: lat[lat.length - 1],
  };
}

const fmt = (ms) => `${ms.toFixed(2)} ms`;
console.log(`intake -> alert latency, ${seconds} s per rate, binary ${bin}`);
console.log('| target req/s | sent req/s | requests | errors | no alert | p50 | p99 | max |');
console.log('|---:|---:|---:|---:|---:|---:|---:|---:|');
let best = 0;
for (const rate of rates) {
  const r = await run(rate, seconds);
  console.log(`| ${r.rate} | ${r.achieved} | ${r.requests} | ${r.errors} | ${r.missing} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${fmt(r.max)} |`);
  const sustained = r.errors === 0 && r.missing === 0 && r.achieved >= 0.95 * r.rate;
  if (sustained && r.p99 < 10) best = rate;
  else if (rate > 1000) break;
}
console.log(`\nhighest sustained rate with p99 < 10 ms: ${best} requests/s`);
