// Issue 14's acceptance test with the REAL support app (agent/,
// openassist-agent, with its FLTK window) on an X server of its own (Xvfb,
// 1280x800), against the real node with its demo account, and Anna's console
// in headless Chromium (docs/remote-control.md). On the X server, the X test
// client (tests/agent/oa_xtool.cpp) maps a window at (600, 400), 400 x 300,
// and logs every button and key event that reaches it; it also clicks the
// app's own buttons (XTest) as the customer would.
//   The customer gets a code, the app starts with the link: its screen
//   arrives in Anna's viewer as tiles (a canvas of 1280 x 800 showing the
//   target window's colour).
//   Remote control switched off (the default): the console offers no Request
//   control, and a click on the viewer over the target reaches nothing.
//   Switched on: Anna asks, the app's "Allow remote control?" window appears;
//   Deny: the console says the customer declined, clicks reach nothing.
//   Asked again, Allow: the console says Anna controls; a click on the picture
//   at screen pixel (800, 550) presses the button there on the customer's
//   screen, "ab" typed on the focused viewer arrives as the keys a and b.
//   The app's own Stop control: the console shows control ended, a click
//   reaches nothing. The app's Stop sharing: the console's viewer goes away
//   at once. The customer cancels: the app exits with code 0 by itself.
// Run: OA_BIN=build/test/node/openassist OA_WEB_DIR=web/dist node --test tests/browser/agent.test.mjs
// (OA_AGENT and OA_XTOOL name the app and the X test client when they are not
// in build/test; outside ctest, set UBSAN_OPTIONS and LSAN_OPTIONS as
// tests/CMakeLists.txt does, or the sanitized node's exit fails the run.)
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { waitForAttribute, waitForText } from './helpers.mjs';
import { assertNoProblems, startIntake } from './intake_helpers.mjs';
import { allowRemoteControl, consoleSession, waitForPixel } from './console_app_helpers.mjs';
import { appCode } from './app_helpers.mjs';
import { consoleChat, waitForLine } from './chat_helpers.mjs';
import { AGENT, XTOOL, runOnDisplay, startXvfb } from '../harness/xvfb.mjs';

const SCREEN = { width: 1280, height: 800 };
/** The X test client's window (oa_xtool log): where clicks should land. */
const TARGET = { x: 600, y: 400, w: 400, h: 300, rgb: [0x33, 0x66, 0xcc] };
/** The point of the screen Anna clicks, inside the target window. */
const SPOT = { x: 800, y: 550 };
/** How long a click that should reach nothing is given to arrive anyway. */
const QUIET_MS = 1500;

let intake;
let x;
const sockets = [];
const procs = [];

before(async () => {
  x = await startXvfb(SCREEN);
  intake = await startIntake();
});

afterEach(async () => {
  while (procs.length > 0) await procs.pop().stop();
  while (sockets.length > 0) sockets.pop().ws?.terminate();
  await intake?.closeAll();
});

