// A session recording exported as a WebM video in the Management Center
// (docs/recording.md), against the real node with its demo account:
//   The 'help' portal records (its replay passphrase and recording set over
//   the API). A customer shares her screen (getDisplayMedia is a 641x361
//   canvas: odd sides, the video's are rounded down to even ones) in a session
//   with Anna, who closes it; a second customer only chats. The manager opens
//   the first session: "Export video (WebM)" with a wrong passphrase is
//   refused; with the right one the button waits while the status says the
//   video is being made, then the browser downloads session-<id>.webm, an
//   EBML file that ffprobe reads as VP8 of the screen's size. The second
//   session has no screen: its export says there is no video.
// Run: OA_BIN=build/test/node/openassist OA_WEB_DIR=web/dist node --test tests/browser/recording_export.test.mjs
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { COMPANY, until, waitForAttribute, waitForText } from './helpers.mjs';
import { act, assertNoProblems, openManager, startIntake } from './intake_helpers.mjs';
import { joinedChat, say, waitForLine } from './chat_helpers.mjs';

const PASSPHRASE = 'correct horse battery staple';
const FFPROBE = process.env.OA_FFPROBE ?? '/usr/bin/ffprobe';
/** The shared screen's size: odd on purpose (VP8 wants even sides). */
const SCREEN = { width: 641, height: 361 };

let intake;
let dir;

before(async () => {
  intake = await startIntake();
  dir = await mkdtemp(join(tmpdir(), 'oa-export-'));
});

afterEach(async () => {
  await intake?.closeAll();
});

