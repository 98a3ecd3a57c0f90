// The customer page's screen-sharing question where the customer is looking
// (issue 10), at 1366x768, against the real node with its demo account:
//   The customer is at the bottom of a long chat, typing; Anna asks for the
//   screen: the question is wholly in view, right above the message box
//   (which stays in view and keeps the focus and what was typed); allowed,
//   it goes. Scrolled to the top of the page, a second question is in view
//   too; declined, Anna reads so.
// Run: OA_BIN=build/test/node/openassist OA_WEB_DIR=web/dist node --test tests/browser/portal_screen_prompt.test.mjs
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { waitForAttribute } from './helpers.mjs';
import { assertNoProblems, startIntake } from './intake_helpers.mjs';
import { say } from './chat_helpers.mjs';
import { assertInView, box, joinedWithScreen, overlap } from './screen_helpers.mjs';

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

test('the screen question shows where the customer types, and in view when scrolled away', { timeout: 180_000 }, async () => {
  const anna = await intake.console('anna');
  const { customer, id, chat, desk } = await joinedWithScreen(intake, anna, 'Maren', { viewport: VIEWPORT });
  const page = customer.page;
  for (let i = 1; i <= 8; i++) {
    await say(desk, `Question ${i}: what does the printer show?`);
    await say(chat, `Answer ${i}: a red light`);
  }

  // The customer is at the bottom of the page, typing.
  const input = chat.getByTestId('chat-input');
  await input.click();
  await input.pressSequentially('My printer');
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  assert.ok((await page.evaluate(() => window.scrollY)) > 0, 'the page is longer than the window');
  assertInView(await box(input), VIEWPORT, 'the message box before the question');

  const detail = anna.page.locator(`[data-testid=request-detail][data-request-id="${id}"]`);
  await detail.getByTestId('screen-request').click();
  const consent = page.getByTestId('screen-consent');
  await consent.waitFor();
  const [question, field] = [await box(consent), await box(input)];
  assertInView(question, VIEWPORT, 'the screen-sharing question');
  assertInView(field, VIEWPORT, 'the message box with the question');
  assert.ok(!overlap(question, field), 'the question does not cover the message box');
  assert.ok(question.bottom <= field.top, 'the question is above the message box');
  assert.ok(field.top - question.bottom < 120, `the question is near the message box (${field.top - question.bottom} px)`);
  // In the chat, and the customer types on undisturbed.
  assert.equal(await chat.getByTestId('screen-consent').count(), 1, 'the question is in the chat');
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'chat-input', 'the focus stays');
  await page.keyboard.type(' blinks');
  assert.equal(await input.inputValue(), 'My printer blinks');

  await consent.getByTestId('screen-allow').click();
  await page.getByTestId('screen-sharing').waitFor();
  await consent.waitFor({ state: 'detached' });
  await waitForAttribute(detail.getByTestId('screen-panel'), 'data-sharing', 'true');

  // Stopped; the customer reads the top of the page when Anna asks again.
  await detail.getByTestId('screen-stop').click();
  await page.getByTestId('screen-sharing').waitFor({ state: 'detached' });
  await detail.getByTestId('screen-request').waitFor();
  await page.evaluate(() => window.scrollTo(0, 0));
  await detail.getByTestId('screen-request').click();
  await consent.waitFor();
  assertInView(await box(consent), VIEWPORT, 'the question with the page scrolled to the top');
  await consent.getByTestId('screen-deny').click();
  await consent.waitFor({ state: 'detached' });
  await detail.getByTestId('screen-declined').waitFor();

  assertNoProblems([anna, customer]);
});
