// The technician console's layout for a working day (issue 10), at 1366x768
// (a laptop), against the real node with its demo account: Anna has five
// active chats and the customer of one shares their screen.
//   The conversation is the widest column, between a narrow request list and
//   the details; its chat reaches the bottom of the window and its input is
//   wholly in view, also with the invite form open; a confirmation toast does
//   not cover the input; the screen can be enlarged (larger picture, input
//   still in view) and shown full screen (a button inside leaves it, as does Esc).
// Run: OA_BIN=build/test/node/openassist OA_WEB_DIR=web/dist node --test tests/browser/console_layout.test.mjs
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { customerFields, openCustomer } from '../harness/intake.mjs';
import { waitForAttribute } from './helpers.mjs';
import { act, assertNoProblems, startIntake } from './intake_helpers.mjs';
import { consoleChat, say, selectRequest } from './chat_helpers.mjs';
import { assertInView as assertInViewport, box, joinedWithScreen, overlap, waitForPicture } from './screen_helpers.mjs';

const VIEWPORT = { width: 1366, height: 768 };

let intake;
const apiCustomers = [];

before(async () => {
  intake = await startIntake();
});

afterEach(async () => {
  while (apiCustomers.length > 0) apiCustomers.pop().close();
  await intake?.closeAll();
});

after(async () => {
  await intake?.stop();
});

const assertInView = (b, what) => assertInViewport(b, VIEWPORT, what);

/** The size of the picture an <img> paints (object-fit: contain, or its box). */
function pictureSize(img) {
  return img.evaluate((el) => {
    const r = el.getBoundingClientRect();
    const scale = Math.min(r.width / el.naturalWidth, r.height / el.naturalHeight);
    return { width: el.naturalWidth * scale, height: el.naturalHeight * scale };
  });
}