after(async () => {
  await intake?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Replaces getDisplayMedia with a canvas of `size` whose content changes ten times a second. */
function fakeScreen(size) {
  const fake = async () => {
    const canvas = document.createElement('canvas');
    canvas.width = size.width;
    canvas.height = size.height;
    const ctx = canvas.getContext('2d');
    let n = 0;
    const draw = () => {
      n += 1;
      ctx.fillStyle = `hsl(${(n * 37) % 360}, 70%, 45%)`;
      ctx.fillRect(0, 0, size.width, size.height);
      ctx.fillStyle = '#ffffff';
      ctx.font = '48px sans-serif';
      ctx.fillText(`frame ${n}`, 40, 180);
    };
    draw();
    setInterval(draw, 100);
    return canvas.captureStream(5);
  };
  if (!navigator.mediaDevices) Object.defineProperty(navigator, 'mediaDevices', { value: {}, configurable: true });
  navigator.mediaDevices.getDisplayMedia = fake;
}

/** The image's loaded picture size: {width, height} (0 while none). */
const picture = (img) =>
  img.evaluate((el) => ({ width: el.naturalWidth, height: el.naturalHeight })).catch(() => ({ width: 0, height: 0 }));

/** Waits until the request's recording is finished; resolves to its info. */
const finished = (id) =>
  until(async () => {
    const r = await intake.mc('GET', `/requests/${id}/recording`);
    return r.recorded && !r.recording ? r : undefined;
  }, `the recording of ${id} finished`);

/** ffprobe's view of the file: the first video stream (frames counted) and the duration. */
async function probe(file) {
  const { stdout } = await promisify(execFile)(FFPROBE, [
    '-v', 'error',
    '-count_frames',
    '-select_streams', 'v:0',
    '-show_entries', 'stream=codec_name,nb_read_frames,width,height',
    '-show_entries', 'format=duration',
    '-of', 'json',
    file,
  ]);
  const out = JSON.parse(stdout);
  const [stream] = out.streams ?? [];
  assert.ok(stream, `a video stream: ${stdout}`);
  return { ...stream, nb_read_frames: Number(stream.nb_read_frames), duration: Number(out.format?.duration) };
}

test('the manager exports a recorded session as a WebM video', { timeout: 120_000 }, async (t) => {
  // Recording on for 'help', with a passphrase (the UI for both is in recording.test.mjs).
  const { portals } = await intake.mc('GET', '/portals');
  const help = portals.find((p) => p.slug === 'help');
  await intake.mc('POST', `/portals/${help.id}/replay-keys`, { passphrase: PASSPHRASE });
  await intake.mc('PUT', `/portals/${help.id}`, { features: { recording: true } });
  await new Promise((r) => setTimeout(r, 3000)); // the desk's copy of the organisation follows within a second

  // A session with the customer's screen.
  const anna = await intake.console('anna');
  const { customer, id, chat, desk } = await joinedChat(intake, anna, 'Vera', {
    before: async (c) => {
      await c.context.addInitScript(fakeScreen, SCREEN);
      await c.page.reload();
      await c.form.waitFor();
    },
  });
  await say(chat, 'My screen looks odd');
  const detail = anna.page.locator(`[data-testid=request-detail][data-request-id="${id}"]`);
  await detail.getByTestId('screen-request').click();
  await customer.page.getByTestId('screen-allow').click();
  await customer.page.getByTestId('screen-sharing').waitFor();
  const viewer = detail.getByTestId('screen-viewer');
  const shown = await until(async () => {
    const p = await picture(viewer);
    return p.width > 0 ? p : undefined;
  }, "Anna's viewer shows a frame");
  await new Promise((r) => setTimeout(r, 2000)); // frames to record (at most 2 a second are kept)
  await say(desk, 'I see it, thanks');
  await act(anna, id, 'close');
  await waitForLine(desk, 'Anna closed the session');
  const info = await finished(id);

  // A session without a screen: chat only.
  const other = await joinedChat(intake, anna, 'Nora');
  await say(other.chat, 'Just a question');
  await act(anna, other.id, 'close');
  await waitForLine(other.desk, 'Anna closed the session');
  await finished(other.id);

  // The manager on the first session's page: a wrong passphrase, then the right one.
  const boss = await openManager(intake, COMPANY);
  const { page } = boss;
  // The export is held until the test has seen the page wait for it.
  let hold;
  await page.route(/\/recording\/export$/, async (route) => {
    await hold?.promise;
    await route.continue();
  });
  await page.goto(`${intake.node.publicUrl}/manage/#/sessions/${id}`);
  const recording = page.getByTestId('session-recording');
  await waitForAttribute(recording, 'data-recorded', 'true');
  const passphrase = recording.getByLabel('Replay passphrase');
  const exportButton = recording.getByTestId('recording-export');
  const status = recording.getByTestId('recording-export-status');
  const refusal = recording.getByTestId('recording-export-error');
  await waitForText(exportButton, /^Export video \(WebM\)$/);
  assert.equal(await exportButton.isDisabled(), true, 'no passphrase, no export');

  await passphrase.fill('wrong horse battery staple');
  await exportButton.click();
  await waitForText(refusal, /^Export refused: wrong passphrase/);
  assert.equal(await refusal.getAttribute('role'), 'alert');
  assert.equal(await status.textContent(), '');
  assert.equal(await recording.getByTestId('replay-player').count(), 0, 'nothing replayed');

  await passphrase.fill(PASSPHRASE);
  let release;
  hold = { promise: new Promise((r) => (release = r)) };
  const download = page.waitForEvent('download', { timeout: 60_000 });
  await exportButton.click();
  await waitForAttribute(status, 'data-state', 'running');
  await waitForText(status, /^Making the video… this can take a minute$/);
  assert.equal(await status.getAttribute('role'), 'status');
  assert.equal(await exportButton.isDisabled(), true, 'one export at a time');
  assert.equal(await recording.getByTestId('replay-submit').isDisabled(), true, 'no replay meanwhile');
  await refusal.waitFor({ state: 'detached' });
  hold = undefined;
  release();

  const saved = await download;
  assert.equal(await saved.failure(), null);
  assert.equal(saved.suggestedFilename(), `session-${id}.webm`);
  const file = join(dir, saved.suggestedFilename());
  await saved.saveAs(file);
  await waitForAttribute(status, 'data-state', 'done', 30_000);
  const bytes = await readFile(file);
  const size = /\(([\d.,]+) (B|KB|MB)\)$/.exec(await status.textContent());
  assert.match(await status.textContent(), new RegExp(`^Video ready: session-${id}\\.webm \\(`));
  assert.ok(size, `a size: ${await status.textContent()}`);
  assert.equal(await passphrase.inputValue(), '', 'the passphrase is not kept');
  assert.ok(bytes.length > 100, `${bytes.length} bytes`);
  assert.deepEqual([...bytes.subarray(0, 4)], [0x1a, 0x45, 0xdf, 0xa3], 'an EBML (WebM) file');

  const video = await probe(file);
  assert.equal(video.codec_name, 'vp8');
  assert.ok(video.nb_read_frames >= 1, `${video.nb_read_frames} frames`);
  assert.ok(video.duration > 0, `duration ${video.duration}`);
  const span = (info.ended_ms - info.started_ms) / 1000;
  assert.ok(video.duration <= span + 1, `duration ${video.duration} s of a ${span} s recording`);
  const even = (n) => n - (n % 2);
  assert.deepEqual([shown.width, shown.height], [SCREEN.width, SCREEN.height], 'the frames as the screen was');
  assert.deepEqual([video.width, video.height], [even(shown.width), even(shown.height)], 'even sides');
  t.diagnostic(
    `${bytes.length} bytes, ${video.width}x${video.height}, ${video.nb_read_frames} frames, ${video.duration} s ` +
      `(recording ${span} s)`,
  );
  if (process.env.OA_SCREENSHOT_EXPORT) await recording.screenshot({ path: process.env.OA_SCREENSHOT_EXPORT });

  // The chat-only session: nothing to export.
  await page.goto(`${intake.node.publicUrl}/manage/#/sessions/${other.id}`);
  await waitForAttribute(recording, 'data-recorded', 'true');
  await passphrase.fill(PASSPHRASE);
  await exportButton.click();
  await waitForText(refusal, /^This recording has no shared screen, so there is no video to export\.$/, 30_000);
  assert.equal(await status.getAttribute('data-state'), 'failed');

  const exportPath = (request) => `/api/v1/requests/${request}/recording/export`;
  assertNoProblems(
    [anna, customer, other.customer, boss],
    [
      { status: 403, path: exportPath(id) },
      { status: 409, path: exportPath(other.id) },
    ],
  );
});
