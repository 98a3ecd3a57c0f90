// Encrypted session recordings against the real binary (docs/recording.md):
// a portal that records, a replay passphrase set once per key generation,
// chat and screen written encrypted while the session runs, replay with the
// right passphrase, refusal with a wrong one, and older recordings needing
// the passphrase of their time.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { get, metric, sleep, startNode } from '../harness/node.mjs';
import { DEMO_MANAGER, customerFields, login, managerCall, openConsole, openCustomer } from '../harness/intake.mjs';

let node;
const sockets = [];
before(async () => {
  node = await startNode({ args: ['--node.demo', '--intake.per-address-per-min=0'] });
});
after(async () => {
  for (const c of sockets) c.ws?.terminate();
  await node?.stop();
});

/** Parses the replay stream: OAREPLAY1\n then [be32 len][kind][be64 time][payload]. */
function parseReplay(buf) {
  const head = 'OAREPLAY1\n';
  assert.equal(buf.subarray(0, head.length).toString(), head);
  const out = [];
  let at = head.length;
  while (at + 4 <= buf.length) {
    const len = buf.readUInt32BE(at);
    const kind = String.fromCharCode(buf[at + 4]);
    const time = Number(buf.readBigUInt64BE(at + 5));
    const payload = buf.subarray(at + 13, at + 4 + len);
    out.push({ kind, time, payload });
    at += 4 + len;
  }
  assert.equal(at, buf.length, 'records fill the stream exactly');
  return out;
}

async function replay(session, id, passphrase) {
  const res = await fetch(`${node.publicUrl}/api/v1/requests/${id}/recording/replay`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Cookie: session.cookie, 'X-CSRF-Token': session.csrf },
    body: JSON.stringify({ passphrase }),
  });
  const bytes = Buffer.from(await res.arrayBuffer());
  return { status: res.status, bytes, json: res.headers.get('content-type')?.startsWith('application/json') ? JSON.parse(bytes) : undefined };
}

/** One session on the portal: chat both ways, a screen frame or two, closed. */
async function recordedSession(anna, name, frameText) {
  const cust = await openCustomer(node, 'demo', 'help', { fields: customerFields(name) });
  sockets.push(cust);
  const id = cust.request.request_id;
  await anna.waitFor((m) => m.type === 'alert' && m.alert.request_id === id);
  await anna.command('request.accept', { request_id: id });
  await anna.command('request.join', { request_id: id });
  await cust.waitFor((m) => m.request?.status === 'active');
  await cust.command('chat.resume', { after_seq: 0 });
  await anna.command('chat.resume', { request_id: id, after_seq: 0 });
  assert.equal((await cust.command('chat.send', { text: `hello from ${name}`, client_id: 'a' })).type, 'chat.ack');
  assert.equal((await anna.command('chat.send', { request_id: id, text: 'private idea', client_id: 'p', private: true })).type, 'chat.ack');
  await anna.command('screen.request', { request_id: id });
  await cust.waitFor((m) => m.type === 'screen.requested');
  await cust.command('screen.accept');
  await anna.waitFor((m) => m.type === 'screen.state' && m.sharing);
  const frame = Buffer.concat([Buffer.from(frameText), Buffer.alloc(20_000, 1)]);
  cust.ws.send(frame, { binary: true });
  await sleep(600);
  cust.ws.send(frame, { binary: true });
  await sleep(100);
  assert.equal((await anna.command('screen.stop', { request_id: id })).type, 'ack');
  assert.equal((await anna.command('chat.send', { request_id: id, text: 'all done', client_id: 'b' })).type, 'chat.ack');
  assert.equal((await anna.command('request.close', { request_id: id, resolution: 'resolved' })).type, 'ack');
  await cust.waitFor((m) => m.request?.status === 'closed');
  return { id, frame };
}

async function eventuallyRecorded(mgr, id) {
  for (let i = 0; i < 100; i++) {
    const info = await managerCall(node, mgr, 'GET', `/requests/${id}/recording`);
    if (info.json?.recorded && !info.json.recording) return info.json;
    await sleep(100);
  }
  console.error(node.output().split('\n').filter((l) => /session|keyring|record|DEBUG/i.test(l)).slice(-40).join('\n'));
  throw new Error(`the recording did not finish: ${JSON.stringify((await managerCall(node, mgr, 'GET', `/requests/${id}/recording`)).json)}`);
}