test('five chats and a shared screen at 1366x768: input in view, conversation widest, toasts aside, screen enlarges and goes full screen', { timeout: 240_000 }, async () => {
  const anna = await intake.console('anna');
  await anna.page.setViewportSize(VIEWPORT);
  const page = anna.page;

  // The customer who will share their screen, and a long chat with her.
  const { customer, id, chat } = await joinedWithScreen(intake, anna, 'Sheila');
  for (let i = 1; i <= 12; i++) await say(chat, `Line ${i} of what I see`);

  // Four more customers (over the API), each accepted and joined: five active chats.
  for (const name of ['Otto', 'Petra', 'Quinn', 'Rosa']) {
    const c = await openCustomer(intake.node, 'demo', 'help', { fields: customerFields(name) });
    apiCustomers.push(c);
    const other = c.request.request_id;
    await anna.alert(other).waitFor();
    await anna.alert(other).getByTestId('alert-accept').click();
    await waitForAttribute(anna.row(other), 'data-status', 'assigned');
    await act(anna, other, 'join');
    await waitForAttribute(anna.row(other), 'data-status', 'active');
    await say(consoleChat(anna, other), `Hello ${name}, I am looking at it`);
  }
  await waitForAttribute(page.getByTestId('session-count'), 'data-active', '5');

  // Back to Sheila; she shares her screen.
  const desk = await selectRequest(anna, id);
  const detail = page.locator(`[data-testid=request-detail][data-request-id="${id}"]`);
  await detail.getByTestId('screen-request').click();
  await customer.page.getByTestId('screen-allow').click();
  await customer.page.getByTestId('screen-sharing').waitFor();
  const panel = detail.getByTestId('screen-panel');
  await waitForAttribute(panel, 'data-sharing', 'true');
  const viewer = detail.getByTestId('screen-viewer');
  await waitForPicture(viewer, "Anna's viewer");

  const input = desk.getByTestId('chat-input');
  const send = desk.getByTestId('chat-send');

  // The input and Send are wholly in view, and so is the picture.
  assertInView(await box(input), 'the message box');
  assertInView(await box(send), 'Send');
  assertInView(await box(viewer), 'the screen');
  // The chat got shorter when the screen came, and still shows its newest line.
  const newest = await box(desk.locator('[data-testid=chat-line]').last());
  const lines = await box(desk.locator('.chat-lines'));
  assert.ok(newest.bottom <= lines.bottom + 1 && newest.top >= lines.top - 1, `the newest line ${JSON.stringify(newest)} is out of the chat's view ${JSON.stringify(lines)}`);
  // Three columns: the conversation in the middle is the widest.
  const list = await box(page.getByTestId('console-list'));
  const conversation = await box(detail.getByTestId('conversation'));
  const info = await box(detail.getByTestId('request-info'));
  assert.ok(list.right <= conversation.left && conversation.right <= info.left, 'list, conversation, details from left to right');
  assert.ok(conversation.width > list.width && conversation.width > info.width, `conversation ${conversation.width} px, list ${list.width} px, details ${info.width} px`);
  assert.ok(list.width <= 400, `the request list is narrow: ${list.width} px`);
  // The chat reaches the bottom of the window, which does not scroll.
  assert.ok(conversation.bottom >= VIEWPORT.height - 24, `the conversation ends ${VIEWPORT.height - conversation.bottom} px above the bottom`);
  const scroll = await page.evaluate(() => ({
    width: document.documentElement.scrollWidth,
    height: document.documentElement.scrollHeight,
  }));
  assert.deepEqual(scroll, VIEWPORT, 'the page itself does not scroll');

  // With the invite form open the input stays in view; the confirmation toast does not cover it.
  // (Inviting needs a colleague online: Ben signs in now, after the alerts went to Anna.)
  const ben = await intake.console('ben');
  await detail.getByTestId('action-invite').click();
  const form = detail.getByTestId('invite-form');
  await form.waitFor();
  assertInView(await box(input), 'the message box with the invite form open');
  await form.getByTestId('invite-target').selectOption('anyone');
  await form.getByTestId('invite-submit').click();
  const toast = page.locator('[data-testid=toast][data-code=invited]');
  await toast.waitFor();
  const [toastBox, inputBox, sendBox] = await Promise.all([box(toast), box(input), box(send)]);
  assert.ok(!overlap(toastBox, inputBox), `the toast ${JSON.stringify(toastBox)} covers the input ${JSON.stringify(inputBox)}`);
  assert.ok(!overlap(toastBox, sendBox), 'the toast covers Send');
  await form.waitFor({ state: 'detached' });

  // Enlarged: a larger picture, the details give way, the input stays in view.
  const normal = await pictureSize(viewer);
  await panel.getByTestId('screen-enlarge').click();
  await waitForAttribute(panel, 'data-size', 'large');
  assert.equal(await panel.getByTestId('screen-enlarge').getAttribute('aria-pressed'), 'true');
  const large = await pictureSize(viewer);
  assert.ok(large.width >= normal.width * 1.3, `enlarged ${large.width} px wide, before ${normal.width} px`);
  assertInView(await box(viewer), 'the enlarged screen');
  assertInView(await box(input), 'the message box beside the enlarged screen');
  assert.equal(await detail.getByTestId('request-info').isVisible(), false, 'the details give way');

  // Full screen, left with the button inside.
  const stage = panel.getByTestId('screen-stage');
  const inFullscreen = () => page.evaluate(() => document.fullscreenElement?.dataset.testid ?? null);
  await panel.getByTestId('screen-fullscreen').click();
  await waitForAttribute(stage, 'data-fullscreen', 'true');
  assert.equal(await inFullscreen(), 'screen-stage');
  const exit = stage.getByTestId('screen-fullscreen-exit');
  assert.ok(await exit.isVisible(), 'a visible button leaves full screen');
  const full = await pictureSize(viewer);
  assert.ok(full.width >= large.width, `full screen ${full.width} px wide`);
  await exit.click();
  await waitForAttribute(stage, 'data-fullscreen', 'false');
  assert.equal(await inFullscreen(), null);

  // Full screen again, left with Esc.
  await panel.getByTestId('screen-fullscreen').click();
  await waitForAttribute(stage, 'data-fullscreen', 'true');
  await page.keyboard.press('Escape');
  await waitForAttribute(stage, 'data-fullscreen', 'false');
  assert.equal(await inFullscreen(), null);

  // Back to the normal size: the details are back, the chat still works.
  await panel.getByTestId('screen-enlarge').click();
  await waitForAttribute(panel, 'data-size', 'normal');
  assert.ok(await detail.getByTestId('request-info').isVisible());
  await say(desk, 'I can see it now');
  assertInView(await box(input), 'the message box after sending');

  assertNoProblems([anna, ben, customer]);
});
