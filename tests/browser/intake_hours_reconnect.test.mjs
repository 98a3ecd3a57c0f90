// The portal page outside business hours, and pages that lose their
// WebSocket, in the browser against the real node with its demo account
// (each person in a browser context of their own).
//   Closed: the notice with the next opening time, no form.
//   Reconnects: the customer page and the console come back by themselves and
//   show what changed while they were away.
// Run: OA_BIN=build/test/node/openassist OA_WEB_DIR=web/dist node --test tests/browser/intake_hours_reconnect.test.mjs
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { get } from '../harness/node.mjs';
import { waitForAttribute, waitForText } from './helpers.mjs';
import { act, assertNoProblems, fields, startIntake, waitForStatus } from './intake_helpers.mjs';

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

test('a portal outside its business hours shows when it opens again, and no form', { timeout: 60_000 }, async () => {
  // Open only 09:00-10:00 (UTC) on the weekday three days from today.
  const now = new Date();
  const day = (now.getUTCDay() + 3) % 7;
  const hours = await intake.mc('POST', '/business-hours', {
    name: 'Once a week',
    weekly: [{ day, open: '09:00', close: '10:00' }],
  });
  await intake.mc('POST', '/portals', {
    name: 'Weekly',
    slug: 'weekly',
    mode: 'web',
    type: 'smartbox',
    time_zone: 'UTC',
    hours_id: hours.id,
    texts: { title: 'Weekly help', welcome: 'Once a week.' },
  });
  const expected = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 3, 9, 0) / 1000;
  const api = await get(`${intake.node.publicUrl}/api/v1/public/portals/demo/weekly`);
  assert.deepEqual(api.json.open, { open: false, next_open: expected, reason: 'outside_hours' });

  const visitor = await intake.customer('weekly', 'Visitor');
  const { page } = visitor;
  assert.equal(await page.getByTestId('portal-title').textContent(), 'Weekly help');
  const notice = page.getByTestId('portal-closed');
  await notice.waitFor();
  assert.equal(await notice.getAttribute('data-reason'), 'outside_hours');
  assert.match(await notice.locator('h2').textContent(), /We are closed right now/);
  const next = notice.getByTestId('next-open');
  assert.equal(await next.getAttribute('datetime'), new Date(expected * 1000).toISOString());
  // In the visitor's time zone and language: the weekday and the time.
  const local = await page.evaluate((ms) => {
    const d = new Date(ms);
    return {
      weekday: d.toLocaleDateString('en-US', { weekday: 'long' }),
      time: `${d.getHours() % 12 || 12}:${String(d.getMinutes()).padStart(2, '0')}`,
    };
  }, expected * 1000);
  const text = await next.textContent();
  assert.ok(text.includes(local.weekday), `${JSON.stringify(text)} names ${local.weekday}`);
  assert.ok(text.includes(local.time), `${JSON.stringify(text)} has ${local.time}`);
  assert.match(await notice.textContent(), /We are open again from/);
  // No way to ask: neither form nor button.
  assert.equal(await page.getByTestId('request-form').count(), 0);
  assert.equal(await page.getByTestId('submit-request').count(), 0);
  assert.equal(await page.locator('input, textarea, select').count(), 0);

  assertNoProblems([visitor]);
});

/** Waits until the locator's attribute matches. */
async function waitForAttributeMatch(locator, name, pattern, timeout = 10_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const current = await locator.getAttribute(name, { timeout }).catch(() => null);
    if (current !== null && pattern.test(current)) return current;
    if (Date.now() > deadline) throw new Error(`${name}=${JSON.stringify(current)} never matched ${pattern}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('a portal page and a console that lose their connection come back up to date', { timeout: 90_000 }, async () => {
  const anna = await intake.console('anna', { droppable: true });
  const rita = await intake.customer('help', 'Rita', { droppable: true });
  const ritaId = await rita.submit(fields('Rita'));
  await waitForStatus(rita, 'waiting');
  await anna.alert(ritaId).waitFor();

  // The customer's connection drops; meanwhile Anna takes the request.
  await rita.network.drop();
  await rita.page.getByTestId('reconnecting').waitFor();
  await anna.alert(ritaId).getByTestId('alert-accept').click();
  await waitForAttribute(anna.row(ritaId), 'data-status', 'assigned');
  assert.equal(await rita.status.getAttribute('data-status'), 'waiting', 'offline, the page cannot know yet');

  // Back online: it reconnects by itself and shows who has the request.
  rita.network.restore();
  await rita.page.getByTestId('reconnecting').waitFor({ state: 'detached', timeout: 15_000 });
  await waitForStatus(rita, 'assigned');
  await waitForText(rita.page.getByTestId('technician-assigned'), /^Anna has taken your request/);
  // And it follows the request live again.
  await act(anna, ritaId, 'join');
  await waitForStatus(rita, 'active');

  // Now the console's connection drops; meanwhile Rita cancels and Sven asks for help.
  await anna.network.drop();
  await waitForAttribute(anna.page.getByTestId('connection-state'), 'data-state', 'reconnecting');
  await rita.page.getByTestId('cancel-request').click();
  await rita.page.getByTestId('cancel-confirm').click(); // "Leave the chat?"
  // Over for her: she left an active session.
  await waitForAttribute(rita.page.getByTestId('request-outcome'), 'data-outcome', 'customer_left');
  await waitForText(rita.status, /^Your request is over$/);
  const sven = await intake.customer('help', 'Sven');
  const svenId = await sven.submit(fields('Sven'));
  await waitForStatus(sven, 'waiting');
  assert.equal(await anna.row(svenId).count(), 0, 'offline, the console cannot know yet');
  assert.equal(await anna.row(ritaId).getAttribute('data-status'), 'active');

  // Back online: the console reconnects by itself and shows the list as it is now.
  anna.network.restore();
  await waitForAttribute(anna.page.getByTestId('connection-state'), 'data-state', 'open', 15_000);
  await waitForAttributeMatch(anna.row(ritaId), 'data-status', /^(closed|abandoned)$/);
  await waitForAttribute(anna.row(svenId), 'data-status', 'waiting');
  await waitForAttribute(anna.page.getByTestId('session-count'), 'data-active', '0');
  // Sven's request is offered to her, and she can take it.
  await anna.alert(svenId).waitFor();
  await anna.alert(svenId).getByTestId('alert-accept').click();
  await waitForStatus(sven, 'assigned');
  await waitForText(sven.page.getByTestId('technician-assigned'), /^Anna has taken your request/);
  await act(anna, svenId, 'close');
  await waitForStatus(sven, 'closed');

  // The test cuts sockets through Playwright's WebSocket route; Chromium may
  // log a send that raced the cut on the page's side of the route.
  assertNoProblems([anna, rita, sven], [{ text: 'WebSocket is already in CLOSING or CLOSED state' }]);
});
