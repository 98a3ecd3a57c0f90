// Chat benchmark (docs/BENCHMARKS.md): a separate load process over
// loopback. K customers, each in a session that technician anna has joined,
// send chat lines at a fixed total rate (open loop); every line is stored
// durably before it is pushed. Latency: from a customer sending a line to
// the technician's console receiving it. Each rate runs on a fresh node.
//
//   node bench/chat_load.mjs [--bin build/release/node/openassist]
//                            [--sessions 20] [--seconds 10] [--rates 5000,10000,20000]

import { arg, bin, chatSessions, percentile, sleep, startNode } from './lib.mjs';
const sessions = Number(arg('sessions', '20'));
const seconds = Number(arg('seconds', '10'));
const rates = arg('rates', '5000,10000,20000,30000').split(',').map(Number);


// p50 and p99 of a Prometheus histogram (upper bucket bounds), in ms.
async function serverQuantiles(admin, name) {
  const text = await (await fetch(`http://127.0.0.1:${admin}/metrics`)).text();
  const buckets = [];
  for (const line of text.split('\n')) {
    const m = line.match(new RegExp(`^${name}_bucket\\{le="([^"]+)"\\} (\\S+)`));
    if (m) buckets.push([m[1] === '+Inf' ? Infinity : Number(m[1]), Number(m[2])]);
  }
  const total = buckets.length ? buckets[buckets.length - 1][1] : 0;
  const q = (p) => (buckets.find(([, c]) => c >= p * total)?.[0] ?? NaN) * 1000;
  return { p50: q(0.5), p99: q(0.99) };
}


async function run(rate) {
  const node = await startNode(['--gateway.ws-messages-per-s=1000000']);
  const { con, customers } = await chatSessions(node, sessions);
  const sent = new Map();
  const lat = [];
  let received = 0;
  let acks = 0;
  let errors = 0;
  con.handlers.push((m) => {
    if (m.type === 'chat.line' && m.line.from === 'customer') {
      received++;
      const t0 = sent.get(m.line.text);
      if (t0 !== undefined) lat.push(performance.now() - t0);
    }
  });
  for (const ws of customers)
    ws.handlers.push((m) => {
      if (m.type === 'chat.ack') acks++;
      else if (m.type === 'error') errors++;
    });
  const total = Math.round(rate * seconds);
  const warm = rate; // the first second warms up
  const started = performance.now();
  let i = 0;
  while (i < total) {
    const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate));
    while (i < due) {
      const text = `L${i}`;
      if (i >= warm) sent.set(text, performance.now());
      customers[i % sessions].send(JSON.stringify({ type: 'chat.send', text, client_id: text }));
      i++;
    }
    await sleep(1);
  }
  const sendSecs = (performance.now() - started) / 1000;
  const deadline = performance.now() + 15_000;
  while (received < total && performance.now() < deadline) await sleep(20);
  const relaySecs = (performance.now() - started) / 1000;
  lat.sort((a, b) => a - b);
  const server = await serverQuantiles(node.admin, 'openassist_chat_line_seconds');
  for (const ws of customers) ws.close();
  con.close();
  await node.stop();
  return { server, rate, achieved: Math.round(total / sendSecs), relayed: Math.round(received / relaySecs), total, received, acks, errors, p50: percentile(lat, 50), p99: percentile(lat, 99) };
}

console.log(`chat lines customer -> technician, ${sessions} sessions, ${seconds} s per rate, binary ${bin}`);
console.log('| target lines/s | sent lines/s | relayed lines/s | lines | received | acks | errors | p50 | p99 | in the node: p50 ≤ | p99 ≤ |');
console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const rate of rates) {
  const r = await run(rate);
  console.log(`| ${r.rate} | ${r.achieved} | ${r.relayed} | ${r.total} | ${r.received} | ${r.acks} | ${r.errors} | ${r.p50.toFixed(2)} ms | ${r.p99.toFixed(2)} ms | ${r.server.p50} ms | ${r.server.p99} ms |`);
  if (r.received < r.total) break;
}
