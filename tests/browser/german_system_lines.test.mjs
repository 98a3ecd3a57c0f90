// System lines in the reader's language (docs/sessions.md, "System lines";
// issue 10), at 1366x768 against the real node: a German customer and Anna's
// console in German see the join, the screen and the closing lines in German,
// and the customer's saved chat history is German too. An English reader of
// the same session sees them in English.
// Run: OA_BIN=build/test/node/openassist OA_WEB_DIR=web/dist node --test tests/browser/german_system_lines.test.mjs
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { waitForAttribute } from './helpers.mjs';
import { act, assertNoProblems, fields, startIntake, waitForStatus } from './intake_helpers.mjs';
import { consoleChat, customerChat, downloaded, selectRequest, shownLines, waitForLine, waitForLines } from './chat_helpers.mjs';

const VIEWPORT = { width: 1366, height: 768 };

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

/** getDisplayMedia as a small canvas stream. */
function fakeScreen() {
  const fake = async () => {
    const canvas = document.createElement('canvas');
    canvas.width = 320;
    canvas.height = 180;
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#336699';
    ctx.fillRect(0, 0, 320, 180);
    setInterval(() => ctx.fillRect(0, 0, 320, 180), 200);
    return canvas.captureStream(5);
  };
  if (!navigator.mediaDevices) Object.defineProperty(navigator, 'mediaDevices', { value: {}, configurable: true });
  navigator.mediaDevices.getDisplayMedia = fake;
}

/** Switches the page to German (the stored language choice) and reloads it. */
async function inGerman(page) {
  await page.setViewportSize(VIEWPORT);
  await page.evaluate(() => localStorage.setItem('openassist.lang', 'de'));
  await page.reload();
  await waitForAttribute(page.locator('html'), 'lang', 'de');
}

const systemTexts = async (chat) =>
  (await shownLines(chat)).filter((l) => l.from === 'system' && l.seq !== null).map((l) => l.text);

test('a German customer and a German technician read the system lines in German', { timeout: 120_000 }, async () => {
  const anna = await intake.console('anna');
  await inGerman(anna.page);
  await anna.page.getByTestId('status-select').waitFor();
  const jana = await intake.customer('help', 'Jana');
  await jana.context.addInitScript(fakeScreen);
  await inGerman(jana.page);
  await jana.form.waitFor();

  const id = await jana.submit(fields('Jana'));
  await waitForStatus(jana, 'waiting');
  await anna.alert(id).waitFor();
  await anna.alert(id).getByTestId('alert-accept').click();
  await waitForAttribute(anna.row(id), 'data-status', 'assigned');
  const detail = await act(anna, id, 'join');
  await waitForStatus(jana, 'active');
  const chat = customerChat(jana);
  const desk = consoleChat(anna, id);
  // Customers see Anna's screen name where one is set.
  const joinedLines = await waitForLines(
    desk,
    (ls) => ls.some((l) => l.from === 'system' && / ist der Sitzung beigetreten$/.test(l.text)),
    'the German join line',
  );
  const joined = joinedLines.find((l) => l.from === 'system').text;
  const who = joined.replace(/ ist der Sitzung beigetreten$/, '');
  assert.ok(['Anna', 'Anna Berger'].includes(who), `joined by ${who}`);
  await waitForLine(chat, joined);

  // Screen sharing started and stopped.
  await detail.getByTestId('screen-request').click();
  await jana.page.getByTestId('screen-allow').click();
  await waitForAttribute(detail.getByTestId('screen-panel'), 'data-sharing', 'true');
  await waitForLine(chat, 'Bildschirmfreigabe gestartet');
  await waitForLine(desk, 'Bildschirmfreigabe gestartet');
  await detail.getByTestId('screen-stop').click();
  await waitForLine(chat, 'Bildschirmfreigabe beendet');
  await waitForLine(desk, 'Bildschirmfreigabe beendet');

  // Closing.
  await act(anna, id, 'close');
  await waitForStatus(jana, 'closed');
  const closed = `${who} hat die Sitzung beendet`;
  await waitForLine(chat, closed);
  await waitForLine(desk, closed);
  const expected = [joined, 'Bildschirmfreigabe gestartet', 'Bildschirmfreigabe beendet', closed];
  assert.deepEqual(await systemTexts(chat), expected);
  assert.deepEqual(await systemTexts(desk), expected);
  // The code is on the line (English readers get English).
  const codes = await desk
    .locator('[data-testid=chat-line][data-from=system]')
    .evaluateAll((items) => items.map((li) => li.dataset.code));
  assert.deepEqual(codes, ['joined', 'screen_started', 'screen_stopped', 'closed']);

  // The chat history Jana saves is German.
  const saved = await downloaded(jana.page, chat.getByTestId('chat-save'));
  assert.ok(saved.text.includes(`* ${joined}\n`), saved.text);
  assert.ok(saved.text.includes('* Bildschirmfreigabe gestartet\n'), saved.text);
  assert.ok(saved.text.includes(`* ${closed}\n`), saved.text);

  // Ben reads the same chat in English.
  const ben = await intake.console('ben');
  await ben.page.setViewportSize(VIEWPORT);
  const benChat = await selectRequest(ben, id);
  await waitForLine(benChat, `${who} closed the session`);
  assert.deepEqual(await systemTexts(benChat), [
    `${who} joined the session`,
    'Screen sharing started',
    'Screen sharing stopped',
    `${who} closed the session`,
  ]);

  assertNoProblems([anna, jana, ben]);
});
