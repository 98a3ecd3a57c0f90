// Memory soak (issue 16, docs/BENCHMARKS.md): a steady load on a fresh node
// for a long time, sampling the node's RssAnon (heap and stacks; LMDB's
// mapped file is not in it). After the warm-up the memory must stay in a
// band, grow by no clear slope per unit of work, and come back down when the
// load stops.
//
//   chat:   --sessions customers (20) in sessions technician anna follows
//           send chat lines at --rate lines/s in total (each stored, acknowledged, pushed);
//   intake: customers post requests to the demo portal at --rate requests/s
//           and cancel each --hold ms later, so the open requests stay level.
//
//   node bench/soak.mjs --mode chat|intake [--rate 5000|1000] [--seconds 600]
//        [--warmup 60] [--sample 5] [--settle 60] [--plot docs/bench/x.svg]
//        [--sessions 20] [--json out.json] [--bin build/release/node/openassist]
//        [--node-args '--storage.commit-interval-us=0 ...']
//
// Prints the samples every 30 s and a summary: the band after the warm-up
// (relative to the first sample after it), the least-squares slope in bytes
// per unit, and the memory before the load and `--settle` s after it; the
// allocator's live bytes after the load, less those after the warm-up, per
// unit done since (what each left behind: a backlog at the warm-up's end
// only lowers it, bounded caches fill during the warm-up: each chat session
// remembers the client ids of its last 1,024 lines).
// Exits 1 when --max-slope (bytes per unit) is given and exceeded.
import http from 'node:http';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { arg, bin, chatSessions, json, metrics, rssAnonKiB, sleep, socket, startNode } from './lib.mjs';

const mode = arg('mode', 'chat');
if (mode !== 'chat' && mode !== 'intake') throw new Error('--mode chat|intake');
const rate = Number(arg('rate', mode === 'chat' ? '5000' : '1000'));
const seconds = Number(arg('seconds', '600'));
const warmup = Number(arg('warmup', '60'));
const sampleEvery = Number(arg('sample', '5'));
const settle = Number(arg('settle', '60'));
const hold = Number(arg('hold', '2000'));
const plot = arg('plot', '');
const jsonOut = arg('json', '');
const maxSlope = Number(arg('max-slope', 'NaN'));
const sessions = Number(arg('sessions', '20'));
const unit = mode === 'chat' ? 'line' : 'intake';

// ------------------------------------------------------------------ the loads

// Calls `one(i)` for i = 0, 1, ... at `rate` per second (open loop: on
// schedule, whatever the answers) from start() until stop().
function openLoop(counts, one) {
  let running = true;
  let loop;
  return {
    start() {
      loop = (async () => {
        const started = performance.now();
        while (running) {
          const due = Math.floor(((performance.now() - started) / 1000) * rate);
          while (counts.sent < due) one(counts.sent++);
          await sleep(1);
        }
      })();
    },
    async stop() {
      running = false;
      await loop;
    },
  };
}

// Chat lines at `rate` in total over the sessions; counts acknowledgements.
async function chatLoad(node) {
  const { con, customers } = await chatSessions(node, sessions);
  const counts = { sent: 0, done: 0, errors: 0 };
  for (const ws of customers)
    ws.handlers.push((m) => {
      if (m.type === 'chat.ack') counts.done++;
      else if (m.type === 'error') counts.errors++;
    });
  const pacer = openLoop(counts, (i) => {
    const text = `L${i}`;
    customers[i % customers.length].send(JSON.stringify({ type: 'chat.send', text, client_id: text }));
  });
  return {
    counts,
    start: pacer.start,
    async stop() {
      await pacer.stop();
      const deadline = performance.now() + 15_000;
      while (counts.done + counts.errors < counts.sent && performance.now() < deadline) await sleep(20);
      for (const ws of customers) ws.close();
      con.close();
    },
  };
}

