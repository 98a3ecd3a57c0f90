// The customer's support app over real HTTP and WebSocket
// (docs/remote-control.md): a one-time join code, the app in the session,
// its screen, remote control only with the feature switch and the
// customer's consent (audited), diagnostics stored and shown, the
// technician's own screen to the customer, one app per session.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sleep, startNode, tempDir } from '../harness/node.mjs';
import {
  Client,
  DEMO_MANAGER,
  customerFields,
  login,
  managerCall,
  openConsole,
  openCustomer,
  post,
} from '../harness/intake.mjs';

let node;
const sockets = [];
const downloads = join(tempDir('oa-downloads-'), 'downloads');
before(async () => {
  mkdirSync(downloads, { recursive: true });
  writeFileSync(join(downloads, 'openassist-agent_0.1.0_amd64.deb'), Buffer.from('!<arch>\ndebian-binary'));
  writeFileSync(join(downloads, 'notes.txt'), 'not a package');
  node = await startNode({
    args: ['--node.demo', '--intake.per-address-per-min=0', `--node.downloads-dir=${downloads}`],
  });
});
after(async () => {
  for (const c of sockets) c.ws?.terminate();
  await node?.stop();
});

const codeUrl = (id) => `${node.publicUrl}/api/v1/public/portals/demo/help/requests/${id}/app-code`;
const joinUrl = () => `${node.publicUrl}/api/v1/app/join`;

function binaries(client) {
  const got = [];
  client.ws.on('message', (data, isBinary) => {
    if (isBinary) got.push(Buffer.from(data));
  });
  return got;
}

async function until(fn, what) {
  for (let t = 0; t < 200; t++) {
    const v = fn();
    if (v) return v;
    await sleep(25);
  }
  throw new Error(`timed out: ${what}`);
}

// A tile frame (docs/remote-control.md): one tile of fake JPEG bytes.
function tiles(width, height, key) {
  const jpeg = Buffer.from('\xff\xd8JPEGTILE\xff\xd9', 'latin1');
  const head = Buffer.alloc(12 + 12);
  head.write('OAT1', 0, 'latin1');
  head.writeUInt16BE(width, 4);
  head.writeUInt16BE(height, 6);
  head.writeUInt16BE(key ? 1 : 0, 8);
  head.writeUInt16BE(1, 10);
  head.writeUInt16BE(0, 12);
  head.writeUInt16BE(0, 14);
  head.writeUInt16BE(64, 16);
  head.writeUInt16BE(64, 18);
  head.writeUInt32BE(jpeg.length, 20);
  return Buffer.concat([head, jpeg]);
}

async function openApp(code) {
  const joined = await post(joinUrl(), { code });
  assert.equal(joined.status, 200, joined.text);
  const app = new Client(node.wsUrl);
  sockets.push(app);
  await app.open();
  const state = await app.command('customer.attach', {
    account: joined.json.account,
    request_id: joined.json.request_id,
    token: joined.json.token,
    client: 'app',
  });
  assert.equal(state.type, 'request.state', JSON.stringify(state));
  assert.equal((await app.command('chat.resume', { after_seq: 0 })).type, 'chat.synced');
  return app;
}

