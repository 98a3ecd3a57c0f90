// The session chat in the browser (docs/sessions.md), against the real node
// with its demo account: a customer on the portal page (/p/demo/help) and
// Anna in her console (/console/), each in a browser context of their own.
//   Both ways: the "joined" line, lines each way, private notes only in the
//   console, the typing indicator on the other side, text that stays text.
//   Transcripts: what the customer saves is the chat they saw (no private
//   notes); the console's transcript has the private notes.
// Run: OA_BIN=build/test/node/openassist OA_WEB_DIR=web/dist node --test tests/browser/chat.test.mjs
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { waitForAttribute, waitForText } from './helpers.mjs';
import { act, assertNoProblems, startIntake } from './intake_helpers.mjs';
import {
  assertWellFormed,
  downloaded,
  joinedChat,
  recordFrames,
  rowsOf,
  say,
  shownLines,
  summary,
  transcriptOf,
  waitForLine,
} from './chat_helpers.mjs';

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

/** Fails the test on any alert()/confirm() (markup in a chat line must never run). */
function recordDialogs(page, dialogs) {
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    dialog.dismiss().catch(() => {});
  });
}

/** Closes the request in the console; both sides show the closing line and the chat becomes read-only. */
async function closeChat(anna, id, chat, desk) {
  await act(anna, id, 'close');
  const closed = 'Anna closed the session';
  await waitForLine(chat, closed);
  await waitForLine(desk, closed);
  await waitForAttribute(chat, 'data-open', 'false');
  await waitForAttribute(desk, 'data-open', 'false');
  await waitForText(chat.getByTestId('chat-notice'), /^The chat has ended\.$/);
  assert.equal(await chat.getByTestId('chat-input').count(), 0, 'no input on the customer page any more');
  assert.equal(await desk.getByTestId('chat-input').count(), 0, 'no input in the console any more');
}