// Requests posted at `rate` and each cancelled `hold` ms later; anna's
// console is open and gets the alerts.
async function intakeLoad(node) {
  const login = await json(node.port, 'POST', '/api/v1/auth/login', {
    kind: 'technician', email: 'anna@demo.openassist.example', password: 'demo-tech-1',
  });
  const con = await socket(node.port, login.cookie);
  con.send(JSON.stringify({ type: 'console.hello' }));
  await con.until((m) => m.type === 'console.state');
  // Customers come from many addresses: 128 sockets from each of four
  // loopback addresses (under the node's 256 connections per address). With
  // 128 in all, any spell of latency over 128 ms (a slow fsync on this shared
  // VM) capped the generator below 1,000/s and turned the open loop closed.
  const perAddress = 128;
  const addresses = ['127.0.0.21', '127.0.0.22', '127.0.0.23', '127.0.0.24'];
  const agents = addresses.map(() => new http.Agent({ keepAlive: true, maxSockets: perAddress }));
  const sockets = perAddress * addresses.length;
  let turn = 0;
  const counts = { sent: 0, done: 0, errors: 0, why: {}, backlog: 0, inFlight: 0 };
  // Requests wait here, not in the agent, when every socket is busy: the
  // agent's queue is an array whose shift() copies it once it is long, which
  // made the generator itself fall behind after any hiccup. `counts.backlog`
  // shows such a queue in the samples (the node is behind, or this process).
  const waiting = [];
  let head = 0;
  let stopped = false;
  const next = () => {
    while (!stopped && counts.inFlight < sockets && head < waiting.length) {
      const send = waiting[head];
      waiting[head++] = undefined;
      counts.inFlight++;
      send();
    }
    if (head > 4096 && head * 2 > waiting.length) {
      waiting.splice(0, head);
      head = 0;
    }
    counts.backlog = waiting.length - head;
  };
  const base = '/api/v1/public/portals/demo/help/requests';
  const failed = (what, status, body) => {
    counts.errors++;
    const key = `${what} ${status} ${body.match(/"code":"([^"]+)"/)?.[1] ?? ''}`;
    counts.why[key] = (counts.why[key] ?? 0) + 1;
  };
  const post = (path, body, then) => {
    waiting.push(() => send(path, body, then));
    next();
  };
  const finished = () => {
    counts.inFlight--;
    next();
  };
  const send = (path, body, then) => {
    const text = JSON.stringify(body);
    const k = turn++ % addresses.length;
    const req = http.request(
      {
        host: '127.0.0.1', port: node.port, method: 'POST', path, agent: agents[k], localAddress: addresses[k],
        headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) },
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          finished();
          then(res.statusCode, Buffer.concat(chunks).toString());
        });
      },
    );
    req.on('error', (e) => {
      finished();
      counts.errors++;
      counts.why[e.code ?? e.message] = (counts.why[e.code ?? e.message] ?? 0) + 1;
    });
    req.end(text);
  };
  const timers = new Set();
  const one = (i) => {
    const name = `c${i}`;
    post(base, { fields: { name, email: `${name}@example.com`, problem: 'soak' } }, (status, body) => {
      if (status !== 201) return failed('post', status, body);
      const { request_id: id, token } = JSON.parse(body);
      const timer = setTimeout(() => {
        timers.delete(timer);
        post(`${base}/${id}/cancel`, { token }, (s, b) => (s === 200 ? counts.done++ : failed('cancel', s, b)));
      }, hold);
      timers.add(timer);
    });
  };
  const pacer = openLoop(counts, one);
  return {
    counts,
    start: pacer.start,
    async stop() {
      await pacer.stop();
      const deadline = performance.now() + hold + 15_000;
      while (counts.done + counts.errors < counts.sent && performance.now() < deadline) await sleep(20);
      // What the node did not get to is reported as a backlog, not sent
      // into a node being stopped (that would read as connection errors).
      stopped = true;
      counts.unsent = waiting.length - head;
      for (const t of timers) clearTimeout(t);
      for (const a of agents) a.destroy();
      con.close();
    },
  };
}

// ------------------------------------------------------------------ figures

// Least-squares slope of y over x.
function slope(points) {
  const n = points.length;
  if (n < 2) return NaN;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.x - mx) * (p.y - my);
    den += (p.x - mx) ** 2;
  }
  return den > 0 ? num / den : NaN;
}