test('join code, app, diagnostics, consent-based control with audit, screens both ways', async () => {
  const boss = await login(node, 'manager', ...DEMO_MANAGER);
  const anna = await openConsole(node, 'anna@demo.openassist.example');
  const cust = await openCustomer(node, 'demo', 'help', { fields: customerFields('Appy') });
  sockets.push(anna, cust);
  const id = cust.request.request_id;
  const token = cust.request.token;

  // No code before a technician is in the session, none for a wrong token.
  assert.equal((await post(codeUrl(id), { token })).status, 409);
  assert.equal((await post(codeUrl(id), { token: 'x'.repeat(40) })).json.error.code, 'not_found');

  await anna.waitFor((m) => m.type === 'alert' && m.alert.request_id === id);
  await anna.command('request.accept', { request_id: id });
  await anna.command('request.join', { request_id: id });
  await cust.waitFor((m) => m.request?.status === 'active');
  await cust.command('chat.resume', { after_seq: 0 });
  await anna.command('chat.resume', { request_id: id, after_seq: 0 });
  await anna.waitFor((m) => m.type === 'app.state' && m.request_id === id && m.connected === false);

  // A code, good once; the app joins with it.
  const minted = await post(codeUrl(id), { token });
  assert.equal(minted.status, 201, minted.text);
  assert.match(minted.json.code, /^\d{10}$/);
  assert.ok(minted.json.link.endsWith(`/app/join/${minted.json.code}`));
  assert.equal(minted.json.expires_in_s, 600);
  const page = await fetch(minted.json.link.replace(/^https?:\/\/[^/]+/, node.publicUrl));
  assert.equal(page.status, 200);
  const app = await openApp(minted.json.code);
  const again = await post(joinUrl(), { code: minted.json.code });
  assert.equal(again.status, 404, 'a code works once');
  assert.equal(again.json.error.code, 'not_found');
  assert.equal((await post(joinUrl(), { code: 12 })).status, 400);

  const here = await anna.waitFor((m) => m.type === 'app.state' && m.connected === true);
  assert.equal(here.may_control, false, 'remote control is off by default');
  assert.equal(here.may_diagnose, true);
  await cust.waitFor((m) => m.type === 'chat.line' && m.line.text === 'The customer started the support app');

  // Only the app answers what only the app can do.
  assert.equal((await cust.command('diagnostics.report', { data: { os: {} } })).error.code, 'not_yours');
  assert.equal((await anna.command('control.request', { request_id: id })).error.code, 'feature_off');

  // Diagnostics: asked, reported, stored and shown.
  const none = await managerCall(node, boss, 'GET', `/requests/${id}/diagnostics`);
  assert.equal(none.status, 404, 'no details before the app sent them');
  assert.equal((await anna.command('diagnostics.request', { request_id: id })).type, 'ack');
  await app.waitFor((m) => m.type === 'diagnostics.requested');
  const report = { os: { name: 'Debian GNU/Linux 12', kernel: '6.1.0' }, processes: [{ pid: 1, name: 'systemd' }] };
  assert.equal((await app.command('diagnostics.report', { data: report })).type, 'ack');
  const diag = await anna.waitFor((m) => m.type === 'diagnostics');
  assert.deepEqual(diag.data, report);
  assert.ok(diag.at > 0);
  await cust.waitFor((m) => m.type === 'chat.line' && m.line.text === "Anna received the computer's details");
  const stored = await managerCall(node, boss, 'GET', `/requests/${id}/diagnostics`);
  assert.equal(stored.status, 200, stored.text);
  assert.deepEqual(stored.json.data, report, 'managers read the details in the session information');
  assert.equal(stored.json.request_id, String(id));
  const huge = { blob: 'x'.repeat(50_000) };
  assert.equal((await app.command('diagnostics.report', { data: huge })).error.code, 'limited');

  // The switches: on for Anna and the portal; the session learns it.
  const techs = (await managerCall(node, boss, 'GET', '/technicians')).json.technicians;
  const annaId = techs.find((t) => t.email === 'anna@demo.openassist.example').id;
  const help = (await managerCall(node, boss, 'GET', '/portals')).json.portals.find((p) => p.slug === 'help');
  assert.equal((await managerCall(node, boss, 'PUT', `/technicians/${annaId}`, { features: { remote_control: true } })).status, 200);
  assert.equal((await managerCall(node, boss, 'PUT', `/portals/${help.id}`, { features: { remote_control: true } })).status, 200);
  await anna.waitFor((m) => m.type === 'app.state' && m.may_control === true);

  // Control: asked, refused input before consent, granted, relayed, stopped.
  const move = [{ t: 'move', x: 0.25, y: 0.5 }];
  assert.equal((await anna.command('control.request', { request_id: id })).type, 'ack');
  const asked = await app.waitFor((m) => m.type === 'control.requested');
  assert.equal(asked.technician, 'Anna');
  assert.equal((await anna.command('control.input', { request_id: id, events: move })).error.code, 'not_controlling');
  assert.equal((await cust.command('control.accept')).error.code, 'not_yours', 'the page cannot consent for the app');
  assert.equal((await app.command('control.accept')).controlling, true);
  await anna.waitFor((m) => m.type === 'control.state' && m.controlling === true && m.technician === 'Anna');
  await cust.waitFor((m) => m.type === 'control.state' && m.controlling === true);
  await cust.waitFor((m) => m.type === 'chat.line' && m.line.text === 'Anna controls the mouse and keyboard');

  const events = [
    { t: 'move', x: 0.25, y: 0.5, extra: 'dropped' },
    { t: 'button', x: 0.25, y: 0.5, button: 0, down: true },
    { t: 'button', x: 0.25, y: 0.5, button: 0, down: false },
    { t: 'key', code: 'KeyA', down: true },
    { t: 'wheel', x: 0.1, y: 0.1, dy: -3 },
  ];
  assert.equal((await anna.command('control.input', { request_id: id, events })).type, 'ack');
  const input = await app.waitFor((m) => m.type === 'control.input');
  assert.deepEqual(input.events[0], { t: 'move', x: 0.25, y: 0.5 }, 'events reach the app in a checked shape');
  assert.deepEqual(input.events[3], { t: 'key', code: 'KeyA', down: true });
  for (const bad of [[], [{ t: 'move', x: 2, y: 0 }], [{ t: 'key', code: 'Key A' }], [{ t: 'exec', cmd: 'rm' }],
    Array.from({ length: 65 }, () => move[0])]) {
    assert.equal((await anna.command('control.input', { request_id: id, events: bad })).error.code, 'bad_field', JSON.stringify(bad).slice(0, 80));
  }
  assert.equal((await cust.command('control.input', { events: move })).error.code, 'bad_state', 'customers send no input');

  // The customer stops it from the page; input is refused from then on.
  assert.equal((await cust.command('control.stop')).controlling, false);
  await app.waitFor((m) => m.type === 'control.state' && m.controlling === false);
  assert.equal((await anna.command('control.input', { request_id: id, events: move })).error.code, 'not_controlling');

  // Declined.
  const from = app.messages.length;
  await anna.command('control.request', { request_id: id });
  await app.waitFor((m) => m.type === 'control.requested', 10_000, { fromIndex: from });
  await app.command('control.decline');
  await anna.waitFor((m) => m.type === 'control.state' && m.declined === true);

  // Every step is in the account's audit log.
  let actions = [];
  for (let t = 0; t < 100 && !actions.includes('control.declined'); t++) {
    const res = await managerCall(node, boss, 'GET', '/audit?limit=20');
    actions = res.json.entries.map((e) => e.action);
    if (!actions.includes('control.declined')) await sleep(50);
  }
  for (const a of ['control.granted', 'control.used', 'control.ended', 'control.declined'])
    assert.ok(actions.includes(a), `${a} in ${actions}`);

  // The app's screen: shared on its own word, tiles relayed and tagged; the
  // page's frames are not mixed in.
  const annaFrames = binaries(anna);
  assert.equal((await app.command('screen.share')).type, 'ack');
  await anna.waitFor((m) => m.type === 'screen.state' && m.sharing === true);
  app.ws.send(tiles(1920, 1080, true), { binary: true });
  cust.ws.send(Buffer.from('\xff\xd8PAGE', 'latin1'), { binary: true });
  await until(() => annaFrames.length >= 1, 'a tile frame');
  await sleep(200);
  assert.equal(annaFrames.length, 1, 'only the sharing app is relayed');
  assert.equal(annaFrames[0].readBigUInt64BE(0), BigInt(id));
  assert.equal(annaFrames[0].subarray(8, 12).toString('latin1'), 'OAT1');

  // A viewer that joins asks the app for a whole picture.
  const eye = new Client(node.wsUrl, { Cookie: boss.cookie });
  sockets.push(eye);
  await eye.open();
  await eye.command('monitor.attach', { request_id: id });
  await app.waitFor((m) => m.type === 'screen.keyframe');
  await eye.waitFor((m) => m.type === 'diagnostics', 10_000);

  // Anna shows her own screen to the customer: page and app get it.
  const custFrames = binaries(cust);
  const appFrames = binaries(app);
  assert.equal((await anna.command('screen.present', { request_id: id })).type, 'ack');
  await cust.waitFor((m) => m.type === 'screen.presenting' && m.sharing === true && m.technician === 'Anna');
  const idBytes = Buffer.alloc(8);
  idBytes.writeBigUInt64BE(BigInt(id));
  anna.ws.send(Buffer.concat([idBytes, Buffer.from('\xff\xd8ANNA', 'latin1')]), { binary: true });
  await until(() => custFrames.length >= 1 && appFrames.length >= 1, 'the presented frame');
  assert.equal(custFrames[0].subarray(8).toString('latin1'), '\xff\xd8ANNA');
  assert.equal(custFrames[0].readBigUInt64BE(0), BigInt(id));
  assert.equal((await cust.command('screen.unpresent')).type, 'ack');
  await anna.waitFor((m) => m.type === 'screen.presenting' && m.sharing === false);

  // One app per session: a second one takes over, the first is told.
  const second = await post(codeUrl(id), { token });
  const annaFrom = anna.messages.length;
  const app2 = await openApp(second.json.code);
  await app.waitFor((m) => m.type === 'app.replaced');
  await anna.waitFor((m) => m.type === 'screen.state' && m.sharing === false, 10_000, { fromIndex: annaFrom });
  const annaLater = anna.messages.length;
  app2.close();
  await anna.waitFor((m) => m.type === 'app.state' && m.connected === false, 10_000, { fromIndex: annaLater });
  await cust.waitFor((m) => m.type === 'chat.line' && m.line.text === 'The support app was closed');
});

