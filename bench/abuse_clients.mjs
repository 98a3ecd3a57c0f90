// The abusive clients of bench/abuse_load.mjs, in a process of their own:
// attackers are not in the process that measures normal traffic (their work
// there, pings, reconnects and the login flood's HTTP, would delay the
// measuring event loop and count as the node's latency). Both processes still
// share the machine's cores with the node, as attackers on the same host would.
//
// Driven over the IPC channel of child_process.fork: each request
// { seq, cmd, ...args } is answered { seq, result } (or { seq, error }).
//   start  { port, abuse: { id, token }, opts }  never-reading readers and slowloris
//   write                                        the abuse session's writer starts
//   flood                                        the login flood starts
//   state                                        counters of all three
//   stopSlow                                     readers, writer and slowloris stop
//   stopFlood                                    the flood stops (waits for answers)
import { sleep, socket } from './lib.mjs';
import http from 'node:http';
import net from 'node:net';

const addr = (base, i) => `127.${base}.${Math.floor(i / 250)}.${(i % 250) + 2}`;

let ctx = null; // { port, abuse, opts }
let slow = null;
let loris = null;
let flood = null;

function slowReaders() {
  const { clients, perAddress } = ctx.opts;
  const st = { wanted: true, open: 0, admitted: 0, refused: 0, dropped: 0, why: {}, sockets: new Set() };
  const attach = async (ws) => {
    ws.send(JSON.stringify({ type: 'customer.attach', account: 'demo', request_id: ctx.abuse.id, token: ctx.abuse.token }));
    const a = await ws.until((m) => m.type === 'request.state' || m.type === 'error');
    if (a.type === 'error') throw new Error(`attach: ${a.error?.code ?? JSON.stringify(a)}`);
    ws.send(JSON.stringify({ type: 'chat.resume', after_seq: 0 }));
    const r = await ws.until((m) => m.type === 'chat.synced' || m.type === 'error');
    if (r.type === 'error') throw new Error(`resume: ${r.error?.code ?? JSON.stringify(r)}`);
  };
  const one = async (i) => {
    while (st.wanted) {
      let ws;
      try {
        ws = await socket(ctx.port, undefined, addr(0, 8 + Math.floor(i / perAddress)));
        st.sockets.add(ws);
        await attach(ws);
      } catch (e) {
        st.refused++;
        const why = String(e?.message ?? e).slice(0, 60);
        st.why[why] = (st.why[why] ?? 0) + 1;
        if (ws) st.sockets.delete(ws);
        ws?.terminate();
        await sleep(1000);
        continue;
      }
      st.admitted++;
      st.open++;
      ws.pause(); // never reads again
      const ping = setInterval(() => { try { ws.ping(); } catch { /* closed */ } }, 10_000);
      await new Promise((r) => { ws.once('close', r); ws.on('error', () => {}); });
      clearInterval(ping);
      st.sockets.delete(ws);
      st.open--;
      if (st.wanted) st.dropped++;
      await sleep(1000);
    }
  };
  st.done = Promise.all(Array.from({ length: clients }, (_, i) => sleep(i * 5).then(() => one(i))));
  // The abuse session's writer (started once the readers are in): a customer
  // of that session writing long lines that every reader is sent.
  const text = 'x'.repeat(ctx.opts.abuseLineChars);
  let n = 0;
  let writer = null;
  let writerWs = null;
  st.write = async () => {
    writerWs = await socket(ctx.port);
    await attach(writerWs);
    writer = setInterval(() => writerWs.send(JSON.stringify({ type: 'chat.send', text, client_id: `a${n++}` })), 1000 / ctx.opts.abuseLineRate);
  };
  st.stop = async () => {
    st.wanted = false;
    clearInterval(writer);
    writerWs?.close();
    for (const ws of st.sockets) ws.terminate();
    await st.done;
  };
  return st;
}

function slowloris() {
  const { slowCount, perAddress } = ctx.opts;
  const st = { wanted: true, open: 0, cut: 0, sockets: new Set() };
  const one = async (i) => {
    while (st.wanted) {
      const s = net.connect({ host: '127.0.0.1', port: ctx.port, localAddress: addr(0, 100 + Math.floor(i / perAddress)) });
      st.sockets.add(s);
      s.on('error', () => {});
      s.on('data', () => {});
      await new Promise((r) => s.once('connect', r).once('close', r));
      st.open++;
      s.write('GET /api/v1/public/portals/demo HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
      const drip = setInterval(() => s.write('a'), 1000);
      await new Promise((r) => s.once('close', r));
      clearInterval(drip);
      st.open--;
      st.sockets.delete(s);
      if (st.wanted) st.cut++;
    }
  };
  st.done = Promise.all(Array.from({ length: slowCount }, (_, i) => sleep(i * 5).then(() => one(i))));
  st.stop = async () => {
    st.wanted = false;
    for (const s of st.sockets) s.destroy();
    await st.done;
  };
  return st;
}

function loginFlood() {
  const { loginRate, loginInflight, loginAddresses } = ctx.opts;
  const st = { sent: 0, status: {}, skipped: 0, inflight: 0 };
  let k = 0;
  const started = performance.now();
  let due = 0;
  const tick = setInterval(() => {
    const target = Math.floor(((performance.now() - started) / 1000) * loginRate);
    while (due < target) {
      due++;
      if (st.inflight >= loginInflight) { st.skipped++; continue; }
      const i = k++;
      const body = JSON.stringify({ kind: 'technician', email: `nobody${i}@flood.example`, password: 'wrong-password' });
      st.inflight++;
      st.sent++;
      const req = http.request({
        host: '127.0.0.1', port: ctx.port, method: 'POST', path: '/api/v1/auth/login', agent: false,
        localAddress: addr(100, i % loginAddresses),
        headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), Connection: 'close' },
      }, (res) => {
        res.resume();
        res.on('end', () => {
          st.inflight--;
          st.status[res.statusCode] = (st.status[res.statusCode] ?? 0) + 1;
        });
      });
      req.on('error', () => { st.inflight--; st.status.error = (st.status.error ?? 0) + 1; });
      req.end(body);
    }
  }, 5);
  st.secs = () => (performance.now() - started) / 1000;
  st.stop = async () => {
    clearInterval(tick);
    const deadline = performance.now() + 35_000;
    while (st.inflight > 0 && performance.now() < deadline) await sleep(50);
  };
  return st;
}

const floodCount = (f) => ({ loginsSent: f.sent, loginStatus: { ...f.status }, loginsSkipped: f.skipped, secs: f.secs() });

const commands = {
  async start(m) {
    ctx = { port: m.port, abuse: m.abuse, opts: m.opts };
    slow = slowReaders();
    loris = slowloris();
  },
  async write() { await slow.write(); },
  async flood() { flood = loginFlood(); },
  async state() {
    return {
      readers: slow?.open, readersAdmitted: slow?.admitted, readersDropped: slow?.dropped,
      readersRefused: slow?.refused, readersWhy: slow?.why, lorisOpen: loris?.open, lorisCut: loris?.cut,
      flood: flood ? floodCount(flood) : undefined,
    };
  },
  async stopSlow() {
    await slow?.stop();
    await loris?.stop();
    slow = loris = null;
  },
  async stopFlood() {
    if (!flood) return undefined;
    await flood.stop();
    const total = floodCount(flood);
    flood = null;
    return total;
  },
};

process.on('message', async (m) => {
  try {
    process.send({ seq: m.seq, result: await commands[m.cmd](m) });
  } catch (e) {
    process.send({ seq: m.seq, error: String(e?.stack ?? e) });
  }
});
process.on('disconnect', () => process.exit(0));