// RssAnon over time as an SVG line, the ±10 % band around the level (the
// median) after the warm-up shaded, the end of the load marked.
function svg(samples, { reference, from, loadEnd, title }) {
  const W = 640;
  const H = 300;
  const L = 56;
  const B = 36;
  const tMax = samples[samples.length - 1].t;
  const mib = samples.map((s) => s.rss / 1024);
  const yMax = Math.max(...mib, reference ? (reference * 1.1) / 1024 : 0) * 1.1;
  const x = (t) => L + (t / tMax) * (W - L - 10);
  const y = (v) => H - B - (v / yMax) * (H - B - 24);
  const path = samples.map((s, i) => `${i ? 'L' : 'M'}${x(s.t).toFixed(1)},${y(s.rss / 1024).toFixed(1)}`).join(' ');
  const ticks = [];
  const yStep = [1, 2, 5, 10, 20, 50, 100, 200].find((st) => yMax / st <= 6) ?? 500;
  for (let v = 0; v <= yMax; v += yStep)
    ticks.push(`<line x1="${L}" x2="${W - 10}" y1="${y(v)}" y2="${y(v)}" stroke="#e5e7eb"/><text x="${L - 6}" y="${y(v) + 4}" text-anchor="end">${v}</text>`);
  const tStep = tMax > 400 ? 120 : tMax > 100 ? 30 : 10;
  for (let t = 0; t <= tMax; t += tStep)
    ticks.push(`<text x="${x(t)}" y="${H - B + 16}" text-anchor="middle">${t}</text>`);
  const band = reference
    ? `<rect x="${x(from)}" width="${x(loadEnd) - x(from)}" y="${y((reference * 1.1) / 1024)}" height="${y((reference * 0.9) / 1024) - y((reference * 1.1) / 1024)}" fill="#dbeafe"/>`
    : '';
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="11" fill="#374151">
<rect width="${W}" height="${H}" fill="#fff"/>
<text x="${L}" y="14" font-size="12">${title}</text>
${band}
${ticks.join('\n')}
<line x1="${x(loadEnd)}" x2="${x(loadEnd)}" y1="20" y2="${H - B}" stroke="#9ca3af" stroke-dasharray="4 3"/>
<text x="${x(loadEnd) - 4}" y="30" text-anchor="end">load stops</text>
<path d="${path}" fill="none" stroke="#1d4ed8" stroke-width="1.5"/>
<text x="${(L + W) / 2}" y="${H - 6}" text-anchor="middle">seconds</text>
<text x="12" y="${(H - B) / 2}" transform="rotate(-90 12 ${(H - B) / 2})" text-anchor="middle">RssAnon MiB</text>
</svg>
`;
}

// ------------------------------------------------------------------ the run

// `--from-json FILE --plot OUT`: draws the plot of an earlier run again.
const fromJson = arg('from-json', '');
if (fromJson) {
  const { summary, samples } = JSON.parse(readFileSync(fromJson, 'utf8'));
  const loadEnd = summary.load_end ?? samples.filter((x) => x.units < summary.done).slice(-1)[0]?.t ?? samples[samples.length - 1].t;
  const from = summary.reference_from ?? warmup + (samples[1]?.t ?? 0);
  writeFileSync(plot, svg(samples, {
    reference: summary.reference_kib, loadEnd, from,
    title: `${summary.mode} soak, ${summary.rate} ${summary.mode === 'chat' ? 'line' : 'intake'}s/s for ${summary.seconds} s: RssAnon (band ±10 % of the value at ${warmup} s)`,
  }));
  process.exit(0);
}

const node = await startNode([
  '--gateway.ws-messages-per-s=1000000',
  '--intake.max-open-requests=1000000',
  ...arg('node-args', '').split(' ').filter(Boolean),
]);
const samples = []; // {t, rss, units, queue}
const t0 = performance.now();
let load;
const take = async () => {
  const m = await metrics(node.admin).catch(() => new Map());
  samples.push({
    t: Math.round((performance.now() - t0) / 100) / 10,
    rss: rssAnonKiB(node.pid),
    units: load ? load.counts.done : 0,
    ws_queued: m.get('openassist_ws_queued_bytes') ?? NaN,
    heap_in_use: m.get('openassist_heap_in_use_bytes') ?? NaN,
    heap_free: m.get('openassist_heap_free_bytes') ?? NaN,
    fences: m.get('openassist_storage_fences') ?? NaN,
    desk_mailbox: m.get('openassist_mailbox_messages{kind="desk"}') ?? NaN,
    writer_queue: m.get('openassist_storage_queue_depth') ?? NaN,
    backlog: load?.counts.backlog ?? 0,
    cpu_s: m.get('process_cpu_seconds_total') ?? NaN,
    commits: m.get('openassist_storage_commits_total') ?? NaN,
  });
  const s = samples[samples.length - 1];
  if (samples.length === 1 || Math.round(s.t) % 30 < sampleEvery)
    console.log(
      `t=${s.t.toFixed(0)} s  RssAnon ${(s.rss / 1024).toFixed(1)} MiB  heap in use ${(s.heap_in_use / 2 ** 20).toFixed(1)} MiB, free ${(s.heap_free / 2 ** 20).toFixed(1)} MiB  ${unit}s ${s.units}  desk mailbox ${s.desk_mailbox}, writer queue ${s.writer_queue}${mode === 'intake' ? `, generator backlog ${s.backlog}` : ''}`,
    );
};

console.log(`soak ${mode}: ${rate} ${unit}s/s for ${seconds} s, warm-up ${warmup} s, binary ${bin}`);
const ready = mode === 'chat' ? await chatLoad(node) : await intakeLoad(node);
await sleep(sampleEvery * 1000); // the set-up's logins hash passwords: their memory goes first
await take();
const before = samples[0].rss;
load = ready;
load.start();
const loadStart = (performance.now() - t0) / 1000;
const loadEndAt = loadStart + seconds;
while ((performance.now() - t0) / 1000 < loadEndAt) {
  await sleep(sampleEvery * 1000 - ((performance.now() - t0) % (sampleEvery * 1000)));
  await take();
}
await load.stop();
const loadEnd = (performance.now() - t0) / 1000;
const settleEnd = loadEnd + settle;
while ((performance.now() - t0) / 1000 < settleEnd) {
  await sleep(sampleEvery * 1000);
  await take();
}
if (process.env.SOAK_METRICS_AFTER) writeFileSync(process.env.SOAK_METRICS_AFTER, JSON.stringify([...(await metrics(node.admin))], null, 0));
await node.stop();

const steady = samples.filter((s) => s.t >= loadStart + warmup && s.t <= loadEnd);
const reference = steady[0]?.rss ?? NaN;
const lo = Math.min(...steady.map((s) => s.rss));
const hi = Math.max(...steady.map((s) => s.rss));
// The level RssAnon held after the warm-up: the median of those samples. The
// first sample alone is a noisy reference (it may catch a burst in flight).
const level = (() => {
  const v = steady.map((s) => s.rss).sort((a, b) => a - b);
  return v.length ? (v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2) : NaN;
})();
const perUnit = slope(steady.map((s) => ({ x: s.units, y: s.rss * 1024 })));
const after = samples[samples.length - 1].rss;
const pct = (v) => `${v >= reference ? '+' : ''}${(((v - reference) / reference) * 100).toFixed(1)} %`;
const mibOf = (k) => `${(k / 1024).toFixed(1)} MiB`;
const { sent, done, errors } = load.counts;
const summary = {
  mode, rate, seconds, sent, done, errors,
  before_kib: before, reference_kib: reference, min_kib: lo, max_kib: hi, after_kib: after,
  band_low_pct: ((lo - reference) / reference) * 100,
  band_high_pct: ((hi - reference) / reference) * 100,
  level_kib: level,
  level_low_pct: ((lo - level) / level) * 100,
  level_high_pct: ((hi - level) / level) * 100,
  bytes_per_unit: perUnit,
  load_end: loadEnd,
  reference_from: loadStart + warmup,
  // The allocator's live bytes after the warm-up and once the node is quiet
  // after the load: what each unit left behind, whatever the pages did.
  heap_before: samples[0].heap_in_use,
  heap_reference: steady[0]?.heap_in_use ?? NaN,
  heap_after: samples[samples.length - 1].heap_in_use,
  heap_bytes_per_unit: (samples[samples.length - 1].heap_in_use - (steady[0]?.heap_in_use ?? NaN)) / Math.max(1, load.counts.done - (steady[0]?.units ?? 0)),
};
console.log(`\n${unit}s sent ${sent}, done ${done}, errors ${errors} (${(done / seconds).toFixed(0)}/s)`);
if (load.counts.unsent) console.log(`behind at the end: ${load.counts.unsent} requests still waiting in the generator (the node did not keep up)`);
if (errors) console.log(`errors: ${JSON.stringify(load.counts.why)}`);
console.log(`RssAnon before the load ${mibOf(before)}; at ${warmup} s ${mibOf(reference)}; after it min ${mibOf(lo)} (${pct(lo)}), max ${mibOf(hi)} (${pct(hi)})`);
console.log(`slope after the warm-up: ${perUnit.toFixed(2)} bytes per ${unit}`);
{
  // The node's cost per unit over the steady part: CPU and fsyncs.
  const a = steady[0];
  const b = steady[steady.length - 1];
  const units = b ? b.units - a.units : 0;
  if (units > 0)
    console.log(`per ${unit} after the warm-up: node CPU ${(((b.cpu_s - a.cpu_s) * 1e6) / units).toFixed(0)} µs, commits ${((b.commits - a.commits) / units).toFixed(3)}`);
}
console.log(`${settle} s after the load: ${mibOf(after)} (${pct(after)} of the reference, ${mibOf(after - before)} above the start)`);
const last = samples[samples.length - 1];
console.log(`heap in use before the load ${(summary.heap_before / 2 ** 20).toFixed(1)} MiB, at ${warmup} s ${(summary.heap_reference / 2 ** 20).toFixed(1)} MiB, after it ${(summary.heap_after / 2 ** 20).toFixed(1)} MiB: ${summary.heap_bytes_per_unit.toFixed(1)} bytes per ${unit} since ${warmup} s`);
console.log(`after the load: heap in use ${(last.heap_in_use / 2 ** 20).toFixed(1)} MiB, free ${(last.heap_free / 2 ** 20).toFixed(1)} MiB; the storage writer remembers ${last.fences} fences`);
const inBand = lo >= reference * 0.9 && hi <= reference * 1.1;
console.log(`within ±10 % of the value at ${warmup} s: ${inBand ? 'yes' : 'no'}`);
const inLevel = lo >= level * 0.9 && hi <= level * 1.1;
const lpct = (v) => `${v >= level ? '+' : ''}${(((v - level) / level) * 100).toFixed(1)} %`;
console.log(`level after the warm-up (median) ${mibOf(level)}: min ${lpct(lo)}, max ${lpct(hi)}; within ±10 % of it: ${inLevel ? 'yes' : 'no'}`);
if (plot) {
  mkdirSync(dirname(plot), { recursive: true });
  writeFileSync(plot, svg(samples, {
    reference: level, loadEnd, from: loadStart + warmup,
    title: `${mode} soak, ${rate} ${unit}s/s for ${seconds} s: RssAnon (band ±10 % of its median after ${warmup} s)`,
  }));
}
if (jsonOut) writeFileSync(jsonOut, JSON.stringify({ summary, samples }, null, 1));
if ((load.counts.unsent ?? 0) > 0.01 * sent) {
  console.log('the node fell behind the load: not a steady-state run');
  process.exit(1);
}
if (errors > 0.01 * sent) {
  console.log(`too many errors: ${errors} of ${sent}`);
  process.exit(1);
}
if (Number.isFinite(maxSlope) && perUnit > maxSlope) {
  console.log(`slope ${perUnit.toFixed(1)} bytes per ${unit} is above --max-slope ${maxSlope}`);
  process.exit(1);
}
