// The session chat in the browser (docs/sessions.md) when things get in the
// way, against the real node with its demo account (each person in a browser
// context of their own):
//   A dropped customer: while the page is offline Anna goes on writing and the
//   customer cannot send; a line lost on the way is "not sent" with a retry, a
//   line whose acknowledgement was lost is not shown twice; afterwards (and
//   after a reload) both sides show every line exactly once, in order.
//   Two chats at once: lines land in the right chat, unread badges on the
//   other request's row, a draft per chat.
// Run: OA_BIN=build/test/node/openassist OA_WEB_DIR=web/dist node --test tests/browser/chat_sessions.test.mjs
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { waitForAttribute, waitForText, waitForValue } from './helpers.mjs';
import { act, assertNoProblems, startIntake, waitForStatus } from './intake_helpers.mjs';
import {
  assertWellFormed,
  joinedChat,
  say,
  selectRequest,
  shownLines,
  summary,
  waitForLine,
  waitForLines,
  wire,
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

/** Waits until `check()` holds (polling). */
async function until(check, what, timeout = 10_000) {
  const deadline = Date.now() + timeout;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeout} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The line with this text as the chat shows it now (one, or undefined). */
async function lineWith(chat, text) {
  const matches = (await shownLines(chat)).filter((l) => l.text === text);
  assert.ok(matches.length <= 1, `${JSON.stringify(text)} shown ${matches.length} times`);
  return matches[0];
}

/** Both sides show the same lines (the customer without private notes), each once, in order. */
async function assertSameChat(chat, desk) {
  const mine = await shownLines(chat);
  const annas = await shownLines(desk);
  assertWellFormed(mine, 'customer');
  assertWellFormed(annas, 'console');
  assert.deepEqual(
    annas.map((l) => l.seq),
    annas.map((_, i) => i + 1),
    'the console has every seq',
  );
  const texts = annas.map((l) => l.text);
  assert.equal(new Set(texts).size, texts.length, `a text twice in the console: ${JSON.stringify(texts)}`);
  assert.deepEqual(summary(mine), summary(annas.filter((l) => !l.private)));
  return { mine, annas };
}

test('the customer’s network drops mid-chat: every line once, in order, on both sides', { timeout: 150_000 }, async () => {
  const anna = await intake.console('anna');
  let net;
  const { customer: rita, id, chat, desk } = await joinedChat(intake, anna, 'Rita', {
    before: async (c) => {
      net = await wire(c.context);
    },
  });
  const input = chat.getByTestId('chat-input');
  const sendButton = chat.getByTestId('chat-send');
  await say(chat, 'Before the drop');
  await waitForLine(desk, 'Before the drop');
  await say(desk, 'Got it');
  await waitForLine(chat, 'Got it');

  // The network goes: the page says so; Anna goes on writing (a private note too).
  await net.drop();
  await rita.page.getByTestId('reconnecting').waitFor();
  await chat.getByTestId('chat-offline').waitFor();
  const whileAway = ['Are you there?', 'Let me check the logs.', 'Found it: the driver.', 'I will fix it now.'];
  await say(desk, whileAway[0]);
  await say(desk, whileAway[1]);
  await desk.getByTestId('chat-private').check();
  await say(desk, 'Rita went offline', { button: true });
  await desk.getByTestId('chat-private').uncheck();
  await say(desk, whileAway[2]);
  await say(desk, whileAway[3], { button: true });
  // The customer writes too: offline the page cannot send; the text waits in the input.
  await input.fill('My wifi is gone');
  assert.equal(await sendButton.isDisabled(), true, 'Send is disabled offline');
  await input.press('Enter');
  assert.equal(await input.inputValue(), 'My wifi is gone');
  assert.equal(await lineWith(chat, 'My wifi is gone'), undefined);
  // The drop lasts: the page tries again and is refused at least once.
  await until(() => net.refused >= 1, 'a reconnect attempt while down');
  assert.equal(await rita.page.getByTestId('reconnecting').count(), 1);
  for (const text of whileAway) assert.equal(await lineWith(chat, text), undefined, 'offline, nothing new');

  // Back: the page reconnects by itself and gets what it missed, once each.
  net.restore();
  await rita.page.getByTestId('reconnecting').waitFor({ state: 'detached', timeout: 20_000 });
  await chat.getByTestId('chat-offline').waitFor({ state: 'detached' });
  await waitForLines(chat, (ls) => whileAway.every((t) => ls.some((l) => l.text === t)), 'the lines missed');
  await waitForAttribute(sendButton, 'disabled', null);
  await sendButton.click();
  await waitForValue(input, '');
  await waitForLine(chat, 'My wifi is gone');
  await waitForLine(desk, 'My wifi is gone');
  await assertSameChat(chat, desk);

  // A line lost on the way (the connection went silent, then dropped): "not sent", with a retry.
  net.lose('toServer');
  await say(chat, 'Lost on the way', { stored: false });
  await waitForLines(chat, (ls) => ls.some((l) => l.text === 'Lost on the way' && l.pending === 'sending'), 'sending');
  await net.drop();
  await waitForLines(chat, (ls) => ls.some((l) => l.text === 'Lost on the way' && l.pending === 'failed'), 'not sent');
  const failed = chat.locator('[data-testid=chat-line][data-pending=failed]');
  await waitForText(failed.locator('.chat-state-failed'), /^Not sent\.$/);
  const retry = failed.getByTestId('chat-retry');
  assert.equal(await retry.isDisabled(), true, 'no retry while offline');
  net.restore();
  await rita.page.getByTestId('reconnecting').waitFor({ state: 'detached', timeout: 20_000 });
  await waitForAttribute(retry, 'disabled', null);
  await retry.click();
  await waitForLine(chat, 'Lost on the way');
  await waitForLine(desk, 'Lost on the way');
  assert.equal(await chat.locator('[data-pending]').count(), 0);

  // A line that arrived but whose acknowledgement was lost: shown once when back, not as unsent.
  net.lose('toPage');
  await say(chat, 'Did this arrive?', { stored: false });
  const arrived = await waitForLine(desk, 'Did this arrive?');
  assert.equal((await lineWith(chat, 'Did this arrive?')).pending, 'sending');
  await net.drop();
  await waitForLines(chat, (ls) => ls.some((l) => l.text === 'Did this arrive?' && l.pending === 'failed'), 'not sent');
  net.restore();
  await rita.page.getByTestId('reconnecting').waitFor({ state: 'detached', timeout: 20_000 });
  const settled = await waitForLine(chat, 'Did this arrive?');
  assert.equal(settled.seq, arrived.seq);
  await until(async () => (await chat.locator('[data-pending]').count()) === 0, 'no line left unsent');
  assert.equal(await chat.getByTestId('chat-retry').count(), 0);

  // Both sides now and after the customer reloads her page.
  await say(desk, 'All good now');
  await waitForLine(chat, 'All good now');
  const { mine } = await assertSameChat(chat, desk);
  await rita.page.reload();
  await waitForStatus(rita, 'active');
  await waitForLines(chat, (ls) => ls.length === mine.length && ls.every((l) => l.seq !== null), 'the chat again');
  await say(chat, 'Reloaded');
  await waitForLine(desk, 'Reloaded');
  await assertSameChat(chat, desk);

  // The end. The session stores its closing line after the request's new
  // state went out, so the line can come after the page's last resume is
  // answered (held back here until it is): the page waits for it.
  const closing = 'Anna closed the session';
  const slow = net.hold((m) => m.type === 'chat.line' && m.line?.text === closing);
  const mark = net.received().length;
  await act(anna, id, 'close');
  await waitForLine(desk, closing);
  await until(() => {
    const since = net.received().slice(mark);
    const over = since.findIndex((m) => m.type === 'request.state' && m.request?.status === 'closed');
    return over >= 0 && since.slice(over + 1).some((m) => m.type === 'chat.synced') && slow.held() > 0;
  }, 'the resume after the end answered, the closing line held back');
  assert.equal(await lineWith(chat, closing), undefined);
  slow.release();
  await waitForLine(chat, closing);
  await waitForAttribute(chat, 'data-open', 'false');
  await assertSameChat(chat, desk);
  assertNoProblems([anna, rita]);
});

test('two chats at once: lines land in the right chat, unread badges, a draft per chat', { timeout: 150_000 }, async () => {
  const anna = await intake.console('anna');
  const sessions = anna.page.getByTestId('session-count');
  const activeBefore = Number(await sessions.getAttribute('data-active'));
  const uma = await joinedChat(intake, anna, 'Uma');
  const vic = await joinedChat(intake, anna, 'Vic');
  const umaRow = anna.row(uma.id);
  const vicRow = anna.row(vic.id);
  await waitForAttribute(sessions, 'data-active', String(activeBefore + 2));

  // Anna writes to Uma; a draft stays in Uma's input.
  let umaDesk = await selectRequest(anna, uma.id);
  await say(umaDesk, 'Hello Uma');
  await waitForLine(uma.chat, 'Hello Uma');
  await umaDesk.getByTestId('chat-input').fill('Draft for Uma');

  // Vic writes while Anna reads Uma's chat: a badge on Vic's row, none on Uma's.
  const vicBadge = vicRow.getByTestId('unread');
  await say(vic.chat, 'Vic here');
  await waitForAttribute(vicBadge, 'data-count', '1');
  await say(vic.chat, 'Anybody?');
  await waitForAttribute(vicBadge, 'data-count', '2');
  assert.equal(await vicBadge.getAttribute('aria-label'), '2 unread messages');
  assert.equal(await umaRow.getByTestId('unread').count(), 0);
  assert.ok(!(await shownLines(umaDesk)).some((l) => /Vic here|Anybody/.test(l.text)), "not in Uma's chat");

  // Vic types; Anna opens his chat: his lines, his typing, no badge, an empty input.
  await vic.chat.getByTestId('chat-input').fill('I am wai');
  const vicDesk = await selectRequest(anna, vic.id);
  await waitForText(vicDesk.getByTestId('chat-typing'), /^Vic is typing…$/);
  await vicBadge.waitFor({ state: 'detached' });
  await waitForLine(vicDesk, 'Anybody?');
  assert.deepEqual(
    (await shownLines(vicDesk)).map((l) => l.text),
    ['Anna joined the session', 'Vic here', 'Anybody?'],
  );
  assert.equal(await vicDesk.getByTestId('chat-input').inputValue(), '', "Uma's draft stays in Uma's chat");

  // Back to Uma while Vic is still typing: not shown there; her draft is back and is sent to her.
  umaDesk = await selectRequest(anna, uma.id);
  await waitForValue(umaDesk.getByTestId('chat-input'), 'Draft for Uma');
  assert.equal(await umaDesk.getByTestId('chat-typing').count(), 0, "Vic's typing is not in Uma's chat");
  await umaDesk.getByTestId('chat-input').press('Enter');
  await waitForLine(umaDesk, 'Draft for Uma');
  await waitForLine(uma.chat, 'Draft for Uma');
  await vic.chat.getByTestId('chat-input').fill('');

  // Anna answers Vic; meanwhile Uma writes: now Uma's row has the badge.
  const vicDesk2 = await selectRequest(anna, vic.id);
  await say(vicDesk2, 'Hello Vic');
  await waitForLine(vic.chat, 'Hello Vic');
  const umaBadge = umaRow.getByTestId('unread');
  await say(uma.chat, 'Uma again');
  await waitForAttribute(umaBadge, 'data-count', '1');
  assert.equal(await vicBadge.count(), 0);
  umaDesk = await selectRequest(anna, uma.id);
  await waitForLine(umaDesk, 'Uma again');
  await umaBadge.waitFor({ state: 'detached' });

  // Each customer saw their own chat only, the same as Anna's.
  const umaSaw = (await assertSameChat(uma.chat, umaDesk)).mine.map((l) => l.text);
  assert.deepEqual(umaSaw, [
    'Anna joined the session',
    'Hello Uma',
    'Draft for Uma',
    'Uma again',
  ]);
  const vicDesk3 = await selectRequest(anna, vic.id);
  const vicSaw = (await assertSameChat(vic.chat, vicDesk3)).mine.map((l) => l.text);
  assert.deepEqual(vicSaw, ['Anna joined the session', 'Vic here', 'Anybody?', 'Hello Vic']);

  // Anna closes Uma's; Vic ends his himself. Each chat gets its own last line.
  await act(anna, uma.id, 'close');
  await waitForStatus(uma.customer, 'closed');
  await waitForLine(uma.chat, 'Anna closed the session');
  await vic.customer.page.getByTestId('cancel-request').click();
  await vic.customer.page.getByTestId('cancel-confirm').click(); // "Leave the chat?"
  await waitForAttribute(vic.customer.page.getByTestId('request-outcome'), 'data-outcome', 'customer_left');
  await waitForLine(vic.chat, 'The customer left the session');
  await waitForAttribute(vic.chat, 'data-open', 'false');
  const vicDesk4 = await selectRequest(anna, vic.id);
  await waitForLine(vicDesk4, 'The customer left the session');
  await waitForAttribute(vicDesk4, 'data-open', 'false');
  await assertSameChat(vic.chat, vicDesk4);
  const umaDesk3 = await selectRequest(anna, uma.id);
  await assertSameChat(uma.chat, umaDesk3);
  assert.ok(!(await shownLines(umaDesk3)).some((l) => /customer ended/.test(l.text)), "not in Uma's chat");
  await waitForAttribute(sessions, 'data-active', String(activeBefore));
  assertNoProblems([anna, uma.customer, vic.customer]);
});