after(async () => {
  try {
    await intake?.stop();
  } finally {
    await x?.stop();
  }
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The button and key events oa_xtool logged, from output line `from` on. */
function xEvents(xtool, from = 0) {
  const out = [];
  for (const line of xtool.lines.slice(from)) {
    if (!line.startsWith('{')) continue;
    try {
      const e = JSON.parse(line);
      if (e.t) out.push(e);
    } catch {
      // not one of its lines
    }
  }
  return out;
}

/** Waits until oa_xtool's events from line `from` on satisfy `check`; resolves to them. */
async function waitForXEvents(xtool, from, check, what, timeout = 10_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const events = xEvents(xtool, from);
    if (check(events)) return events;
    if (Date.now() > deadline) throw new Error(`${what}: oa_xtool logged ${JSON.stringify(events)}`);
    await sleep(50);
  }
}

/** Asserts that oa_xtool logs nothing from line `from` on for a while. */
async function assertNothingReaches(xtool, from, what) {
  await sleep(QUIET_MS);
  assert.deepEqual(xEvents(xtool, from), [], `${what}: nothing reaches the customer's screen`);
}

/** Runs `oa_xtool click-named NAME DX DY` on the display; resolves once it clicked. */
async function clickNamed(name, dx, dy) {
  const click = runOnDisplay(XTOOL, ['click-named', name, String(dx), String(dy)], x.display);
  const { code, signal } = await click.exited;
  assert.equal(code, 0, `oa_xtool click-named ${name} ${dx} ${dy}: ${signal ?? ''} ${click.lines.join(' | ')}`);
}

/**
 * Whether a window named `name` is mapped and viewable on the display
 * (xwininfo, of x11-utils: Debian's chromium depends on it).
 */
async function windowShown(name) {
  const info = runOnDisplay('xwininfo', ['-name', name], x.display);
  await info.exited;
  return info.lines.some((l) => /Map State:\s+IsViewable/.test(l));
}

/** Waits until the window named `name` is mapped (shown === true) or not. */
async function waitForWindow(name, shown, timeout = 10_000) {
  const deadline = Date.now() + timeout;
  while ((await windowShown(name)) !== shown) {
    if (Date.now() > deadline) throw new Error(`the window "${name}" is ${shown ? 'not shown' : 'still shown'}`);
    await sleep(100);
  }
}

/**
 * The viewport point of the fraction (fx, fy) of the picture: inside the
 * content box (borders and padding left out), where object-fit puts it.
 */
function pointOf(viewer, fx, fy) {
  return viewer.evaluate(
    (el, { fx, fy }) => {
      const r = el.getBoundingClientRect();
      const css = getComputedStyle(el);
      const px = (v) => parseFloat(v) || 0;
      const left = r.left + px(css.borderLeftWidth) + px(css.paddingLeft);
      const top = r.top + px(css.borderTopWidth) + px(css.paddingTop);
      const cw = r.width - px(css.borderLeftWidth) - px(css.paddingLeft) - px(css.paddingRight) - px(css.borderRightWidth);
      const ch = r.height - px(css.borderTopWidth) - px(css.paddingTop) - px(css.paddingBottom) - px(css.borderBottomWidth);
      const nw = el.naturalWidth ?? el.width;
      const nh = el.naturalHeight ?? el.height;
      let dw = cw;
      let dh = ch;
      if (css.objectFit === 'contain') {
        const scale = Math.min(cw / nw, ch / nh);
        dw = nw * scale;
        dh = nh * scale;
      }
      return { x: left + (cw - dw) / 2 + fx * dw, y: top + (ch - dh) / 2 + fy * dh, shown: { w: dw, h: dh } };
    },
    { fx, fy },
  );
}

/** Clicks the viewer at the picture point of screen pixel (sx, sy). */
async function clickScreenPixel(page, viewer, sx, sy) {
  const at = await pointOf(viewer, sx / SCREEN.width, sy / SCREEN.height);
  await page.mouse.click(at.x, at.y);
  return at;
}

test("the real support app: Anna's console controls the customer's screen only when allowed", { timeout: 240_000 }, async () => {
  // Something on the customer's screen that logs what reaches it.
  const xtool = runOnDisplay(XTOOL, ['log', ...[TARGET.x, TARGET.y, TARGET.w, TARGET.h].map(String), 'target'], x.display);
  procs.push(xtool);
  await xtool.waitForLine((l) => l.includes('"ready":true'));

  const anna = await intake.console('anna');
  const page = anna.page;
  const { cust, id, token, detail } = await consoleSession(intake, anna, 'Agathe', sockets);
  const appState = detail.getByTestId('app-state');
  await waitForAttribute(appState, 'data-connected', 'false');

  // The customer gets a code; the app starts with the link, with its window.
  const code = await appCode(intake.node, id, token);
  assert.equal(code.status, 201, `app-code: ${code.status} ${code.text}`);
  const link = code.json.link.replace(/^https?:\/\/[^/]+/, intake.node.publicUrl);
  const agent = runOnDisplay(AGENT, [link, '--display', x.display], x.display);
  procs.push(agent);
  const appLog = () => agent.lines.join(' | ');
  await waitForAttribute(appState, 'data-connected', 'true', 20_000).catch((e) => {
    throw new Error(`${e.message}; the app: ${appLog()}`);
  });
  await waitForWindow('openassist support', true);

  // Its screen arrives in Anna's viewer as tiles: a canvas of the screen's size.
  await waitForAttribute(detail.getByTestId('screen-panel'), 'data-sharing', 'true', 15_000);
  const viewer = detail.getByTestId('screen-viewer');
  await waitForAttribute(viewer, 'data-kind', 'tiles', 15_000);
  assert.equal(await viewer.evaluate((el) => el.tagName), 'CANVAS');
  assert.deepEqual(await viewer.evaluate((el) => [el.width, el.height]), [SCREEN.width, SCREEN.height]);
  await waitForPixel(viewer, SPOT.x, SPOT.y, TARGET.rgb, 'the target window in the picture', 15_000);
  assert.ok(Number(await viewer.getAttribute('data-frames')) >= 1);

  // Remote control is off (the default): no asking, and a click on the
  // picture over the target reaches nothing.
  await detail.getByTestId('app-connected').waitFor();
  assert.equal(await detail.getByTestId('control-request').count(), 0, 'no Request control while switched off');
  assert.equal(await appState.getAttribute('data-control'), 'none');
  let mark = xtool.lines.length;
  await clickScreenPixel(page, viewer, SPOT.x, SPOT.y);
  await page.keyboard.type('x');
  await assertNothingReaches(xtool, mark, 'remote control switched off');

  // Switched on: Anna asks; the app asks the customer in its own window.
  await allowRemoteControl(intake);
  const request = detail.getByTestId('control-request');
  await request.waitFor({ timeout: 10_000 });
  assert.equal(await request.textContent(), 'Request control');
  await request.click();
  await detail.getByTestId('control-asked').waitFor();
  await waitForWindow('Allow remote control?', true);

  // The customer denies.
  await clickNamed('Allow remote control?', 360, 115);
  const toast = page.locator('[data-testid=toast][data-code=control-declined]');
  await waitForText(toast, /The customer declined remote control/);
  await detail.getByTestId('control-declined').waitFor();
  assert.equal(await detail.getByTestId('control-active').count(), 0);
  assert.equal(await appState.getAttribute('data-control'), 'none');
  await waitForWindow('Allow remote control?', false);
  mark = xtool.lines.length;
  await clickScreenPixel(page, viewer, SPOT.x, SPOT.y);
  await assertNothingReaches(xtool, mark, 'control declined');

  // Asked again, the customer allows.
  await request.click();
  await detail.getByTestId('control-asked').waitFor();
  await waitForWindow('Allow remote control?', true);
  await clickNamed('Allow remote control?', 270, 115);
  const active = detail.getByTestId('control-active');
  await active.waitFor();
  await waitForText(active, /^You control the customer's mouse and keyboard/);
  await waitForAttribute(appState, 'data-control', 'mine');
  await waitForWindow('Allow remote control?', false);

  // A click on the picture presses the button at that place of the customer's screen.
  mark = xtool.lines.length;
  const at = await clickScreenPixel(page, viewer, SPOT.x, SPOT.y);
  const clicked = await waitForXEvents(
    xtool,
    mark,
    (es) => es.some((e) => e.t === 'button' && e.down === false),
    `a click at (${SPOT.x}, ${SPOT.y}) (viewport ${at.x}, ${at.y}, picture shown ${at.shown.w} x ${at.shown.h})`,
  );
  const buttons = clicked.filter((e) => e.t === 'button');
  assert.deepEqual(
    buttons.map((e) => [e.button, e.down]),
    [
      [1, true],
      [1, false],
    ],
    'the left button pressed and released',
  );
  for (const e of buttons)
    assert.ok(
      Math.abs(e.x - SPOT.x) <= 3 && Math.abs(e.y - SPOT.y) <= 3,
      `the button at (${e.x}, ${e.y}), expected near (${SPOT.x}, ${SPOT.y})`,
    );

  // Typing on the focused viewer reaches the customer's screen key by key.
  assert.equal(await detail.getByTestId('screen-stage').evaluate((el) => el === document.activeElement), true, 'the viewer has the focus');
  mark = xtool.lines.length;
  await page.keyboard.type('ab');
  const typed = await waitForXEvents(xtool, mark, (es) => es.filter((e) => e.t === 'key').length >= 4, 'the keys a and b');
  assert.deepEqual(
    typed.filter((e) => e.t === 'key').map((e) => `${e.keysym}:${e.down ? 'down' : 'up'}`),
    ['a:down', 'a:up', 'b:down', 'b:up'],
  );
  assert.equal(await detail.getByTestId('chat-input').inputValue(), '', "the console's chat input got nothing");

  // The customer's Stop control in the app's window: the console shows it ended.
  await clickNamed('openassist support', 315, 431);
  await active.waitFor({ state: 'detached' });
  await waitForAttribute(appState, 'data-control', 'none');
  await waitForLine(consoleChat(anna, id), 'Remote control ended');
  await request.waitFor();
  mark = xtool.lines.length;
  await clickScreenPixel(page, viewer, SPOT.x, SPOT.y);
  await page.keyboard.type('c');
  await assertNothingReaches(xtool, mark, 'after Stop control');

  // The customer's Stop sharing in the app's window: the viewer goes away at once.
  const stopped = Date.now();
  await clickNamed('openassist support', 105, 431);
  await waitForAttribute(detail.getByTestId('screen-panel'), 'data-sharing', 'false', 2_000);
  await viewer.waitFor({ state: 'detached', timeout: 500 });
  const gone = Date.now() - stopped;
  assert.ok(gone < 2_000, `the viewer went after ${gone} ms`);

  // The customer leaves: the session ends, the app says so and exits by itself.
  await cust.command('customer.cancel');
  let timer;
  const ended = await Promise.race([agent.exited, new Promise((r) => (timer = setTimeout(r, 20_000, null)))]);
  clearTimeout(timer);
  assert.ok(ended, `the app exits when the session ends: ${appLog()}`);
  assert.deepEqual(ended, { code: 0, signal: null }, appLog());
  procs.splice(procs.indexOf(agent), 1);

  assertNoProblems([anna]);
});
