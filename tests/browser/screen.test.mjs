// Screen sharing in the browser (docs/sessions.md, "Screen sharing" and
// "Invisible monitoring"), against the real node with its demo account: a
// customer on the portal page, Anna in her console and the company manager in
// the Management Center, each in a browser context of their own. The
// customer's getDisplayMedia is a canvas stream (640x360, changing content).
//   Anna asks, the customer consents, Anna's viewer shows the newest frame;
//   the manager watches live (screen and chat, private notes marked) and
//   nobody sees the manager; Anna stops and the customer's banner goes.
// Run: OA_BIN=build/test/node/openassist OA_WEB_DIR=web/dist node --test tests/browser/screen.test.mjs
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { COMPANY, waitForAttribute } from './helpers.mjs';
import { assertNoProblems, openManager, startIntake } from './intake_helpers.mjs';
import { joinedChat, say, shownLines, summary, waitForLine, waitForLines } from './chat_helpers.mjs';

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
    window.__screenCalls = (window.__screenCalls ?? 0) + 1;
    window.__screenStream = canvas.captureStream(5);
    return window.__screenStream;
  };
  if (!navigator.mediaDevices) Object.defineProperty(navigator, 'mediaDevices', { value: {}, configurable: true });
  navigator.mediaDevices.getDisplayMedia = fake;
}

/** Waits until the image has loaded a picture and its src changed `changes` times; resolves to the srcs seen. */
async function waitForFrames(img, changes, what, timeout = 20_000) {
  const deadline = Date.now() + timeout;
  const seen = [];
  for (;;) {
    const now = await img
      .evaluate((el) => ({ src: el.src, width: el.naturalWidth, height: el.naturalHeight }))
      .catch(() => undefined);
    if (now && now.width > 0 && seen[seen.length - 1]?.src !== now.src) seen.push(now);
    if (seen.length > changes) return seen;
    if (Date.now() > deadline) throw new Error(`${what}: only ${JSON.stringify(seen)} shown`);
    await new Promise((r) => setTimeout(r, 40));
  }
}

const systemLines = (lines) => lines.filter((l) => l.from === 'system').map((l) => l.text);

test('Anna sees the customer\'s screen, the manager watches invisibly, Anna stops', { timeout: 120_000 }, async () => {
  const anna = await intake.console('anna');
  const { customer, id, chat, desk } = await joinedChat(intake, anna, 'Sheila', {
    before: async (c) => {
      await c.context.addInitScript(fakeScreen);
      await c.page.reload();
      await c.form.waitFor();
    },
  });
  await say(chat, 'My screen looks odd');
  await desk.getByTestId('chat-private').check();
  await say(desk, 'Private: check the drivers');
  await desk.getByTestId('chat-private').uncheck();

  // Anna asks; the customer is asked and allows.
  const detail = anna.page.locator(`[data-testid=request-detail][data-request-id="${id}"]`);
  const consent = customer.page.getByTestId('screen-consent');
  assert.equal(await consent.count(), 0, 'no prompt before the technician asks');
  await detail.getByTestId('screen-request').click();
  await consent.waitFor();
  assert.match(await consent.textContent(), /Anna asks to see your screen/);
  await customer.page.getByTestId('screen-allow').click();
  await customer.page.getByTestId('screen-sharing').waitFor();
  await consent.waitFor({ state: 'detached' });
  assert.equal(await customer.page.evaluate(() => window.__screenCalls), 1);
  await waitForLine(chat, 'Screen sharing started');
  await waitForLine(desk, 'Screen sharing started');

  // Anna's viewer shows the newest frame, a blob: URL that changes.
  await waitForAttribute(detail.getByTestId('screen-panel'), 'data-sharing', 'true');
  const viewer = detail.getByTestId('screen-viewer');
  await viewer.waitFor();
  const frames = await waitForFrames(viewer, 2, "Anna's viewer");
  assert.ok(frames.every((f) => f.src.startsWith('blob:')), 'frames are blob: URLs');
  assert.deepEqual([frames[0].width, frames[0].height], [640, 360], 'the picture keeps its size (under 1280 px)');
  assert.equal(await detail.getByTestId('screen-viewer').count(), 1, 'one image');

  const customerBefore = summary(await shownLines(chat));
  const deskBefore = summary(await shownLines(desk));

  // The manager watches: Sessions → the session → Watch live.
  const boss = await openManager(intake, COMPANY, { viewport: null });
  await boss.page.getByTestId('nav-sessions').click();
  await boss.page.locator(`[data-testid=session-row][data-request-id="${id}"] [data-testid=session-link]`).click();
  const session = boss.page.getByTestId('session-detail');
  await waitForAttribute(session, 'data-status', 'active');
  await boss.page.getByTestId('watch-live').click();
  const live = boss.page.getByTestId('live-view-monitor');
  await live.waitFor();
  await waitForAttribute(live, 'data-synced', 'true');
  const monitorChat = live.getByTestId('monitor-chat');
  const seen = await waitForLines(
    monitorChat,
    (ls) => ls.some((l) => l.text === 'Screen sharing started'),
    'the chat in the live view',
  );
  assert.deepEqual(summary(seen), deskBefore, 'the manager sees the chat as the technician does');
  assert.ok(seen.some((l) => l.private && l.text === 'Private: check the drivers'), 'private notes marked');
  assert.equal(await live.locator('[data-testid=chat-line][data-private=true] [data-testid=chat-private-badge]').count(), 1);
  assert.equal(await live.locator('textarea, input, [data-testid=chat-input]').count(), 0, 'nothing to write');
  const monitorFrames = await waitForFrames(live.getByTestId('monitor-screen'), 1, "the manager's screen view");
  assert.ok(monitorFrames[0].src.startsWith('blob:'));

  // Lines go on arriving live.
  await say(chat, 'Do you see it?');
  await waitForLine(monitorChat, 'Do you see it?');

  // Nobody sees the manager: no new system line on either side.
  await new Promise((r) => setTimeout(r, 500));
  const customerAfter = await shownLines(chat);
  const deskAfter = await shownLines(desk);
  assert.deepEqual(summary(customerAfter), [...customerBefore, summary(customerAfter).at(-1)]);
  assert.deepEqual(summary(deskAfter).slice(0, deskBefore.length), deskBefore);
  assert.deepEqual(systemLines(customerAfter), ['Anna joined the session', 'Screen sharing started']);
  assert.deepEqual(systemLines(deskAfter), ['Anna joined the session', 'Screen sharing started']);

  // Anna stops: the customer's banner goes, the viewer goes, she can ask again.
  await detail.getByTestId('screen-stop').click();
  await customer.page.getByTestId('screen-sharing').waitFor({ state: 'detached' });
  await waitForLine(chat, 'Screen sharing stopped');
  await waitForLine(desk, 'Screen sharing stopped');
  await viewer.waitFor({ state: 'detached' });
  await detail.getByTestId('screen-request').waitFor();
  await live.getByTestId('monitor-no-screen').waitFor();
  const track = await customer.page.evaluate(() => window.__screenStream.getVideoTracks()[0].readyState);
  assert.equal(track, 'ended', 'the capture stopped');

  assertNoProblems([anna, customer, boss]);
});
