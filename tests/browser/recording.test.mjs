// Session recording and replay in the browser (docs/recording.md), against the
// real node with its demo account, each person in a browser context of their
// own:
//   The company manager sets the 'help' portal's replay passphrase and turns
//   recording on in the Management Center (the page warns while the portal
//   would record without a passphrase). A customer and Anna chat both ways (a
//   private note too) and the customer shares her screen (getDisplayMedia is a
//   canvas stream, as in screen.test.mjs); Anna closes the session. The
//   manager opens the session: a wrong passphrase is refused, the right one
//   opens the player with the chat as it was sent and a screen picture;
//   seeking to the start shows less, playing moves the time on, seeking to
//   the end shows every line again.
// Also: the replay stream parser (web/src/manage/replay.ts) on streams made here.
// Run: OA_BIN=build/test/node/openassist OA_WEB_DIR=web/dist node --test tests/browser/recording.test.mjs
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import esbuild from '../../web/node_modules/esbuild/lib/main.js';
import { COMPANY, until, waitForAttribute, waitForText } from './helpers.mjs';
import { act, assertNoProblems, openManager, startIntake } from './intake_helpers.mjs';
import { joinedChat, say, shownLines, summary, waitForLine, waitForLines } from './chat_helpers.mjs';

const PASSPHRASE = 'correct horse battery staple';
const SCREENSHOT = process.env.OA_SCREENSHOT_RECORDING ?? '/tmp/manage-recording.png';

let intake;

before(async () => {
  intake = await startIntake();
});

afterEach(async () => {
  await intake?.closeAll();
});

after(async () => {
  await intake?.stop();
});

/** Replaces getDisplayMedia with a 640x360 canvas whose content changes ten times a second. */
function fakeScreen() {
  const fake = async () => {
    const canvas = document.createElement('canvas');
    canvas.width = 640;
    canvas.height = 360;
    const ctx = canvas.getContext('2d');
    let n = 0;
    const draw = () => {
      n += 1;
      ctx.fillStyle = `hsl(${(n * 37) % 360}, 70%, 45%)`;
      ctx.fillRect(0, 0, 640, 360);
      ctx.fillStyle = '#ffffff';
      ctx.font = '48px sans-serif';
      ctx.fillText(`frame ${n}`, 40, 180);
    };
    draw();
    setInterval(draw, 100);
    window.__screenStream = canvas.captureStream(5);
    return window.__screenStream;
  };
  if (!navigator.mediaDevices) Object.defineProperty(navigator, 'mediaDevices', { value: {}, configurable: true });
  navigator.mediaDevices.getDisplayMedia = fake;
}

/** The image's loaded picture: {src, width, height} (width 0 while none). */
const picture = (img) => img.evaluate((el) => ({ src: el.src, width: el.naturalWidth, height: el.naturalHeight }));

