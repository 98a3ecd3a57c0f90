// Screen-frame relay benchmark (docs/BENCHMARKS.md): a separate load process
// over loopback. One customer shares its screen (100 KiB frames, sent as fast
// as its socket drains); the technician and N-1 invisible observers (a
// manager's connections) view it. Reports what each viewer receives (MB/s)
// and the frames the node skipped for viewers that fell behind.
//
//   node bench/screen_load.mjs [--bin build/release/node/openassist] [--seconds 10] [--viewers 1,10]

import { WebSocket, arg, bin, percentile, sleep, startNode } from './lib.mjs';
const seconds = Number(arg('seconds', '10'));
const viewerCounts = arg('viewers', '1,10').split(',').map(Number);
const frameBytes = 100 * 1024;


async function login(port, kind, email, password) {
  const res = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ kind, email, password }),
  });
  return res.headers.get('set-cookie').split(';')[0];
}

function socket(port, cookie) {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws/v1`, cookie ? { headers: { Cookie: cookie } } : {});
  ws.bytes = 0;
  ws.handlers = [];
  ws.on('message', (d, binary) => {
    if (binary) {
      ws.bytes += d.length;
      return;
    }
    const m = JSON.parse(d.toString());
    for (const h of [...ws.handlers]) h(m);
  });
  ws.until = (pred) => new Promise((r) => {
    const h = (m) => { if (pred(m)) { ws.handlers.splice(ws.handlers.indexOf(h), 1); r(m); } };
    ws.handlers.push(h);
  });
  return new Promise((r) => ws.once('open', () => r(ws)));
}

async function metric(admin, name) {
  const text = await (await fetch(`http://127.0.0.1:${admin}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line ? Number(line.split(' ')[1]) : 0;
}

async function run(viewers) {
  const node = await startNode(['--gateway.ws-messages-per-s=100000']);
  const { port } = node;
  const anna = await socket(port, await login(port, 'technician', 'anna@demo.openassist.example', 'demo-tech-1'));
  anna.send(JSON.stringify({ type: 'console.hello' }));
  await anna.until((m) => m.type === 'console.state');
  const res = await fetch(`http://127.0.0.1:${port}/api/v1/public/portals/demo/help/requests`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ fields: { name: 'Screen', email: 's@example.com', problem: 'bench' } }),
  });
  const { request_id: id, token } = await res.json();
  anna.send(JSON.stringify({ type: 'request.accept', request_id: id }));
  anna.send(JSON.stringify({ type: 'request.join', request_id: id }));
  const cust = await socket(port);
  cust.send(JSON.stringify({ type: 'customer.attach', account: 'demo', request_id: id, token }));
  await cust.until((m) => m.type === 'request.state' && m.request.status === 'active');
  cust.send(JSON.stringify({ type: 'chat.resume', after_seq: 0 }));
  await cust.until((m) => m.type === 'chat.synced');
  anna.send(JSON.stringify({ type: 'chat.resume', request_id: id, after_seq: 0 }));
  await anna.until((m) => m.type === 'chat.synced');
  const all = [anna];
  const boss = await login(port, 'manager', 'manager@demo.openassist.example', 'demo-manager-1');
  for (let i = 1; i < viewers; i++) {
    const eye = await socket(port, boss);
    eye.send(JSON.stringify({ type: 'monitor.attach', request_id: id, after_seq: 0 }));
    await eye.until((m) => m.type === 'chat.synced');
    all.push(eye);
  }
  anna.send(JSON.stringify({ type: 'screen.request', request_id: id }));
  await cust.until((m) => m.type === 'screen.requested');
  cust.send(JSON.stringify({ type: 'screen.accept' }));
  await anna.until((m) => m.type === 'screen.state' && m.sharing);
  const frame = Buffer.alloc(frameBytes, 1);
  let sent = 0;
  const started = performance.now();
  while (performance.now() - started < seconds * 1000) {
    if (cust.bufferedAmount < 1 << 20) {
      cust.send(frame, { binary: true });
      sent++;
    } else {
      await sleep(1);
    }
    if (sent % 16 === 0) await new Promise((r) => setImmediate(r));
  }
  await sleep(500);
  const secs = (performance.now() - started) / 1000;
  const mb = (b) => b / secs / (1 << 20);
  const perViewer = all.map((v) => mb(v.bytes));
  const dropped = await metric(node.admin, 'openassist_screen_frames_dropped_total');
  for (const v of [...all, cust]) v.terminate();
  await node.stop();
  return {
    viewers,
    sentMBs: (sent * frameBytes) / secs / (1 << 20),
    min: Math.min(...perViewer),
    max: Math.max(...perViewer),
    total: perViewer.reduce((a, b) => a + b, 0),
    dropped,
  };
}

console.log(`screen frames (${frameBytes / 1024} KiB) customer -> viewers, ${seconds} s, binary ${bin}`);
console.log('| viewers | sent MB/s | per viewer MB/s (min–max) | relayed MB/s in all | frames skipped for slow viewers |');
console.log('|---:|---:|---:|---:|---:|');
for (const n of viewerCounts) {
  const r = await run(n);
  console.log(`| ${r.viewers} | ${r.sentMBs.toFixed(1)} | ${r.min.toFixed(1)}–${r.max.toFixed(1)} | ${r.total.toFixed(1)} | ${r.dropped} |`);
}