test('chat both ways: joined line, private notes, typing, markup stays text', { timeout: 120_000 }, async () => {
  const anna = await intake.console('anna');
  const dialogs = [];
  recordDialogs(anna.page, dialogs);
  let frames;
  const { customer: tess, id, chat, desk } = await joinedChat(intake, anna, 'Tess', {
    before: (c) => {
      frames = recordFrames(c.page);
      recordDialogs(c.page, dialogs);
    },
  });

  // Both start with the system line, numbered 1, centred (no name).
  assert.deepEqual(summary(await shownLines(chat)), ['1:Anna joined the session']);
  assert.deepEqual(summary(await shownLines(desk)), ['1:Anna joined the session']);
  assert.equal(await chat.locator('[data-testid=chat-line][data-from=system] .chat-name').count(), 0);

  // The customer types: Anna sees it, and sees it go when the input is emptied.
  const tessInput = chat.getByTestId('chat-input');
  const annaSeesTyping = desk.getByTestId('chat-typing');
  await tessInput.fill('Hel');
  await annaSeesTyping.waitFor();
  assert.equal(await annaSeesTyping.getAttribute('data-from'), 'customer');
  assert.equal(await annaSeesTyping.textContent(), 'Tess is typing…');
  await tessInput.fill('');
  await annaSeesTyping.waitFor({ state: 'detached' });

  // The customer writes (Enter): her line on her side, numbered; Anna sees it with her name.
  const hello = await say(chat, 'Hello, my printer is on fire');
  assert.deepEqual([hello.seq, hello.from], [2, 'customer']);
  const helloThere = await waitForLine(desk, 'Hello, my printer is on fire');
  assert.deepEqual([helloThere.seq, helloThere.from], [2, 'customer']);
  assert.equal(await desk.locator('[data-testid=chat-line][data-seq="2"] .chat-name').textContent(), 'Tess');
  assert.match(
    await chat.locator('[data-testid=chat-line][data-seq="2"]').getAttribute('class'),
    /\bchat-line-own\b/,
  );

  // Anna types: the customer sees "Anna is typing…" (her screen name); her line (Send button) ends it.
  const tessSeesTyping = chat.getByTestId('chat-typing');
  await desk.getByTestId('chat-input').fill('Unplug');
  await tessSeesTyping.waitFor();
  assert.equal(await tessSeesTyping.getAttribute('data-from'), 'technician');
  assert.equal(await tessSeesTyping.textContent(), 'Anna is typing…');
  const reply = await say(desk, 'Unplug it, please.', { button: true });
  assert.equal(reply.seq, 3);
  const replyThere = await waitForLine(chat, 'Unplug it, please.');
  assert.deepEqual([replyThere.seq, replyThere.from], [3, 'technician']);
  assert.equal(await chat.locator('[data-testid=chat-line][data-seq="3"] .chat-name').textContent(), 'Anna');
  await tessSeesTyping.waitFor({ state: 'detached' });

  // A private note: badged in the console; the customer page never gets it
  // (not shown, not stored, not even a frame), nor the typing of it.
  const mark = frames.parsed().length;
  await desk.getByTestId('chat-private').check();
  const note = await say(desk, 'Customer seems upset', { button: true });
  assert.equal(note.private, true);
  assert.equal(note.seq, 4);
  const noteItem = desk.locator('[data-testid=chat-line][data-seq="4"]');
  assert.equal(await noteItem.getAttribute('data-private'), 'true');
  assert.equal(await noteItem.getByTestId('chat-private-badge').textContent(), 'private');
  await desk.getByTestId('chat-private').uncheck();
  const still = await say(desk, 'Are you still there?');
  assert.equal(still.seq, 5);
  assert.equal(still.private, false);
  await waitForLine(chat, 'Are you still there?');
  assert.deepEqual(summary(await shownLines(chat)), [
    '1:Anna joined the session',
    '2:Hello, my printer is on fire',
    '3:Unplug it, please.',
    '5:Are you still there?',
  ]);
  assert.equal(await chat.locator('[data-private], [data-testid=chat-private-badge]').count(), 0);
  assert.ok(!frames.raw().join('\n').includes('seems upset'), 'the note never reaches the customer page');
  const stored = await tess.page.evaluate(() => JSON.stringify({ ...sessionStorage }));
  assert.ok(!stored.includes('seems upset'));
  const typingSince = frames.parsed().slice(mark).filter((m) => m.type === 'chat.typing' && m.typing === true);
  assert.equal(typingSince.length, 1, `only the public line's typing: ${JSON.stringify(typingSince)}`);

  // Markup is text on both sides: nothing is parsed, nothing runs.
  const img = '<img src=x onerror=alert(1)>';
  await say(chat, img);
  await waitForLine(desk, img);
  const tags = '<b>bold</b> & <script>alert(2)</script> &amp;';
  await say(desk, tags);
  await waitForLine(chat, tags);
  for (const box of [chat, desk]) {
    assert.equal(await box.locator('[data-testid=chat-text] *').count(), 0, 'no elements inside a line');
    assert.equal(await box.locator('img, b, script').count(), 0);
    assert.equal(await box.page().locator('img[src=x]').count(), 0);
  }

  // Shift+Enter starts a new line; the line keeps it on the other side.
  await tessInput.fill('First line');
  await tessInput.press('Shift+Enter');
  await tessInput.pressSequentially('second line');
  assert.equal(await tessInput.inputValue(), 'First line\nsecond line');
  await tessInput.press('Enter');
  await waitForLine(chat, 'First line\nsecond line');
  await waitForLine(desk, 'First line\nsecond line');

  // Closed: read-only on both sides; both show the same lines, the customer without the note.
  await closeChat(anna, id, chat, desk);
  const mine = await shownLines(chat);
  const annas = await shownLines(desk);
  assertWellFormed(mine, 'customer');
  assertWellFormed(annas, 'console');
  assert.deepEqual(
    annas.map((l) => l.seq),
    annas.map((_, i) => i + 1),
    'the console has every seq',
  );
  assert.deepEqual(summary(mine), summary(annas.filter((l) => !l.private)));
  assert.deepEqual(dialogs, []);

  assertNoProblems([anna, tess]);
});