test('a recorded session replays with its passphrase only', async () => {
  const mgr = await login(node, 'manager', ...DEMO_MANAGER);
  const portals = await managerCall(node, mgr, 'GET', '/portals');
  const help = (portals.json.portals ?? portals.json).find((p) => p.slug === 'help');
  const written = (await metric(node, 'openassist_recordings_written_total')) ?? 0;

  // Passphrase rules and who may set it.
  const short = await managerCall(node, mgr, 'POST', `/portals/${help.id}/replay-keys`, { passphrase: 'short' });
  assert.equal(short.status, 400);
  const anna = await openConsole(node, 'anna@demo.openassist.example');
  sockets.push(anna);
  const byTech = await managerCall(node, anna.session, 'POST', `/portals/${help.id}/replay-keys`, { passphrase: 'x'.repeat(12) });
  assert.equal(byTech.status, 403);
  const first = await managerCall(node, mgr, 'POST', `/portals/${help.id}/replay-keys`, { passphrase: 'correct horse battery' });
  assert.equal(first.status, 200, first.text);
  assert.equal(first.json.generation, 1);
  const rec = await managerCall(node, mgr, 'PUT', `/portals/${help.id}`, {
    features: { recording: true },
    recording_max_mb: 50,
    recording_retention_days: 30,
  });
  assert.equal(rec.status, 200, rec.text);
  assert.equal(rec.json.recording_max_mb, 50);
  await sleep(3000); // the desk's copy of the organisation follows within about a second

  const { id, frame } = await recordedSession(anna, 'Recy', 'FRAME-ONE');
  const info = await eventuallyRecorded(mgr, id);
  assert.equal(info.generation, 1);
  assert.ok(info.bytes > 20_000, `bytes ${info.bytes}`);
  assert.ok(info.expires_ms - info.started_ms === 30 * 86400_000, 'retention from the portal');

  // The bytes on disk are not readable as they are.
  const dir = join(node.dataDir, 'blobs', 'recordings', 'demo', String(id));
  const file = readFileSync(join(dir, readdirSync(dir)[0]));
  assert.ok(!file.includes(Buffer.from('hello from Recy')), 'chat is encrypted at rest');
  assert.ok(!file.includes(Buffer.from('FRAME-ONE')), 'frames are encrypted at rest');
  assert.equal(statSync(join(dir, readdirSync(dir)[0])).size, info.bytes);

  const wrong = await replay(mgr, id, 'wrong horse battery');
  assert.equal(wrong.status, 403);
  assert.equal(wrong.json.error.code, 'wrong_passphrase');
  const byTechReplay = await replay(anna.session, id, 'correct horse battery');
  assert.equal(byTechReplay.status, 403, 'technicians do not replay');

  const ok = await replay(mgr, id, 'correct horse battery');
  assert.equal(ok.status, 200);
  const records = parseReplay(ok.bytes);
  const chat = records.filter((r) => r.kind === 'c').map((r) => JSON.parse(r.payload));
  assert.ok(chat.some((l) => l.text === 'hello from Recy' && l.from === 'customer'));
  assert.ok(chat.some((l) => l.text === 'private idea' && l.private), 'notes are in the recording');
  assert.ok(chat.some((l) => l.text === 'Screen sharing started'));
  const frames = records.filter((r) => r.kind === 'f');
  assert.ok(frames.length >= 1 && frames.length <= 2, `frames ${frames.length}`);
  assert.deepEqual(frames[0].payload, frame);
  const screens = records.filter((r) => r.kind === 's').map((r) => JSON.parse(r.payload).sharing);
  assert.deepEqual(screens, [true, false]);
  assert.equal(records.at(-1).kind, 'e', 'a finished recording ends with its end record');
  const times = records.map((r) => r.time);
  assert.deepEqual(times, [...times].sort((a, b) => a - b), 'records in time order');
  assert.ok((await metric(node, 'openassist_recordings_written_total')) >= written + 1);

  // A new passphrase: a new key pair for what comes; the old recording needs
  // the old passphrase still.
  const second = await managerCall(node, mgr, 'POST', `/portals/${help.id}/replay-keys`, { passphrase: 'new staple passphrase' });
  assert.equal(second.json.generation, 2);
  const listed = await managerCall(node, mgr, 'GET', `/portals/${help.id}/replay-keys`);
  assert.deepEqual(listed.json.generations.map((g) => g.generation), [2, 1]);
  const withNew = await replay(mgr, id, 'new staple passphrase');
  assert.equal(withNew.status, 403);
  assert.match(withNew.json.error.message, /before the replay passphrase was last set/);
  assert.equal((await replay(mgr, id, 'correct horse battery')).status, 200);
  const later = await recordedSession(anna, 'Newer', 'FRAME-TWO');
  const laterInfo = await eventuallyRecorded(mgr, later.id);
  assert.equal(laterInfo.generation, 2);
  assert.equal((await replay(mgr, later.id, 'correct horse battery')).status, 403);
  assert.equal((await replay(mgr, later.id, 'new staple passphrase')).status, 200);

  // Not recorded, bad input.
  await managerCall(node, mgr, 'PUT', `/portals/${help.id}`, { features: { recording: false } });
  const none = await managerCall(node, mgr, 'GET', '/requests/999999/recording');
  assert.equal(none.status, 404);
  const empty = await replay(mgr, id, '');
  assert.equal(empty.status, 400);
});
