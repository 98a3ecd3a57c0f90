// The support app's screen as tiles (docs/remote-control.md, "The app's
// screen") in the technician's console and the manager's live view, against
// the real node with its demo account. The customer and the app are raw
// WebSockets of the test; the tiles are JPEGs of one colour drawn in a page.
//   The app shares and sends a key frame of 8 tiles (left half red, right half
//   blue) on a 256x128 screen: Anna's viewer is a canvas of that size showing
//   them; a delta tile turns one square green and leaves the rest; a whole
//   JPEG after the tiles covers everything.
//   The manager watches live while the app sends tiles: the session asks the
//   app for a key frame, and the live view shows the picture as it is now.
// Run: OA_BIN=build/test/node/openassist OA_WEB_DIR=web/dist node --test tests/browser/console_tiles.test.mjs
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { COMPANY, waitForAttribute } from './helpers.mjs';
import { assertNoProblems, openManager, startIntake } from './intake_helpers.mjs';
import { BLUE, connectApp, consoleSession, GREEN, RED, solidJpegs, tileMessage, waitForPixel } from './console_app_helpers.mjs';

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

const YELLOW = [255, 255, 0];

/** The key frame: 4 x 2 tiles of 64 px, the left two columns red, the right two blue. */
function keyFrame(red, blue) {
  const tiles = [];
  for (let y = 0; y < 128; y += 64) for (let x = 0; x < 256; x += 64) tiles.push({ x, y, w: 64, h: 64, jpeg: x < 128 ? red : blue });
  return tileMessage(256, 128, true, tiles);
}

test("Anna's viewer draws the app's tiles in order; a whole image replaces them", { timeout: 120_000 }, async () => {
  const anna = await intake.console('anna');
  const { id, token, detail } = await consoleSession(intake, anna, 'Tilda', sockets);
  const [red, blue, green] = await solidJpegs(anna.page, 64, 64, ['#ff0000', '#0000ff', '#00ff00']);
  const [yellow] = await solidJpegs(anna.page, 256, 128, ['#ffff00']);

  const app = await connectApp(intake.node, id, token, sockets);
  await waitForAttribute(detail.getByTestId('app-state'), 'data-connected', 'true');
  assert.equal(await detail.getByTestId('app-connected').textContent(), 'Support app connected');

  const shared = await app.command('screen.share');
  assert.notEqual(shared.type, 'error', `screen.share: ${JSON.stringify(shared)}`);
  await waitForAttribute(detail.getByTestId('screen-panel'), 'data-sharing', 'true');
  app.ws.send(keyFrame(red, blue), { binary: true });

  const viewer = detail.getByTestId('screen-viewer');
  await waitForAttribute(viewer, 'data-kind', 'tiles');
  assert.equal(await viewer.evaluate((el) => el.tagName), 'CANVAS');
  await waitForPixel(viewer, 96, 96, RED, 'the key frame, left');
  await waitForPixel(viewer, 200, 32, BLUE, 'the key frame, right');
  assert.deepEqual(await viewer.evaluate((el) => [el.width, el.height]), [256, 128], 'a canvas of the screen size');

  // A delta: one tile, the rest stays.
  app.ws.send(tileMessage(256, 128, false, [{ x: 64, y: 64, w: 64, h: 64, jpeg: green }]), { binary: true });
  await waitForPixel(viewer, 96, 96, GREEN, 'the delta tile');
  await waitForPixel(viewer, 32, 32, RED, 'left of the delta, unchanged');
  await waitForPixel(viewer, 200, 100, BLUE, 'right of the delta, unchanged');

  // Several messages at once are drawn in order: the last one wins.
  for (const jpeg of [red, blue, green, blue]) app.ws.send(tileMessage(256, 128, false, [{ x: 0, y: 0, w: 64, h: 64, jpeg }]), { binary: true });
  await waitForPixel(viewer, 32, 32, BLUE, 'the last of four deltas');
  await new Promise((r) => setTimeout(r, 300));
  await waitForPixel(viewer, 32, 32, BLUE, 'still the last of four deltas', 100);

  // A whole image covers the picture.
  app.ws.send(yellow, { binary: true });
  await waitForPixel(viewer, 96, 96, YELLOW, 'the whole image');
  await waitForPixel(viewer, 200, 100, YELLOW, 'the whole image, right');

  assertNoProblems([anna]);
});

test("the manager's live view gets a key frame and shows the app's tiles", { timeout: 120_000 }, async () => {
  const anna = await intake.console('anna');
  const { id, token, detail } = await consoleSession(intake, anna, 'Tiberius', sockets);
  const [red, blue, green] = await solidJpegs(anna.page, 64, 64, ['#ff0000', '#0000ff', '#00ff00']);
  const app = await connectApp(intake.node, id, token, sockets);
  const shared = await app.command('screen.share');
  assert.notEqual(shared.type, 'error', `screen.share: ${JSON.stringify(shared)}`);
  // The app's screen now: the key frame and one green tile; a new key frame on request says it all.
  let delta = false;
  const current = () => {
    const tiles = [];
    for (let y = 0; y < 128; y += 64)
      for (let x = 0; x < 256; x += 64) tiles.push({ x, y, w: 64, h: 64, jpeg: delta && x === 64 && y === 64 ? green : x < 128 ? red : blue });
    return tileMessage(256, 128, true, tiles);
  };
  let keyframesAsked = 0;
  app.ws.on('message', (data, isBinary) => {
    if (isBinary) return;
    const parsed = JSON.parse(String(data));
    for (const m of Array.isArray(parsed) ? parsed : [parsed]) {
      if (m.type !== 'screen.keyframe') continue;
      keyframesAsked += 1;
      app.ws.send(current(), { binary: true });
    }
  });
  app.ws.send(current(), { binary: true });
  const viewer = detail.getByTestId('screen-viewer');
  await waitForPixel(viewer, 96, 96, RED, "Anna's viewer, the key frame");
  delta = true;
  app.ws.send(tileMessage(256, 128, false, [{ x: 64, y: 64, w: 64, h: 64, jpeg: green }]), { binary: true });
  await waitForPixel(viewer, 96, 96, GREEN, "Anna's viewer, the delta");

  const asked = keyframesAsked;
  const boss = await openManager(intake, COMPANY, { viewport: null });
  await boss.page.getByTestId('nav-sessions').click();
  await boss.page.locator(`[data-testid=session-row][data-request-id="${id}"] [data-testid=session-link]`).click();
  await waitForAttribute(boss.page.getByTestId('session-detail'), 'data-status', 'active');
  await boss.page.getByTestId('watch-live').click();
  const live = boss.page.getByTestId('live-view-monitor');
  await live.waitFor();
  const screen = live.getByTestId('monitor-screen');
  await waitForAttribute(screen, 'data-kind', 'tiles');
  await waitForPixel(screen, 96, 96, GREEN, 'the live view, after the key frame');
  await waitForPixel(screen, 32, 32, RED, 'the live view, left');
  await waitForPixel(screen, 200, 100, BLUE, 'the live view, right');
  assert.ok(keyframesAsked > asked, `the session asked the app for a key frame when the manager came (${keyframesAsked} > ${asked})`);

  assertNoProblems([anna, boss]);
});