test('join tries are limited per address', async () => {
  let limited = null;
  for (let i = 0; i < 15 && !limited; i++) {
    const res = await post(joinUrl(), { code: '0000000000' });
    if (res.status === 429) limited = res;
    else assert.equal(res.status, 404);
  }
  assert.ok(limited, 'a 429 within 15 tries');
  assert.equal(limited.json.error.code, 'rate_limited');
});

test('the support app is downloaded from /downloads/, packages only', async () => {
  const page = await fetch(`${node.publicUrl}/downloads/`);
  assert.equal(page.status, 200);
  const html = await page.text();
  assert.match(html, /href="\/downloads\/openassist-agent_0\.1\.0_amd64\.deb"/);
  assert.ok(!html.includes('notes.txt'), 'only packages are listed');
  const deb = await fetch(`${node.publicUrl}/downloads/openassist-agent_0.1.0_amd64.deb`);
  assert.equal(deb.status, 200);
  assert.equal(deb.headers.get('content-type'), 'application/vnd.debian.binary-package');
  assert.match(deb.headers.get('content-disposition'), /attachment/);
  assert.equal(Buffer.from(await deb.arrayBuffer()).toString(), '!<arch>\ndebian-binary');
  for (const bad of ['notes.txt', '..%2F..%2Fetc%2Fpasswd.deb', '.hidden.deb', 'missing.deb'])
    assert.equal((await fetch(`${node.publicUrl}/downloads/${bad}`)).status, 404, bad);
});
