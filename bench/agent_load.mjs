// The support app under load (issue 14): a 1920x1080 X desktop (Xvfb) with a
// "terminal" scrolling LINES lines a second, the app sharing it with Anna,
// who follows the session. Measures the app's CPU and the bytes and frames
// Anna receives over SECONDS; then Anna takes control (the app's window is
// allowed by a click) and sends CLICKS clicks at the X test client's window,
// timing each from her control.input until the X client reports it.
//
//   node bench/agent_load.mjs [--seconds 30] [--lines 20] [--fps 10] [--terminal 1200x800]
//        [--clicks 50] [--bin build/release/node/openassist]
//        [--agent build/release/agent/openassist-agent]
//        [--xtool build/test/tests/agent/oa_xtool]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { arg, json, openChat, percentile, root, sleep, socket, startNode } from './lib.mjs';
import { runOnDisplay, startXvfb } from '../tests/harness/xvfb.mjs';

const seconds = Number(arg('seconds', 30));
const lines = Number(arg('lines', 20));
const fps = Number(arg('fps', 10));
const clicks = Number(arg('clicks', 50));
const [termW, termH] = arg('terminal', '1200x800').split('x').map(Number);
const agentBin = arg('agent', join(root, 'build/release/agent/openassist-agent'));
const xtool = arg('xtool', join(root, 'build/test/tests/agent/oa_xtool'));

function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / 100; // utime + stime, USER_HZ 100
}

const x = await startXvfb({ width: 1920, height: 1080 });
const node = await startNode();
const procs = [];
try {
  const { port } = node;
  // Remote control on for Anna and the help portal.
  const boss = await json(port, 'POST', '/api/v1/auth/login', {
    kind: 'manager', email: 'manager@demo.openassist.example', password: 'demo-manager-1',
  });
  const csrf = boss.body.csrf_token;
  const techs = (await json(port, 'GET', '/api/v1/technicians', undefined, boss.cookie)).body.technicians;
  const anna = techs.find((t) => t.email.startsWith('anna'));
  const help = (await json(port, 'GET', '/api/v1/portals', undefined, boss.cookie)).body.portals.find((p) => p.slug === 'help');
  await json(port, 'PUT', `/api/v1/technicians/${anna.id}`, { features: { remote_control: true } }, boss.cookie, csrf);
  await json(port, 'PUT', `/api/v1/portals/${help.id}`, { features: { remote_control: true } }, boss.cookie, csrf);

  const login = await json(port, 'POST', '/api/v1/auth/login', {
    kind: 'technician', email: 'anna@demo.openassist.example', password: 'demo-tech-1',
  });
  const con = await socket(port, login.cookie);
  con.send(JSON.stringify({ type: 'console.hello' }));
  await con.until((m) => m.type === 'console.state');
  const { id, token } = await openChat(port, con, 'bench');
  con.send(JSON.stringify({ type: 'chat.resume', request_id: id, after_seq: 0 }));
  await con.until((m) => m.type === 'chat.synced');
  let bytes = 0;
  let frames = 0;
  con.on('message', (d, binary) => {
    if (!binary) return;
    bytes += d.length;
    frames += 1;
  });

  const term = runOnDisplay(xtool, ['scroll', '0', '0', String(termW), String(termH), String(lines)], x.display);
  const target = runOnDisplay(xtool, ['log', '1500', '100', '300', '200', 'target'], x.display);
  procs.push(term, target);
  await term.waitForLine((l) => l.includes('ready'));
  await target.waitForLine((l) => l.includes('ready'));

  const code = await json(port, 'POST', `/api/v1/public/portals/demo/help/requests/${id}/app-code`, { token });
  const link = `http://127.0.0.1:${port}/app/join/${code.body.code}`;
  const sharing = con.until((m) => m.type === 'screen.state' && m.sharing === true);
  const agent = runOnDisplay(agentBin, [link, '--display', x.display, '--fps', String(fps)], x.display);
  procs.push(agent);
  await sharing;
  await sleep(3000); // the first key frame and the window settle
  const cpu0 = cpuSeconds(agent.proc.pid);
  const b0 = bytes;
  const f0 = frames;
  const t0 = Date.now();
  await sleep(seconds * 1000);
  const wall = (Date.now() - t0) / 1000;
  const cpu = (cpuSeconds(agent.proc.pid) - cpu0) / wall;
  const rate = (bytes - b0) / wall;
  const fpsGot = (frames - f0) / wall;

  // Control: asked, allowed in the app's window, then clicks timed.
  const granted = con.until((m) => m.type === 'control.state' && m.controlling === true);
  con.send(JSON.stringify({ type: 'control.request', request_id: id }));
  const allow = runOnDisplay(xtool, ['click-named', 'Allow remote control?', '270', '115'], x.display);
  await allow.exited;
  await granted;
  const at = { x: (1650 + 0.5) / 1920, y: (200 + 0.5) / 1080 };
  const latencies = [];
  for (let i = 0; i < clicks; i++) {
    const seen = target.lines.length;
    const start = process.hrtime.bigint();
    con.send(JSON.stringify({
      type: 'control.input', request_id: id,
      events: [{ t: 'button', ...at, button: 0, down: true }, { t: 'button', ...at, button: 0, down: false }],
    }));
    const deadline = Date.now() + 5000;
    while (!target.lines.slice(seen).some((l) => l.includes('"down":true'))) {
      if (Date.now() > deadline) throw new Error(`click ${i} did not reach the X client`);
      await sleep(1);
    }
    latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
    await sleep(100);
  }
  latencies.sort((a, b) => a - b);
  const out = {
    screen: '1920x1080', terminal: `${termW}x${termH}`, terminal_lines_per_s: lines, fps_limit: fps, seconds: Math.round(wall),
    agent_cpu_cores: Number(cpu.toFixed(3)), kib_per_s: Math.round(rate / 1024), frames_per_s: Number(fpsGot.toFixed(1)),
    input_latency_ms: { p50: Number(percentile(latencies, 50).toFixed(2)), p99: Number(percentile(latencies, 99).toFixed(2)), n: latencies.length },
  };
  console.log(JSON.stringify(out));
  con.close();
} finally {
  for (const p of procs.reverse()) await p.stop();
  await node.stop();
  await x.stop();
}
