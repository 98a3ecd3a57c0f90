// Ending a request on the customer page is never one click by mistake (issue
// 10), in headless Chromium at 1366×768 against the real node with its demo
// account: during a chat the button is "Leave the chat" and asks first
// ("Keep chatting" changes nothing); while waiting, "Cancel request" asks too.
// Run: OA_BIN=build/test/node/openassist OA_WEB_DIR=web/dist node --test tests/browser/portal_leave.test.mjs
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { waitForAttribute, waitForText } from './helpers.mjs';
import { assertNoProblems, fields, startIntake, waitForStatus } from './intake_helpers.mjs';
import { consoleChat, joinedChat, say, waitForLine } from './chat_helpers.mjs';

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

const LAPTOP = { width: 1366, height: 768 };

test('leaving an active chat asks first; keeping it changes nothing', { timeout: 120_000 }, async () => {
  const anna = await intake.console('anna');
  await anna.page.setViewportSize(LAPTOP);
  const { customer, id, chat, desk } = await joinedChat(intake, anna, 'Lisa', {
    before: (c) => c.page.setViewportSize(LAPTOP),
  });
  const page = customer.page;
  const button = page.getByTestId('cancel-request');
  await waitForText(button, /^Leave the chat$/);

  // A click asks; the chat goes on meanwhile.
  await button.click();
  const confirm = page.getByTestId('cancel-confirmation');
  await confirm.waitFor();
  assert.equal(await confirm.getAttribute('data-kind'), 'leave');
  assert.equal(await confirm.getAttribute('role'), 'alertdialog');
  await waitForText(confirm, /^Leave the chat\?/);
  assert.ok(await confirm.isVisible());
  assert.equal(await customer.status.getAttribute('data-status'), 'active');
  await waitForText(page.getByTestId('cancel-keep'), /^Keep chatting$/);
  assert.equal(
    await page.evaluate(() => document.activeElement?.getAttribute('data-testid')),
    'cancel-keep',
    'the safe choice has the focus',
  );

  // "Keep chatting": nothing ended, the chat works.
  await page.getByTestId('cancel-keep').click();
  await confirm.waitFor({ state: 'detached' });
  assert.equal(await customer.status.getAttribute('data-status'), 'active');
  await say(chat, 'Still here');
  await waitForLine(desk, 'Still here');

  // Escape also keeps it.
  await button.click();
  await confirm.waitFor();
  await page.keyboard.press('Escape');
  await confirm.waitFor({ state: 'detached' });
  assert.equal(await customer.status.getAttribute('data-status'), 'active');

  // Confirmed: the session ends on both sides.
  await button.click();
  await waitForText(page.getByTestId('cancel-confirm'), /^Leave the chat$/);
  await page.getByTestId('cancel-confirm').click();
  await waitForAttribute(page.getByTestId('request-outcome'), 'data-outcome', 'customer_left');
  await waitForLine(chat, 'The customer left the session');
  await waitForAttribute(chat, 'data-open', 'false');
  await waitForLine(consoleChat(anna, id), 'The customer left the session');
  assertNoProblems([anna, customer]);
});

test('cancelling a waiting request asks first', { timeout: 120_000 }, async () => {
  const anna = await intake.console('anna');
  const customer = await intake.customer('help', 'Wanda');
  await customer.page.setViewportSize(LAPTOP);
  const id = await customer.submit(fields('Wanda'));
  await waitForStatus(customer, 'waiting');
  const page = customer.page;

  await waitForText(page.getByTestId('cancel-request'), /^Cancel request$/);
  await page.getByTestId('cancel-request').click();
  const confirm = page.getByTestId('cancel-confirmation');
  await waitForText(confirm, /^Cancel your request\?/);
  assert.equal(await confirm.getAttribute('data-kind'), 'cancel');
  await waitForText(page.getByTestId('cancel-keep'), /^Keep waiting$/);
  await page.getByTestId('cancel-keep').click();
  await confirm.waitFor({ state: 'detached' });
  assert.equal(await customer.status.getAttribute('data-status'), 'waiting');
  await anna.alert(id).waitFor();

  await page.getByTestId('cancel-request').click();
  await page.getByTestId('cancel-confirm').click();
  await waitForAttribute(page.getByTestId('request-outcome'), 'data-outcome', 'cancelled');
  await anna.alert(id).waitFor({ state: 'detached' });
  assertNoProblems([anna, customer]);
});

// A customer who leaves an active session ends it as a finished session
// (status `closed`, outcome `customer_left`), which they may rate.
test(
  'after leaving a chat the customer is offered the rating form',
  { timeout: 120_000 },
  async () => {
    const anna = await intake.console('anna');
    const { customer } = await joinedChat(intake, anna, 'Rosa');
    await customer.page.getByTestId('cancel-request').click();
    await customer.page.getByTestId('cancel-confirm').click();
    await waitForAttribute(customer.page.getByTestId('request-outcome'), 'data-outcome', 'customer_left');
    await customer.page.getByTestId('rating-form').waitFor({ timeout: 10_000 });
  },
);
