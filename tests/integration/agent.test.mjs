// The support app (agent/) against the real node, on an X server of its own
// (Xvfb), without its window (--no-window): it joins with the link the
// customer's page would show, shares the whole screen as tile frames (a key
// frame first, then only what changed), sends the computer's real details
// when asked, declines remote control (nobody could allow it without the
// window), and ends when the session does; a recorded session of the app
// replays with every tile frame; after the node went away the app comes
// back by itself and goes on sharing.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sleep, startNode } from '../harness/node.mjs';
import {
  DEMO_MANAGER,
  customerFields,
  login,
  managerCall,
  openConsole,
  openCustomer,
  post,
} from '../harness/intake.mjs';
import { AGENT, XTOOL, runOnDisplay, startXvfb } from '../harness/xvfb.mjs';

let node;
let x;
const stops = [];
before(async () => {
  x = await startXvfb({ width: 1280, height: 800 });
  node = await startNode({ args: ['--node.demo', '--intake.per-address-per-min=0'] });
});
after(async () => {
  for (const s of stops.reverse()) await s();
  await node?.stop();
  await x?.stop();
});

/** Anna's console and a customer in an active session she follows: {anna, cust, id}. */
async function sessionWithAnna(name) {
  const anna = await openConsole(node, 'anna@demo.openassist.example');
  const cust = await openCustomer(node, 'demo', 'help', { fields: customerFields(name) });
  stops.push(async () => anna.ws.terminate(), async () => cust.ws.terminate());
  const id = cust.request.request_id;
  await anna.waitFor((m) => m.type === 'alert' && m.alert.request_id === id);
  await anna.command('request.accept', { request_id: id });
  await anna.command('request.join', { request_id: id });
  await anna.command('chat.resume', { request_id: id, after_seq: 0 });
  return { anna, cust, id };
}

/** The app, without its window, joined with the code the customer's page would get. */
async function startApp(cust, id) {
  const code = await post(`${node.publicUrl}/api/v1/public/portals/demo/help/requests/${id}/app-code`, {
    token: cust.request.token,
  });
  assert.equal(code.status, 201, code.text);
  const link = code.json.link.replace(/^https?:\/\/[^/]+/, node.publicUrl);
  const agent = runOnDisplay(AGENT, [link, '--no-window', '--fps', '5'], x.display);
  stops.push(() => agent.stop());
  return agent;
}

function header(frame) {
  const b = frame.subarray(8);
  return {
    magic: b.toString('latin1', 0, 4),
    width: b.readUInt16BE(4),
    height: b.readUInt16BE(6),
    key: (b.readUInt16BE(8) & 1) === 1,
    count: b.readUInt16BE(10),
  };
}

test('the app joins, shares tiles, reports details, declines control headless, ends with the session', async () => {
  const { anna, cust, id } = await sessionWithAnna('Agnes');
  const frames = [];
  anna.ws.on('message', (data, isBinary) => isBinary && frames.push(Buffer.from(data)));

  // Something on the screen that changes: the X test client's window.
  const xclient = runOnDisplay(XTOOL, ['log', '100', '100', '300', '200', 'target'], x.display);
  stops.push(() => xclient.stop());
  await xclient.waitForLine((l) => l.includes('"ready"'));

  const agent = await startApp(cust, id);

  await anna.waitFor((m) => m.type === 'app.state' && m.connected === true, 15_000);
  await anna.waitFor((m) => m.type === 'screen.state' && m.sharing === true);
  for (let t = 0; t < 200 && frames.length === 0; t++) await sleep(50);
  assert.ok(frames.length > 0, `a frame: ${agent.lines.join(' | ')}`);
  const first = header(frames[0]);
  assert.deepEqual([first.magic, first.width, first.height, first.key], ['OAT1', 1280, 800, true]);
  assert.ok(first.count >= 13, `a key frame covers the screen in rows of tiles (${first.count})`);
  assert.equal(frames[0].readBigUInt64BE(0), BigInt(id));

  // A still screen sends nothing more until the next key frame; a change
  // sends only its tiles.
  await sleep(1000);
  const before = frames.length;
  await sleep(1000);
  assert.equal(frames.length, before, 'nothing changed, nothing sent');
  const xclient2 = runOnDisplay(XTOOL, ['log', '700', '500', '100', '60', 'small'], x.display);
  stops.push(() => xclient2.stop());
  await xclient2.waitForLine((l) => l.includes('"ready"'));
  for (let t = 0; t < 100 && frames.length === before; t++) await sleep(50);
  const delta = header(frames[frames.length - 1]);
  assert.equal(delta.key, false);
  assert.ok(delta.count >= 1 && delta.count <= 4, `only the changed tiles (${delta.count})`);

  // The computer's details, read from this machine.
  assert.equal((await anna.command('diagnostics.request', { request_id: id })).type, 'ack');
  const diag = await anna.waitFor((m) => m.type === 'diagnostics', 15_000);
  assert.match(diag.data.os.kernel, /\d+\.\d+/);
  assert.ok(diag.data.cpu.cores >= 1);
  assert.ok(diag.data.memory.total_kb > 0);
  assert.ok(diag.data.processes.some((p) => p.name.startsWith('openassist')), 'the processes list the node');
  assert.ok(diag.data.network.some((n) => n.name === 'lo'));

  // Remote control is off for Anna here (the switch): refused before the
  // app is asked.
  assert.equal((await anna.command('control.request', { request_id: id })).error?.code, 'feature_off');

  // The customer leaves: the session ends, the app says so and exits.
  await cust.command('customer.cancel');
  const ended = await Promise.race([agent.exited, sleep(15_000).then(() => null)]);
  assert.ok(ended, `the app exits when the session ends: ${agent.lines.join(' | ')}`);
  assert.equal(ended.code, 0);
  assert.ok(agent.lines.some((l) => l.includes('has ended')), agent.lines.join(' | '));
});

