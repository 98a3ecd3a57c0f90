// The customer's presence in the console (docs/sessions.md, "The customer's
// presence"; issue 10), at 1366x768 against the real node: Anna sees whether
// Greta's page is there ("Customer: here" / "Customer: gone since 14:05"),
// from Greta's socket. A reload says nothing in the chat; a page that stays
// away says "The customer left the page" (once, after a few seconds) and
// "The customer is back" when it returns; a shared screen ends when the
// sharing page goes (the viewer goes, saying why), also when the tab is
// closed. The request stays active all along: only "Leave the chat" ends it.
// Run: OA_BIN=build/test/node/openassist OA_WEB_DIR=web/dist node --test tests/browser/customer_presence.test.mjs
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { waitForAttribute, waitForText } from './helpers.mjs';
import { act, assertNoProblems, fields, startIntake, waitForStatus } from './intake_helpers.mjs';
import { consoleChat, customerChat, say, shownLines, waitForLine, waitForLines } from './chat_helpers.mjs';

const VIEWPORT = { width: 1366, height: 768 };
const AWAY = 'The customer left the page';
const BACK = 'The customer is back';
const SCREEN_GONE = "Screen sharing ended: the customer's page was closed";

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

/** getDisplayMedia as a 640x360 canvas whose content changes ten times a second. */
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
    };
    draw();
    setInterval(draw, 100);
    return canvas.captureStream(5);
  };
  if (!navigator.mediaDevices) Object.defineProperty(navigator, 'mediaDevices', { value: {}, configurable: true });
  navigator.mediaDevices.getDisplayMedia = fake;
}

/** Anna's join (customers see her screen name, "Anna", where one is set). */
const JOINED = /^Anna( Berger)? joined the session$/;
const waitForJoined = (chat) =>
  waitForLines(chat, (ls) => ls.some((l) => l.from === 'system' && l.seq !== null && JOINED.test(l.text)), 'the join');

const count = (lines, text) => lines.filter((l) => l.from === 'system' && l.text === text && l.seq !== null).length;

/** Waits until the chat shows `text` as a stored system line `n` times. */
const waitForCount = (chat, text, n, timeout = 30_000) =>
  waitForLines(chat, (ls) => count(ls, text) === n, `${n} x "${text}"`, timeout);

/** Anna asks for the screen, the customer allows, Anna's viewer shows a picture. */
async function shareScreen(customer, detail) {
  await detail.getByTestId('screen-request').click();
  await customer.page.getByTestId('screen-consent').waitFor();
  await customer.page.getByTestId('screen-allow').click();
  await waitForAttribute(detail.getByTestId('screen-panel'), 'data-sharing', 'true');
  const viewer = detail.getByTestId('screen-viewer');
  await viewer.waitFor();
  return viewer;
}

test('Anna sees the customer leave and come back; the screen ends with the page', { timeout: 180_000 }, async () => {
  const anna = await intake.console('anna');
  await anna.page.setViewportSize(VIEWPORT);
  const greta = await intake.customer('help', 'Greta', { droppable: true });
  await greta.context.addInitScript(fakeScreen);
  await greta.page.setViewportSize(VIEWPORT);
  await greta.page.reload();
  await greta.form.waitFor();
  const id = await greta.submit(fields('Greta'));
  await waitForStatus(greta, 'waiting');
  await anna.alert(id).waitFor();
  await anna.alert(id).getByTestId('alert-accept').click();
  await waitForAttribute(anna.row(id), 'data-status', 'assigned');
  const detail = await act(anna, id, 'join');
  await waitForStatus(greta, 'active');
  const chat = customerChat(greta);
  const desk = consoleChat(anna, id);
  await waitForJoined(desk);

  // Here: shown next to the request's status.
  const presence = detail.getByTestId('customer-presence');
  await waitForAttribute(presence, 'data-presence', 'here');
  await waitForText(presence, /^Customer: here$/);

  // A reload is no news in the chat (checked below, once a real absence was said).
  await greta.page.reload();
  await waitForStatus(greta, 'active');
  await waitForJoined(chat);
  await waitForAttribute(presence, 'data-presence', 'here');
  await say(chat, 'Sorry, I reloaded');
  await waitForLine(desk, 'Sorry, I reloaded');

  // Greta shares her screen; then her connection goes away.
  const viewer = await shareScreen(greta, detail);
  await greta.network.drop();
  // At once: gone since <time>, the viewer goes and says why (no frozen picture).
  await waitForAttribute(presence, 'data-presence', 'gone', 15_000);
  await waitForText(presence.getByTestId('customer-presence-state'), /^Customer: gone since \d{1,2}:\d{2}/);
  await viewer.waitFor({ state: 'detached' });
  await waitForAttribute(detail.getByTestId('screen-panel'), 'data-sharing', 'false');
  await waitForText(presence.getByTestId('screen-ended'), /customer's page was closed/);
  await waitForLine(desk, SCREEN_GONE);
  // After a few seconds away: said once in the chat (the reload above said nothing).
  await waitForCount(desk, AWAY, 1);
  const away = (await shownLines(desk)).find((l) => l.text === AWAY);
  assert.equal(away.private, true, 'presence lines are for technicians');
  assert.equal(await detail.getAttribute('data-status'), 'active', 'the request stays active');

  // Back: shown and said.
  greta.network.restore();
  await waitForAttribute(presence, 'data-presence', 'here', 30_000);
  await waitForCount(desk, BACK, 1);
  assert.equal(await presence.getByTestId('screen-ended').count(), 0);
  await waitForJoined(chat);
  const customerLines = await shownLines(chat);
  assert.equal(count(customerLines, AWAY) + count(customerLines, BACK), 0, 'the customer does not read them');
  assert.equal(count(customerLines, SCREEN_GONE), 1, 'the customer reads that sharing ended');

  // She shares again and closes the tab: the same, from the closed page.
  const again = await shareScreen(greta, detail);
  await greta.page.close();
  await waitForAttribute(presence, 'data-presence', 'gone', 15_000);
  await again.waitFor({ state: 'detached' });
  await presence.getByTestId('screen-ended').waitFor();
  await waitForCount(desk, SCREEN_GONE, 2);
  await waitForCount(desk, AWAY, 2);
  assert.equal(count(await shownLines(desk), BACK), 1);
  assert.equal(await detail.getAttribute('data-status'), 'active');

  assertNoProblems([anna]);
});
