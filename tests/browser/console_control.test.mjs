// The technician's side of the support app (docs/remote-control.md) in the
// console, against the real node with its demo account. Anna is in her
// console in the browser; the customer and the customer's support app are raw
// WebSockets of the test (remote control switched on for Anna and the portal).
//   Without the app the screen area says how the customer gets it; with it,
//   "Support app connected", Request control and Computer details.
//   Anna asks for control, the app accepts: the console says she controls;
//   a click on the picture (normal size, then enlarged with letterboxing) and
//   typing "ab" reach the app as control.input with the click's place as
//   fractions of the picture and the keys by code; the console's own inputs
//   get nothing. Stop control: the app is told, further input is not sent.
//   Asked again, the app declines: the console says so.
//   Computer details: the app answers diagnostics.requested with a report,
//   the console shows the system, sizes in GiB/MiB and at most 50 processes.
//   Show my screen (getDisplayMedia is a canvas): the customer is told and
//   gets frames tagged with the request id; Stop showing ends it.
// Run: OA_BIN=build/test/node/openassist OA_WEB_DIR=web/dist node --test tests/browser/console_control.test.mjs
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { waitForAttribute, waitForText } from './helpers.mjs';
import { assertNoProblems, startIntake } from './intake_helpers.mjs';
import { fakeScreen, waitForPicture } from './screen_helpers.mjs';
import { allowRemoteControl, connectApp, consoleSession, solidJpegs } from './console_app_helpers.mjs';

let intake;
const sockets = [];

before(async () => {
  intake = await startIntake();
  await allowRemoteControl(intake);
});

afterEach(async () => {
  while (sockets.length > 0) sockets.pop().ws?.terminate();
  await intake?.closeAll();
});

after(async () => {
  await intake?.stop();
});

/** The events of every control.input the app got from message `from` on. */
const inputs = (app, from = 0) =>
  app.messages.slice(from).filter((m) => m.type === 'control.input').flatMap((m) => m.events);