test('the manager replays a recorded session with the passphrase only', { timeout: 180_000 }, async () => {
  const boss = await openManager(intake, COMPANY, { viewport: null });
  const { page } = boss;
  const { portals } = await intake.mc('GET', '/portals');
  const help = portals.find((p) => p.slug === 'help');
  assert.notEqual(help.features?.recording, true, 'the demo portal does not record yet');

  // The portal's page: recording on warns while there is no passphrase.
  await page.goto(`${intake.node.publicUrl}/manage/#/portals/${help.id}`);
  const form = page.getByTestId('portal-form');
  await form.waitFor();
  const settings = page.getByTestId('portal-recording');
  const panel = page.getByTestId('replay-passphrase');
  await waitForAttribute(panel.getByTestId('replay-passphrase-state'), 'data-set', 'false');
  assert.match(await panel.getByTestId('replay-passphrase-warning').textContent(), /cannot be reset or recovered/);
  assert.match(await panel.getByTestId('replay-passphrase-warning').textContent(), /only with the passphrase/);
  assert.equal(await settings.getByTestId('recording-no-passphrase').count(), 0, 'no warning while off');
  assert.equal(await page.getByTestId('portal-features').getByTestId('feature-recording').count(), 0, 'one switch');
  await settings.getByLabel('Record sessions').check();
  await waitForAttribute(settings, 'data-recording', 'on');
  const noPassphrase = settings.getByTestId('recording-no-passphrase');
  await waitForText(noPassphrase, /Nothing is recorded until a replay passphrase is set/);
  await settings.getByLabel('Largest recording (MB)').fill('50');
  await settings.getByLabel('Keep recordings (days)').fill('30');

  // The passphrase: too short, then not repeated alike, then set.
  const passphraseForm = panel.getByTestId('replay-passphrase-form');
  const first = passphraseForm.getByLabel('New passphrase');
  const second = passphraseForm.getByLabel('Repeat the passphrase');
  await first.fill('short');
  await second.fill('short');
  await panel.getByTestId('replay-passphrase-submit').click();
  const fieldError = (name) => passphraseForm.locator(`[data-testid=field-error][data-field=${name}]`);
  await waitForText(fieldError('passphrase'), /At least 10 characters/);
  await first.fill(PASSPHRASE);
  await second.fill(`${PASSPHRASE}!`);
  await panel.getByTestId('replay-passphrase-submit').click();
  await waitForText(fieldError('repeat'), /differ/);
  await second.fill(PASSPHRASE);
  await panel.getByTestId('replay-passphrase-submit').click();
  await waitForAttribute(panel.getByTestId('replay-passphrase-state'), 'data-set', 'true');
  await waitForText(page.getByTestId('notice'), /Replay passphrase set \(generation 1\)/);
  assert.equal(await first.inputValue(), '', 'the passphrase is not kept in the form');
  const generations = panel.getByTestId('replay-key-generation');
  assert.equal(await generations.count(), 1);
  assert.equal(await generations.first().getAttribute('data-generation'), '1');
  await noPassphrase.waitFor({ state: 'detached' });
  if (process.env.OA_SCREENSHOT_PORTAL) {
    await settings.screenshot({ path: `${process.env.OA_SCREENSHOT_PORTAL}-settings.png` });
    await panel.screenshot({ path: `${process.env.OA_SCREENSHOT_PORTAL}-panel.png` });
  }
  // Setting the passphrase kept what the portal form holds; save it.
  assert.equal(await settings.getByLabel('Record sessions').isChecked(), true);
  await page.getByTestId('portal-save').click();
  await page.locator('[data-testid=portal-row][data-slug=help]').waitFor();
  const saved = (await intake.mc('GET', '/portals')).portals.find((p) => p.slug === 'help');
  assert.equal(saved.features.recording, true);
  assert.equal(saved.recording_max_mb, 50);
  assert.equal(saved.recording_retention_days, 30);
  const keys = await intake.mc('GET', `/portals/${help.id}/replay-keys`);
  assert.deepEqual(keys.generations.map((g) => g.generation), [1]);
  await new Promise((r) => setTimeout(r, 3000)); // the desk's copy of the organisation follows within a second

  // A recorded session: chat both ways, a private note, the customer's screen.
  const anna = await intake.console('anna');
  const { customer, id, chat, desk } = await joinedChat(intake, anna, 'Rosa', {
    before: async (c) => {
      await c.context.addInitScript(fakeScreen);
      await c.page.reload();
      await c.form.waitFor();
    },
  });
  const sent = [];
  const write = async (side, from, text, { isPrivate = false } = {}) => {
    await say(side, text);
    sent.push({ from, text, private: isPrivate });
  };
  await write(chat, 'customer', 'My printer prints blank pages');
  await write(desk, 'technician', 'Let me have a look at your screen');
  await desk.getByTestId('chat-private').check();
  await write(desk, 'technician', 'Private: probably the toner', { isPrivate: true });
  await desk.getByTestId('chat-private').uncheck();

  const detail = anna.page.locator(`[data-testid=request-detail][data-request-id="${id}"]`);
  await detail.getByTestId('screen-request').click();
  await customer.page.getByTestId('screen-allow').click();
  await customer.page.getByTestId('screen-sharing').waitFor();
  const viewer = detail.getByTestId('screen-viewer');
  await until(async () => (await picture(viewer).catch(() => ({ width: 0 }))).width > 0, "Anna's viewer shows a frame");
  await new Promise((r) => setTimeout(r, 1500)); // frames to record (at most 2 a second are kept)
  await write(chat, 'customer', 'Can you see it now?');
  await write(desk, 'technician', 'Yes, I see it. Thanks!');
  await waitForLine(chat, 'Yes, I see it. Thanks!');
  await act(anna, id, 'close');
  await waitForLine(desk, 'Anna closed the session');
  const deskLines = summary(await shownLines(desk));

  const info = await until(async () => {
    const r = await intake.mc('GET', `/requests/${id}/recording`);
    return r.recorded && !r.recording ? r : undefined;
  }, 'the recording finished');
  assert.equal(info.generation, 1);
  assert.equal(info.truncated, false);

  // The manager opens the session: its recording, a wrong passphrase, the right one.
  await page.goto(`${intake.node.publicUrl}/manage/#/sessions/${id}`);
  const recording = page.getByTestId('session-recording');
  await waitForAttribute(recording, 'data-recorded', 'true');
  await waitForAttribute(recording.getByTestId('recording-size'), 'data-bytes', String(info.bytes));
  assert.equal(await recording.getByTestId('recording-truncated').count(), 0);
  assert.equal(await recording.getByTestId('recording-ongoing').count(), 0);
  const passphrase = recording.getByLabel('Replay passphrase');
  await passphrase.fill('wrong horse battery staple');
  await recording.getByTestId('replay-submit').click();
  const refusal = recording.getByTestId('replay-error');
  await waitForText(refusal, /wrong passphrase/);
  assert.equal(await refusal.getAttribute('role'), 'alert');
  assert.equal(await recording.getByTestId('replay-player').count(), 0, 'nothing to play');

  await passphrase.fill(PASSPHRASE);
  await recording.getByTestId('replay-submit').click();
  const player = recording.getByTestId('replay-player');
  await player.waitFor();
  await refusal.waitFor({ state: 'detached' });
  const replayChat = player.getByTestId('replay-chat');

  // At first the player is at the end: the whole chat, a screen picture.
  const all = await shownLines(replayChat);
  const written = all
    .filter((l) => l.from !== 'system')
    .map((l) => ({ from: l.from, text: l.text, private: l.private }));
  assert.deepEqual(written, sent, 'the chat as it was sent, in order');
  const badges = replayChat.locator('[data-testid=chat-line][data-private=true] [data-testid=chat-private-badge]');
  assert.equal(await badges.count(), 1, 'the private note is marked');
  for (const line of summary(all)) assert.ok(deskLines.includes(line), `${line} as in the console`);
  assert.ok(
    all.some((l) => l.from === 'system' && l.text === 'Screen sharing started'),
    'the system lines are recorded too',
  );
  const screen = player.getByTestId('replay-screen');
  const shot = await until(async () => {
    const p = await picture(screen).catch(() => ({ width: 0 }));
    return p.width > 0 ? p : undefined;
  }, 'a screen picture in the player');
  assert.ok(shot.src.startsWith('blob:'), 'a blob: URL');
  assert.deepEqual([shot.width, shot.height], [640, 360]);

  // The start: less of the chat, no picture yet.
  const timeline = player.getByTestId('replay-timeline');
  const clock = player.getByTestId('replay-time');
  const duration = Number(await timeline.getAttribute('max'));
  assert.ok(duration > 1500, `the recording lasts ${duration} ms`);
  assert.equal(await clock.textContent(), `${clockOf(duration)} / ${clockOf(duration)}`, 'at the end at first');
  await timeline.fill('0');
  await waitForAttribute(clock, 'data-offset-ms', '0');
  await waitForText(clock, /^00:00 \/ \d\d:\d\d$/);
  const atStart = await shownLines(replayChat);
  assert.ok(atStart.length < all.length, `${atStart.length} of ${all.length} lines at the start`);
  assert.ok(!atStart.some((l) => l.text === 'Yes, I see it. Thanks!'));
  await player.getByTestId('replay-no-frame').waitFor();

  // Play: the time moves on, lines come; pause stops it.
  const play = player.getByTestId('replay-play');
  await waitForText(play, /^Play$/);
  await play.click();
  await waitForAttribute(player, 'data-playing', 'true');
  await waitForText(play, /^Pause$/);
  await until(async () => Number(await clock.getAttribute('data-offset-ms')) >= 500, 'the time moves on');
  await play.click();
  await waitForAttribute(player, 'data-playing', 'false');
  const paused = Number(await clock.getAttribute('data-offset-ms'));
  await new Promise((r) => setTimeout(r, 400));
  assert.equal(Number(await clock.getAttribute('data-offset-ms')), paused, 'paused, the time stands');

  // The end: every line again, and the picture.
  await timeline.fill(String(duration));
  await waitForAttribute(clock, 'data-offset-ms', String(duration));
  await waitForLines(replayChat, (ls) => ls.length === all.length, 'every line at the end');
  assert.deepEqual(summary(await shownLines(replayChat)), summary(all));
  await until(async () => (await picture(screen).catch(() => ({ width: 0 }))).width > 0, 'the picture at the end');
  await page.screenshot({ path: SCREENSHOT, fullPage: true });

  // Closing the player leaves the passphrase form, empty.
  await player.getByTestId('replay-close').click();
  await player.waitFor({ state: 'detached' });
  assert.equal(await recording.getByLabel('Replay passphrase').inputValue(), '');

  assertNoProblems([anna, customer, boss], [{ status: 403, path: `/api/v1/requests/${id}/recording/replay` }]);
});