/** The replay stream's records: OAREPLAY1\n then [be32 len][kind][be64 time][payload]. */
function parseReplay(buf) {
  assert.equal(buf.subarray(0, 10).toString(), 'OAREPLAY1\n');
  const out = [];
  for (let at = 10; at + 4 <= buf.length; ) {
    const len = buf.readUInt32BE(at);
    out.push({ kind: String.fromCharCode(buf[at + 4]), payload: buf.subarray(at + 13, at + 4 + len) });
    at += 4 + len;
  }
  return out;
}

test('a recorded session of the app replays with all its tile frames', async () => {
  const boss = await login(node, 'manager', ...DEMO_MANAGER);
  const help = (await managerCall(node, boss, 'GET', '/portals')).json.portals.find((p) => p.slug === 'help');
  const pass = 'agent replay passphrase';
  assert.equal((await managerCall(node, boss, 'POST', `/portals/${help.id}/replay-keys`, { passphrase: pass })).status, 200);
  assert.equal((await managerCall(node, boss, 'PUT', `/portals/${help.id}`, { features: { recording: true } })).status, 200);
  await sleep(1500); // the desk follows the organisation

  const { anna, cust, id } = await sessionWithAnna('Rita');
  const frames = [];
  anna.ws.on('message', (data, isBinary) => isBinary && frames.push(Buffer.from(data)));
  const agent = await startApp(cust, id);
  for (let t = 0; t < 200 && frames.length === 0; t++) await sleep(50);
  // Something changes, twice: delta frames after the key frame.
  for (const at of ['300', '500']) {
    const w = runOnDisplay(XTOOL, ['log', at, at, '120', '80', `w${at}`], x.display);
    stops.push(() => w.stop());
    await w.waitForLine((l) => l.includes('"ready"'));
    await sleep(600);
  }
  assert.ok(frames.length >= 3, `frames ${frames.length}`);
  assert.equal((await anna.command('request.close', { request_id: id, resolution: 'resolved' })).type, 'ack');
  await agent.exited;

  let replay;
  for (let t = 0; t < 100; t++) {
    const info = await managerCall(node, boss, 'GET', `/requests/${id}/recording`);
    if (info.json?.recorded && !info.json.recording) {
      const res = await fetch(`${node.publicUrl}/api/v1/requests/${id}/recording/replay`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Cookie: boss.cookie, 'X-CSRF-Token': boss.csrf },
        body: JSON.stringify({ passphrase: pass }),
      });
      replay = parseReplay(Buffer.from(await res.arrayBuffer()));
      break;
    }
    await sleep(100);
  }
  assert.ok(replay, 'the recording finished');
  const recorded = replay.filter((r) => r.kind === 'f').map((r) => r.payload);
  assert.equal(recorded.length, frames.length, 'every tile frame is recorded (a tile needs the ones before it)');
  assert.equal(recorded[0].toString('latin1', 0, 4), 'OAT1');
  assert.equal(recorded[0].readUInt16BE(8) & 1, 1, 'the recording starts with a key frame');
  assert.deepEqual(recorded.at(-1), frames.at(-1).subarray(8));
  await managerCall(node, boss, 'PUT', `/portals/${help.id}`, { features: { recording: false } });
});

test('the app reconnects after the node was killed and goes on sharing', async () => {
  const { anna, cust, id } = await sessionWithAnna('Remy');
  const agent = await startApp(cust, id);
  await anna.waitFor((m) => m.type === 'app.state' && m.connected === true, 15_000);

  // The node dies and comes back on the same port and data.
  const port = node.publicPort;
  const dataDir = node.dataDir;
  await node.kill();
  await agent.waitForLine((l) => l.includes('Connection lost'), 10_000);
  node = await startNode({ dataDir, args: ['--intake.per-address-per-min=0', `--node.public-port=${port}`] });
  assert.equal(node.publicPort, port);
  const again = await openConsole(node, 'anna@demo.openassist.example');
  stops.push(async () => again.ws.terminate());
  await again.command('chat.resume', { request_id: id, after_seq: 0 });
  const frames = [];
  again.ws.on('message', (data, isBinary) => isBinary && frames.push(Buffer.from(data)));
  await again.waitFor((m) => m.type === 'app.state' && m.connected === true, 40_000);
  await again.waitFor((m) => m.type === 'screen.state' && m.sharing === true, 10_000);
  for (let t = 0; t < 200 && frames.length === 0; t++) await sleep(50);
  assert.ok(frames.length > 0, 'frames again after the reconnect');
  assert.equal(agent.proc.exitCode, null, 'the app kept running');
});
