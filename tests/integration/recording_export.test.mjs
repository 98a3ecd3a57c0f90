// A recording exported as WebM (docs/recording.md, "Export") against the real
// binary and Debian's ffmpeg: a recorded session with two real JPEG screen
// pictures of different colours and sizes exports as a VP8 WebM that ffprobe
// reads with the canvas size, one frame per half second from the first
// picture to the end of the recording, red first and blue last; a wrong or
// missing passphrase, a technician and a recording without a picture are
// refused with their errors.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sleep, startNode } from '../harness/node.mjs';
import { DEMO_MANAGER, customerFields, login, managerCall, openConsole, openCustomer } from '../harness/intake.mjs';

const PASSPHRASE = 'correct horse battery';
let node;
let work;
const sockets = [];
before(async () => {
  node = await startNode({ args: ['--node.demo', '--intake.per-address-per-min=0'] });
  work = mkdtempSync(join(tmpdir(), 'oa-export-'));
});
after(async () => {
  for (const c of sockets) c.ws?.terminate();
  await node?.stop();
  rmSync(work, { recursive: true, force: true });
});

/** A JPEG of one colour, made by ffmpeg. */
function jpeg(colour, size) {
  const file = join(work, `${colour}.jpg`);
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', `color=c=${colour}:s=${size}`, '-frames:v', '1', file]);
  return readFileSync(file);
}

/** Parses the replay stream: OAREPLAY1\n then [be32 len][kind][be64 time][payload]. */
function parseReplay(buf) {
  const out = [];
  let at = 'OAREPLAY1\n'.length;
  while (at + 4 <= buf.length) {
    const len = buf.readUInt32BE(at);
    out.push({ kind: String.fromCharCode(buf[at + 4]), time: Number(buf.readBigUInt64BE(at + 5)) });
    at += 4 + len;
  }
  return out;
}