const clockOf = (ms) => {
  const s = Math.floor(ms / 1000);
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
};

/** replay.ts bundled for node (it imports shared/chat.ts), imported from a data: URL. */
async function replayModule() {
  const entry = fileURLToPath(new URL('../../web/src/manage/replay.ts', import.meta.url));
  const out = await esbuild.build({ entryPoints: [entry], bundle: true, format: 'esm', write: false });
  const code = Buffer.from(out.outputFiles[0].text).toString('base64');
  return import(`data:text/javascript;base64,${code}`);
}

/** A replay stream of [kind, time, payload] records. */
function stream(records) {
  const parts = [Buffer.from('OAREPLAY1\n')];
  for (const [kind, time, payload] of records) {
    const body = Buffer.from(payload);
    const head = Buffer.alloc(13);
    head.writeUInt32BE(9 + body.length, 0);
    head.write(kind, 4, 'latin1');
    head.writeBigUInt64BE(BigInt(time), 5);
    parts.push(head, body);
  }
  return new Uint8Array(Buffer.concat(parts));
}

test('the replay stream parser and the timeline it gives', async () => {
  const { parseReplay, replayOf, frameAt, linesUntil, formatClock, ReplayFormatError } = await replayModule();
  const line = (seq, text, extra = {}) =>
    JSON.stringify({ seq, time: 1000, from: 'customer', name: '', technician_id: 0, text, private: false, ...extra });
  const bytes = stream([
    ['c', 1000, line(1, 'hello')],
    ['s', 1100, '{"sharing":true}'],
    ['f', 1200, 'JPEG-ONE'],
    ['c', 1500, line(2, 'note', { from: 'technician', private: true })],
    ['f', 2000, 'JPEG-TWO'],
    ['x', 2100, 'a kind from the future'],
    ['e', 62_500, '{"reason":"closed"}'],
  ]);
  const records = parseReplay(bytes);
  assert.deepEqual(
    records.map((r) => [r.kind, r.time]),
    [['c', 1000], ['s', 1100], ['f', 1200], ['c', 1500], ['f', 2000], ['x', 2100], ['e', 62_500]],
  );
  assert.equal(Buffer.from(records[2].payload).toString(), 'JPEG-ONE');
  const replay = replayOf(records);
  assert.equal(replay.start, 1000);
  assert.equal(replay.end, 62_500);
  assert.equal(replay.endReason, 'closed');
  assert.deepEqual(replay.sharing, [{ time: 1100, sharing: true }]);
  assert.equal(frameAt(replay, 1199), undefined);
  assert.equal(Buffer.from(frameAt(replay, 1200).image).toString(), 'JPEG-ONE');
  assert.equal(Buffer.from(frameAt(replay, 1999).image).toString(), 'JPEG-ONE');
  assert.equal(Buffer.from(frameAt(replay, 99_999).image).toString(), 'JPEG-TWO');
  assert.equal(frameAt(replay, 1200).type, 'image/jpeg');
  assert.deepEqual(linesUntil(replay, 999), []);
  assert.deepEqual(linesUntil(replay, 1000).map((l) => l.text), ['hello']);
  assert.deepEqual(linesUntil(replay, 1500).map((l) => [l.text, l.private]), [['hello', false], ['note', true]]);
  assert.equal(formatClock(replay.end - replay.start), '01:01');
  assert.equal(formatClock(0), '00:00');

  // Empty, not a replay stream, cut off.
  assert.deepEqual(parseReplay(stream([])), []);
  assert.equal(replayOf([]).end - replayOf([]).start, 0);
  assert.throws(() => parseReplay(new TextEncoder().encode('{"error":{}}')), ReplayFormatError);
  assert.throws(() => parseReplay(bytes.subarray(0, bytes.length - 3)), ReplayFormatError);
  assert.throws(() => parseReplay(bytes.subarray(0, 12)), ReplayFormatError);
});