test('transcripts: the customer saves the chat as shown; the console’s has the private notes', { timeout: 120_000 }, async () => {
  const anna = await intake.console('anna');
  const { customer: paula, id, chat, desk } = await joinedChat(intake, anna, 'Paula');
  const names = { customer: 'Paula', technician: 'Anna' };

  await say(chat, 'My screen is black\nsince this morning');
  await waitForLine(desk, 'My screen is black\nsince this morning');
  await desk.getByTestId('chat-private').check();
  await say(desk, 'Probably the cable', { button: true });
  await desk.getByTestId('chat-private').uncheck();
  await say(desk, 'Is the cable in? <b>Both ends</b>');
  await waitForLine(chat, 'Is the cable in? <b>Both ends</b>');
  await say(chat, 'Ja, beide Enden ✓ — 日本語 🎉');
  await waitForLine(desk, 'Ja, beide Enden ✓ — 日本語 🎉');

  // The customer's file: exactly the lines on her page, with their times.
  const save = paula.page.getByTestId('chat-save');
  await waitForText(save, /^Save chat history$/);
  const first = await downloaded(paula.page, save);
  assert.equal(first.name, `chat-${id}.txt`);
  const shown = await shownLines(chat);
  assert.equal(shown.length, 4);
  assert.deepEqual(rowsOf(first.text), transcriptOf(shown, names));
  assert.ok(!first.text.includes('Probably the cable'), 'no private note for the customer');
  await waitForText(save, /^Save chat history$/); // not stuck at "Saving…"
  assert.equal(await paula.page.getByTestId('chat-save-error').count(), 0);

  // After the end it can still be saved, with the closing line.
  await closeChat(anna, id, chat, desk);
  const last = await downloaded(paula.page, save);
  const shownAtEnd = await shownLines(chat);
  assert.equal(shownAtEnd.length, 5);
  assert.deepEqual(rowsOf(last.text), transcriptOf(shownAtEnd, names));
  assert.match(rowsOf(last.text).at(-1), /\] \* Anna closed the session$/);

  // Anna's Transcript link: the same chat with the private note, marked.
  const link = desk.getByTestId('transcript');
  assert.equal(await link.getAttribute('href'), `/api/v1/requests/${id}/transcript`);
  const hers = await downloaded(anna.page, link);
  assert.equal(hers.name, `chat-${id}.txt`);
  const annas = await shownLines(desk);
  assert.equal(annas.length, 6);
  assert.deepEqual(rowsOf(hers.text), transcriptOf(annas, names));
  assert.ok(rowsOf(hers.text).some((r) => r.endsWith('] Anna (private note): Probably the cable')));
  assert.equal(await anna.page.locator('[data-testid=toast][data-kind=error]').count(), 0);

  assertNoProblems([anna, paula]);
});

test('the 4,000-character limit is counted as the server counts it (an emoji is one)', { timeout: 120_000 }, async () => {
  const anna = await intake.console('anna');
  const { customer: lena, id, chat, desk } = await joinedChat(intake, anna, 'Lena');
  const input = chat.getByTestId('chat-input');
  const left = chat.getByTestId('chat-left');
  const sendButton = chat.getByTestId('chat-send');
  /** Replaces the input's text as a paste would (the textarea's own limits apply). */
  const paste = async (text) => {
    await input.fill('');
    await input.focus();
    await lena.page.keyboard.insertText(text);
  };
  const codePoints = (text) => [...text].length;

  // 3,600 characters: the hint appears.
  await paste('y'.repeat(3600));
  await waitForText(left, /^400 characters left$/);

  // 4,000 characters, 1,000 of them emoji (5,000 UTF-16 units): all of it is kept and sent.
  const full = `${'x'.repeat(3000)}${'😀'.repeat(1000)}`;
  await paste(full);
  assert.equal(codePoints(await input.inputValue()), 4000, 'nothing cut off');
  await waitForText(left, /^0 characters left$/);
  assert.equal(await sendButton.isDisabled(), false);
  await input.press('Enter');
  const sent = await waitForLine(chat, full);
  assert.equal(codePoints(sent.text), 4000);
  assert.equal((await waitForLine(desk, full)).seq, sent.seq);

  // One more is too many: said so, Send waits; one less and it goes.
  const over = `${'é'.repeat(3000)}${'🎉'.repeat(1001)}`;
  await paste(over);
  await waitForText(left, /^1 character too many \(at most 4,000\)$/);
  assert.equal(await input.getAttribute('aria-invalid'), 'true');
  assert.equal(await sendButton.isDisabled(), true);
  await input.press('Enter');
  assert.equal(await input.inputValue(), over, 'Enter does not send it');
  await input.press('End');
  await input.press('Backspace');
  await waitForText(left, /^0 characters left$/);
  await sendButton.click();
  const trimmed = over.slice(0, -2);
  await waitForLine(chat, trimmed);
  await waitForLine(desk, trimmed);
  assert.equal(await chat.locator('[data-pending]').count(), 0, 'the server took both');

  await closeChat(anna, id, chat, desk);
  assertNoProblems([anna, lena]);
});