/** Waits until the app has control.input events (from message `from` on) that satisfy `check`; resolves to them. */
async function waitForEvents(app, from, check, what, timeout = 10_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const events = inputs(app, from);
    if (check(events)) return events;
    if (Date.now() > deadline) throw new Error(`${what}: the app got ${JSON.stringify(events)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * The viewport point of the fraction (fx, fy) of the picture: inside the
 * content box (borders left out), where object-fit puts the picture.
 */
function pointOf(viewer, fx, fy) {
  return viewer.evaluate(
    (el, { fx, fy }) => {
      const r = el.getBoundingClientRect();
      const css = getComputedStyle(el);
      const bl = parseFloat(css.borderLeftWidth);
      const bt = parseFloat(css.borderTopWidth);
      const cw = r.width - bl - parseFloat(css.borderRightWidth);
      const ch = r.height - bt - parseFloat(css.borderBottomWidth);
      const nw = el.naturalWidth ?? el.width;
      const nh = el.naturalHeight ?? el.height;
      let dw = cw;
      let dh = ch;
      if (css.objectFit === 'contain') {
        const scale = Math.min(cw / nw, ch / nh);
        dw = nw * scale;
        dh = nh * scale;
      }
      return {
        x: r.left + bl + (cw - dw) / 2 + fx * dw,
        y: r.top + bt + (ch - dh) / 2 + fy * dh,
        fit: css.objectFit,
        letterboxed: Math.abs(cw - dw) > 2 || Math.abs(ch - dh) > 2,
      };
    },
    { fx, fy },
  );
}

const near = (a, b) => Math.abs(a - b) <= 0.02;

/** Clicks the picture at (fx, fy) and checks the app gets the press and release there. */
async function clickAt(page, app, viewer, fx, fy, what) {
  const at = await pointOf(viewer, fx, fy);
  const from = app.messages.length;
  await page.mouse.click(at.x, at.y);
  const events = await waitForEvents(
    app,
    from,
    (es) => es.some((e) => e.t === 'button' && e.down === false),
    `${what}: a press and a release`,
  );
  const buttons = events.filter((e) => e.t === 'button');
  assert.deepEqual(
    buttons.map((e) => [e.button, e.down]),
    [
      [0, true],
      [0, false],
    ],
    `${what}: left button down and up`,
  );
  for (const e of buttons)
    assert.ok(near(e.x, fx) && near(e.y, fy), `${what}: at (${e.x}, ${e.y}), expected (${fx}, ${fy})`);
  for (const e of events) assert.ok(e.x >= 0 && e.x <= 1 && e.y >= 0 && e.y <= 1, `fractions: ${JSON.stringify(e)}`);
  return at;
}

test('remote control, computer details and showing my screen from the console', { timeout: 180_000 }, async () => {
  const anna = await intake.console('anna');
  const page = anna.page;
  // Anna's getDisplayMedia is a canvas (for "Show my screen").
  await anna.context.addInitScript(fakeScreen);
  await page.reload();
  await waitForAttribute(page.getByTestId('connection-state'), 'data-state', 'open');
  await page.getByTestId('status-select').waitFor();

  const { cust, id, token, detail } = await consoleSession(intake, anna, 'Constantin', sockets);
  const appState = detail.getByTestId('app-state');
  await waitForAttribute(appState, 'data-connected', 'false');
  await waitForText(detail.getByTestId('app-hint'), /^The customer can start the support app from their page/);
  assert.equal(await detail.getByTestId('control-request').count(), 0, 'no control without the app');

  // The app comes and shares its screen (a whole JPEG of 400 x 300).
  const app = await connectApp(intake.node, id, token, sockets);
  await waitForAttribute(appState, 'data-connected', 'true');
  assert.equal(await detail.getByTestId('app-connected').textContent(), 'Support app connected');
  assert.equal(await detail.getByTestId('app-hint').count(), 0);
  const shared = await app.command('screen.share');
  assert.notEqual(shared.type, 'error', `screen.share: ${JSON.stringify(shared)}`);
  const [picture] = await solidJpegs(page, 400, 300, ['#808080']);
  app.ws.send(picture, { binary: true });
  const viewer = detail.getByTestId('screen-viewer');
  await waitForPicture(viewer, "Anna's viewer");

  // Anna asks; the app is asked by her screen name and accepts.
  const request = detail.getByTestId('control-request');
  assert.equal(await request.textContent(), 'Request control');
  await request.click();
  const requested = await app.waitFor((m) => m.type === 'control.requested');
  assert.equal(requested.technician, 'Anna');
  await detail.getByTestId('control-asked').waitFor();
  const accepted = await app.command('control.accept');
  assert.notEqual(accepted.type, 'error', `control.accept: ${JSON.stringify(accepted)}`);
  const active = detail.getByTestId('control-active');
  await active.waitFor();
  await waitForText(active, /^You control the customer's mouse and keyboard/);
  await waitForAttribute(appState, 'data-control', 'mine');
  assert.equal(await detail.getByTestId('control-request').count(), 0, 'no asking while in control');

  // A click at a known place of the picture (normal size: no letterbox).
  const normal = await pointOf(viewer, 0.25, 0.75);
  assert.equal(normal.letterboxed, false, `normal size: ${JSON.stringify(normal)}`);
  await clickAt(page, app, viewer, 0.25, 0.75, 'a click at normal size');

  // Typing goes to the app by key code, not into the console.
  const chatInput = detail.getByTestId('chat-input');
  const beforeKeys = app.messages.length;
  await page.keyboard.type('ab');
  const keys = await waitForEvents(
    app,
    beforeKeys,
    (es) => es.filter((e) => e.t === 'key').length >= 4,
    'the keys a and b',
  );
  assert.deepEqual(
    keys.filter((e) => e.t === 'key').map((e) => `${e.code}:${e.down ? 'down' : 'up'}`),
    ['KeyA:down', 'KeyA:up', 'KeyB:down', 'KeyB:up'],
  );
  assert.equal(await chatInput.inputValue(), '', 'the chat input got nothing');
  assert.ok(
    app.messages.filter((m) => m.type === 'control.input').every((m) => m.events.length <= 64),
    'at most 64 events a message',
  );

  // Enlarged: the picture is letterboxed in its stage; the click is still mapped onto the picture.
  await detail.getByTestId('screen-enlarge').click();
  await waitForAttribute(detail.getByTestId('screen-panel'), 'data-size', 'large');
  const large = await pointOf(viewer, 0.8, 0.3);
  assert.equal(large.fit, 'contain', `enlarged: ${JSON.stringify(large)}`);
  await clickAt(page, app, viewer, 0.8, 0.3, 'a click on the enlarged picture');
  await detail.getByTestId('screen-enlarge').click();
  await waitForAttribute(detail.getByTestId('screen-panel'), 'data-size', 'normal');

  // Stop control: the app is told; clicks and keys are not sent any more.
  const beforeStop = app.messages.length;
  await detail.getByTestId('control-stop').click();
  const ended = await app.waitFor((m) => m.type === 'control.state', 10_000, { fromIndex: beforeStop });
  assert.equal(ended.controlling, false, `the app is told: ${JSON.stringify(ended)}`);
  await active.waitFor({ state: 'detached' });
  await waitForAttribute(appState, 'data-control', 'none');
  const afterStop = app.messages.length;
  const at = await pointOf(viewer, 0.5, 0.5);
  await page.mouse.click(at.x, at.y);
  await page.keyboard.type('c');
  await new Promise((r) => setTimeout(r, 800));
  assert.deepEqual(inputs(app, afterStop), [], 'nothing sent after Stop control');

  // Asked again, the app declines.
  await detail.getByTestId('control-request').click();
  await app.waitFor((m) => m.type === 'control.requested', 10_000, { fromIndex: afterStop });
  const declined = await app.command('control.decline');
  assert.notEqual(declined.type, 'error', `control.decline: ${JSON.stringify(declined)}`);
  const toast = page.locator('[data-testid=toast][data-code=control-declined]');
  await waitForText(toast, /The customer declined remote control/);
  await detail.getByTestId('control-declined').waitFor();
  assert.equal(await detail.getByTestId('control-active').count(), 0);

  // Computer details.
  const processes = Array.from({ length: 60 }, (_, i) => ({
    pid: 1000 + i,
    name: i === 0 ? 'firefox-esr' : `proc-${i}`,
    rss_kb: 2_000_000 - i * 1000,
    cpu_s: 125 + i,
  }));
  const data = {
    os: { name: 'Debian GNU/Linux 12 (bookworm)', kernel: '6.1.0-18-amd64', hostname: 'office-pc', uptime_s: 93_784 },
    cpu: { model: 'Intel(R) Core(TM) i5-8250U CPU @ 1.60GHz', cores: 8, load: [0.52, 0.61, 0.4] },
    memory: { total_kb: 16_314_000, available_kb: 9_123_000 },
    disks: [
      { mount: '/', fs: 'ext4', total_kb: 244_000_000, free_kb: 120_500_000 },
      { mount: '/boot/efi', fs: 'vfat', total_kb: 522_000, free_kb: 516_000 },
    ],
    network: [{ name: 'wlp2s0', addresses: ['192.168.1.23/24', 'fe80::1/64'], mac: '3c:a9:f4:00:11:22' }],
    processes,
  };
  const askDetails = app.messages.length;
  await detail.getByTestId('diagnostics-request').click();
  await app.waitFor((m) => m.type === 'diagnostics.requested', 10_000, { fromIndex: askDetails });
  const reported = await app.command('diagnostics.report', { data });
  assert.notEqual(reported.type, 'error', `diagnostics.report: ${JSON.stringify(reported)}`);
  const details = detail.getByTestId('diagnostics');
  await details.waitFor();
  assert.equal(await details.getByTestId('diag-os').textContent(), 'Debian GNU/Linux 12 (bookworm)');
  assert.equal(await details.getByTestId('diag-host').textContent(), 'office-pc');
  assert.equal(await details.getByTestId('diag-uptime').textContent(), '1 d 2 h');
  assert.match(await details.getByTestId('diag-cpu').textContent(), /i5-8250U.*8 cores/);
  assert.equal(await details.getByTestId('diag-memory').textContent(), '8.7 GiB free of 15.6 GiB');
  assert.deepEqual(
    await details.getByTestId('diag-disk').evaluateAll((rows) => rows.map((r) => r.textContent)),
    ['/115 GiB233 GiB', '/boot/efi504 MiB510 MiB'],
  );
  assert.match(await details.getByTestId('diag-network').textContent(), /wlp2s0192\.168\.1\.23\/24fe80::1\/64/);
  const names = await details.getByTestId('diag-process-name').evaluateAll((cells) => cells.map((c) => c.textContent));
  assert.equal(names.length, 50, 'at most 50 processes');
  assert.equal(names[0], 'firefox-esr');

  // Show my screen: the customer is told and gets frames with the request id in front.
  const custFrames = [];
  cust.ws.on('message', (bytes, isBinary) => {
    if (isBinary) custFrames.push(Buffer.from(bytes));
  });
  const beforePresent = cust.messages.length;
  await detail.getByTestId('present-start').click();
  const presenting = await cust.waitFor((m) => m.type === 'screen.presenting', 10_000, { fromIndex: beforePresent });
  assert.equal(presenting.sharing, true, JSON.stringify(presenting));
  assert.equal(presenting.technician, 'Anna');
  await waitForAttribute(detail.getByTestId('present-state'), 'data-presenting', 'true');
  assert.equal(await page.evaluate(() => window.__screenCalls), 1, 'getDisplayMedia once');
  const deadline = Date.now() + 10_000;
  while (custFrames.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  assert.ok(custFrames.length >= 3, `the customer got ${custFrames.length} frames`);
  for (const f of custFrames.slice(0, 3)) {
    assert.equal(f.readBigUInt64BE(0), BigInt(id), 'tagged with the request id');
    assert.deepEqual([...f.subarray(8, 11)], [0xff, 0xd8, 0xff], 'a JPEG');
  }
  const beforeUnpresent = cust.messages.length;
  await detail.getByTestId('present-stop').click();
  const stopped = await cust.waitFor((m) => m.type === 'screen.presenting', 10_000, { fromIndex: beforeUnpresent });
  assert.equal(stopped.sharing, false, JSON.stringify(stopped));
  await detail.getByTestId('present-state').waitFor({ state: 'detached' });
  assert.equal(
    await page.evaluate(() => window.__screenStream.getVideoTracks()[0].readyState),
    'ended',
    'the capture stopped',
  );
  await detail.getByTestId('present-start').waitFor();

  assertNoProblems([anna]);
});
