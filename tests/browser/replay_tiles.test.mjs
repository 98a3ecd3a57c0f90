// A recorded session of the support app replays its tiles (docs/recording.md,
// docs/remote-control.md "The app's screen"), against the real node with its
// demo account. The customer and the app are raw WebSockets of the test; the
// tiles are JPEGs of one colour drawn in a page.
//   The 'help' portal records (a replay passphrase set, recording on, over the
//   manager's API). The app shares and sends a key frame of 8 tiles (left half
//   red, right half blue) on a 256x128 screen, then a delta tile that turns
//   one square green; Anna closes the session. The manager opens the replay
//   with the passphrase: at the end the player's canvas shows the key frame
//   where no delta was drawn and the delta in its tile; seeking to the start
//   shows no picture, and playing on to the end draws the same again.
// Run: OA_BIN=build/test/node/openassist OA_WEB_DIR=web/dist node --test tests/browser/replay_tiles.test.mjs
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { COMPANY, until, waitForAttribute } from './helpers.mjs';
import { act, assertNoProblems, openManager, startIntake } from './intake_helpers.mjs';
import { BLUE, connectApp, consoleSession, GREEN, RED, solidJpegs, tileMessage, waitForPixel } from './console_app_helpers.mjs';

const PASSPHRASE = 'correct horse battery staple';

let intake;
const sockets = [];

before(async () => {
  intake = await startIntake();
});

afterEach(async () => {
  while (sockets.length > 0) sockets.pop().ws?.terminate();
  await intake?.closeAll();
});

after(async () => {
  await intake?.stop();
});

/** The key frame's colours and the delta's where it was drawn. */
async function expectFinalPicture(canvas, what) {
  await waitForPixel(canvas, 96, 96, GREEN, `${what}: the delta tile`);
  await waitForPixel(canvas, 32, 32, RED, `${what}: left of the delta, the key frame`);
  await waitForPixel(canvas, 96, 32, RED, `${what}: above the delta, the key frame`);
  await waitForPixel(canvas, 200, 100, BLUE, `${what}: right of the delta, the key frame`);
  assert.deepEqual(await canvas.evaluate((el) => [el.width, el.height]), [256, 128], `${what}: the screen's size`);
}

test("the manager's replay of a recorded session draws the app's tiles", { timeout: 180_000 }, async () => {
  // The portal records: a replay passphrase, then recording on.
  const help = (await intake.mc('GET', '/portals')).portals.find((p) => p.slug === 'help');
  await intake.mc('POST', `/portals/${help.id}/replay-keys`, { passphrase: PASSPHRASE });
  await intake.mc('PUT', `/portals/${help.id}`, { features: { recording: true } });
  assert.equal((await intake.mc('GET', '/portals')).portals.find((p) => p.slug === 'help').features.recording, true);
  await new Promise((r) => setTimeout(r, 3000)); // the desk's copy of the organisation follows within a second

  // A session with the app: a key frame of tiles, then a delta.
  const anna = await intake.console('anna');
  const { id, token, detail } = await consoleSession(intake, anna, 'Ramona', sockets);
  const [red, blue, green] = await solidJpegs(anna.page, 64, 64, ['#ff0000', '#0000ff', '#00ff00']);
  const app = await connectApp(intake.node, id, token, sockets);
  const shared = await app.command('screen.share');
  assert.notEqual(shared.type, 'error', `screen.share: ${JSON.stringify(shared)}`);
  await waitForAttribute(detail.getByTestId('screen-panel'), 'data-sharing', 'true');
  const tiles = [];
  for (let y = 0; y < 128; y += 64) for (let x = 0; x < 256; x += 64) tiles.push({ x, y, w: 64, h: 64, jpeg: x < 128 ? red : blue });
  app.ws.send(tileMessage(256, 128, true, tiles), { binary: true });
  const viewer = detail.getByTestId('screen-viewer');
  await waitForPixel(viewer, 96, 96, RED, "Anna's viewer, the key frame");
  await new Promise((r) => setTimeout(r, 700)); // the delta a moment later on the timeline
  app.ws.send(tileMessage(256, 128, false, [{ x: 64, y: 64, w: 64, h: 64, jpeg: green }]), { binary: true });
  await expectFinalPicture(viewer, "Anna's viewer");
  await new Promise((r) => setTimeout(r, 500));
  await act(anna, id, 'close');

  const info = await until(async () => {
    const r = await intake.mc('GET', `/requests/${id}/recording`);
    return r.recorded && !r.recording ? r : undefined;
  }, 'the recording finished');
  assert.equal(info.truncated, false);

  // The manager opens the replay with the passphrase: it opens at the end.
  const boss = await openManager(intake, COMPANY, { viewport: null });
  const { page } = boss;
  await page.goto(`${intake.node.publicUrl}/manage/#/sessions/${id}`);
  const recording = page.getByTestId('session-recording');
  await waitForAttribute(recording, 'data-recorded', 'true');
  await recording.getByLabel('Replay passphrase').fill(PASSPHRASE);
  await recording.getByTestId('replay-submit').click();
  const player = recording.getByTestId('replay-player');
  await player.waitFor();
  const screen = player.getByTestId('replay-screen');
  await waitForAttribute(screen, 'data-kind', 'tiles');
  assert.equal(await screen.evaluate((el) => el.tagName), 'CANVAS');
  await expectFinalPicture(screen, 'the replay at the end');

  // The start: no picture yet; playing on to the end draws the tiles again.
  const timeline = player.getByTestId('replay-timeline');
  const clock = player.getByTestId('replay-time');
  const duration = Number(await timeline.getAttribute('max'));
  assert.ok(duration > 700, `the recording lasts ${duration} ms`);
  await timeline.fill('0');
  await waitForAttribute(clock, 'data-offset-ms', '0');
  await player.getByTestId('replay-no-frame').waitFor();
  await player.getByTestId('replay-play').click();
  await waitForAttribute(player, 'data-playing', 'true');
  await waitForAttribute(player, 'data-playing', 'false', duration + 10_000);
  assert.equal(Number(await clock.getAttribute('data-offset-ms')), duration, 'played to the end');
  await waitForAttribute(screen, 'data-kind', 'tiles');
  await expectFinalPicture(screen, 'the replay played to the end');

  // Seeking back to the start and on to the end again.
  await timeline.fill('0');
  await player.getByTestId('replay-no-frame').waitFor();
  await timeline.fill(String(duration));
  await waitForAttribute(clock, 'data-offset-ms', String(duration));
  await expectFinalPicture(screen, 'the replay seeked to the end');

  assertNoProblems([anna, boss]);
});