async function post(session, id, what, passphrase) {
  const res = await fetch(`${node.publicUrl}/api/v1/requests/${id}/recording/${what}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Cookie: session.cookie, 'X-CSRF-Token': session.csrf },
    body: JSON.stringify(passphrase === undefined ? {} : { passphrase }),
  });
  const bytes = Buffer.from(await res.arrayBuffer());
  const json = res.headers.get('content-type')?.startsWith('application/json') ? JSON.parse(bytes) : undefined;
  return { status: res.status, bytes, json, headers: res.headers };
}

/** A session on the help portal showing `frames` (sent `gap` ms apart), then closed. */
async function recordedSession(anna, name, frames, gap = 1300) {
  const cust = await openCustomer(node, 'demo', 'help', { fields: customerFields(name) });
  sockets.push(cust);
  const id = cust.request.request_id;
  await anna.waitFor((m) => m.type === 'alert' && m.alert.request_id === id);
  await anna.command('request.accept', { request_id: id });
  await anna.command('request.join', { request_id: id });
  await cust.waitFor((m) => m.request?.status === 'active');
  await cust.command('chat.resume', { after_seq: 0 });
  await anna.command('chat.resume', { request_id: id, after_seq: 0 });
  await anna.command('screen.request', { request_id: id });
  await cust.waitFor((m) => m.type === 'screen.requested');
  await cust.command('screen.accept');
  await anna.waitFor((m) => m.type === 'screen.state' && m.sharing);
  for (const f of frames) {
    cust.ws.send(f, { binary: true });
    await sleep(gap);
  }
  assert.equal((await anna.command('request.close', { request_id: id, resolution: 'resolved' })).type, 'ack');
  await cust.waitFor((m) => m.request?.status === 'closed');
  const mgr = await login(node, 'manager', ...DEMO_MANAGER);
  for (let i = 0; ; i++) {
    const info = await managerCall(node, mgr, 'GET', `/requests/${id}/recording`);
    if (info.json?.recorded && !info.json.recording) break;
    assert.ok(i < 100, `the recording did not finish: ${info.text}`);
    await sleep(100);
  }
  return id;
}

function probe(file) {
  const out = execFileSync('ffprobe', [
    '-v', 'error', '-count_frames', '-select_streams', 'v:0',
    '-show_entries', 'stream=codec_name,width,height,nb_read_frames',
    '-show_entries', 'format=duration,format_name', '-of', 'json', file,
  ]);
  const j = JSON.parse(out);
  return { ...j.streams[0], ...j.format };
}

/** The mean colour of frame `n` of the video, as [r, g, b]. */
function colourOf(file, n) {
  const raw = execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-vf', `select=eq(n\\,${n})`, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { maxBuffer: 64 << 20 });
  const sum = [0, 0, 0];
  for (let i = 0; i < raw.length; i += 3) for (let c = 0; c < 3; c++) sum[c] += raw[i + c];
  return sum.map((s) => s / (raw.length / 3));
}

test('a recording exports as a WebM video of its screen; refusals say why', async () => {
  const mgr = await login(node, 'manager', ...DEMO_MANAGER);
  const help = (await managerCall(node, mgr, 'GET', '/portals')).json.portals.find((p) => p.slug === 'help');
  assert.equal((await managerCall(node, mgr, 'POST', `/portals/${help.id}/replay-keys`, { passphrase: PASSPHRASE })).status, 200);
  assert.equal((await managerCall(node, mgr, 'PUT', `/portals/${help.id}`, { features: { recording: true } })).status, 200);
  await sleep(3000); // the desk follows the organisation within about a second
  const anna = await openConsole(node, 'anna@demo.openassist.example');
  sockets.push(anna);

  // Red 320x240, then blue of an odd size (drawn from the corner, cut).
  const id = await recordedSession(anna, 'Vida', [jpeg('red', '320x240'), jpeg('blue', '321x241')]);
  const records = parseReplay((await post(mgr, id, 'replay', PASSPHRASE)).bytes);
  const firstFrame = records.find((r) => r.kind === 'f').time;
  const last = records.at(-1).time;
  const expected = Math.floor(((last - firstFrame) * 2) / 1000) + 1;

  const wrong = await post(mgr, id, 'export', 'wrong horse battery');
  assert.equal(wrong.status, 403, wrong.bytes.toString());
  assert.equal(wrong.json.error.code, 'wrong_passphrase');
  const missing = await post(mgr, id, 'export');
  assert.equal(missing.status, 400);
  assert.equal(missing.json.error.code, 'bad_field');
  const byTech = await post(anna.session, id, 'export', PASSPHRASE);
  assert.equal(byTech.status, 403, 'technicians not allowed own reports do not export');

  const video = await post(mgr, id, 'export', PASSPHRASE);
  assert.equal(video.status, 200, video.bytes.toString().slice(0, 300));
  assert.equal(video.headers.get('content-type'), 'video/webm');
  assert.equal(video.headers.get('content-disposition'), `attachment; filename="session-${id}.webm"`);
  assert.deepEqual([...video.bytes.subarray(0, 4)], [0x1a, 0x45, 0xdf, 0xa3], 'an EBML (WebM) file');
  const file = join(work, 'export.webm');
  writeFileSync(file, video.bytes);
  const p = probe(file);
  assert.equal(p.codec_name, 'vp8');
  assert.match(p.format_name, /webm/);
  assert.deepEqual([p.width, p.height], [320, 240]);
  assert.equal(Number(p.nb_read_frames), expected, `frames for ${last - firstFrame} ms`);
  assert.ok(Math.abs(Number(p.duration) - expected / 2) <= 0.6, `duration ${p.duration} for ${expected} frames`);
  const [r0, g0, b0] = colourOf(file, 0);
  assert.ok(r0 > 150 && g0 < 80 && b0 < 80, `first frame red: ${[r0, g0, b0]}`);
  const [r1, g1, b1] = colourOf(file, expected - 1);
  assert.ok(b1 > 150 && r1 < 80 && g1 < 80, `last frame blue: ${[r1, g1, b1]}`);

  // Anna, once allowed the Management Center and her own reports, exports
  // the session she handled; Ben, allowed the same, not hers.
  const techs = Object.fromEntries(
    (await managerCall(node, mgr, 'GET', '/technicians')).json.technicians.map((t) => [t.email.split('@')[0], t]),
  );
  for (const who of ['anna', 'ben'])
    assert.equal(
      (await managerCall(node, mgr, 'PUT', `/technicians/${techs[who].id}`, { features: { management_center: true, reports_self: true } })).status,
      200,
    );
  let own;
  for (let i = 0; i < 50; i++) {
    own = await post(anna.session, id, 'export', PASSPHRASE);
    if (own.status !== 403) break;
    await sleep(100); // the desk follows the organisation
  }
  assert.equal(own.status, 200, own.bytes.toString().slice(0, 300));
  const ownFile = join(work, 'own.webm');
  writeFileSync(ownFile, own.bytes);
  const q = probe(ownFile);
  assert.deepEqual([q.codec_name, q.width, q.height, q.nb_read_frames], [p.codec_name, p.width, p.height, p.nb_read_frames], 'the same video');
  const ben = await login(node, 'technician', 'ben@demo.openassist.example', 'demo-tech-1');
  const notHis = await post(ben, id, 'export', PASSPHRASE);
  assert.equal(notHis.status, 404, notHis.bytes.toString());

  // Pictures that are not pictures: nothing to export.
  const garbled = await recordedSession(anna, 'Noise', [Buffer.alloc(5000, 7)], 300);
  const none = await post(mgr, garbled, 'export', PASSPHRASE);
  assert.equal(none.status, 409, none.bytes.toString());
  assert.equal(none.json.error.code, 'no_screen');
  const unknown = await post(mgr, 999999, 'export', PASSPHRASE);
  assert.equal(unknown.status, 404);
});
