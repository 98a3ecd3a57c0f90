// Queue estimates on the customer's waiting page (docs/intake.md, "Wait
// estimates"), in the browser at 1366x768 against the real node with its
// demo account: from the portal's handle time and the sessions of its
// available technicians, one estimate per place, in English and German; no
// estimate (said plainly) while nobody takes the portal's requests.
// Run: OA_BIN=build/test/node/openassist OA_WEB_DIR=web/dist node --test tests/browser/queue_estimate.test.mjs
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { get } from '../harness/node.mjs';
import { waitForAttribute, waitForText } from './helpers.mjs';
import { assertNoProblems, fields, setStatus, startIntake, waitForStatus } from './intake_helpers.mjs';

const LAPTOP = { width: 1366, height: 768 };
let intake;

before(async () => {
  intake = await startIntake();
});

after(async () => {
  await intake?.closeAll();
  await intake?.stop();
});

/** Waits until the customer's page shows place `position`. */
async function waitForPosition(customer, position) {
  await waitForStatus(customer, 'waiting');
  await waitForText(customer.page.getByTestId('queue-position'), new RegExp(`^${position}$`));
}

test('places 1, 2, 3 get their own estimate from handle time and serving technicians; none while nobody serves', { timeout: 150_000 }, async () => {
  // One technician who takes two sessions at a time.
  const team = await intake.mc('POST', '/teams', { name: 'Pair' });
  const pat = await intake.mc('POST', '/technicians', {
    email: 'solo@demo.openassist.example',
    first_name: 'Sam',
    last_name: 'Solo',
    team_id: team.id,
    password: 'demo-tech-1',
  });
  await intake.mc('PUT', `/technicians/${pat.id}`, { features: { max_sessions: 2 } });
  await intake.mc('POST', '/portals', {
    name: 'Pair queue',
    slug: 'pair-queue',
    mode: 'queue',
    type: 'queue',
    time_zone: 'UTC',
    sub_portals: [{ name: 'Pair', team_ids: [team.id] }],
  });
  const status = async () => {
    const res = await get(`${intake.node.publicUrl}/api/v1/public/portals/demo/pair-queue/status`);
    assert.equal(res.status, 200, res.text);
    return res.json;
  };

  const tech = await intake.console('solo');
  await tech.page.setViewportSize(LAPTOP);
  await waitForAttribute(tech.page.getByTestId('session-count'), 'data-max', '2');
  await setStatus(tech, 'busy');
  // Busy: nobody takes the portal's requests, so no estimate (it was 300 s).
  assert.equal((await status()).estimated_wait_s, null);

  const customers = [];
  for (const name of ['Ann', 'Bob', 'Cem', 'Dana', 'Eli']) {
    const customer = await intake.customer('pair-queue', name);
    await customer.page.setViewportSize(LAPTOP);
    await customer.submit(fields(name));
    customers.push(customer);
  }
  const [, , cem, dana, eli] = customers;
  await waitForPosition(eli, 5);
  // Said plainly: a place, no estimate.
  assert.equal(await eli.page.getByTestId('estimated-wait').count(), 0);
  await waitForAttribute(eli.page.getByTestId('request-message'), 'data-notice', 'no_estimate');
  await waitForText(eli.page.getByTestId('request-message'), /cannot say how long the wait will be/);

  // Available: two sessions start, three wait. Before any session of the
  // portal ended its handle time is 300 s; with two sessions in progress a
  // place frees about every 150 s.
  await setStatus(tech, 'available');
  await waitForStatus(customers[0], 'assigned');
  await waitForStatus(customers[1], 'assigned');
  const expected = [
    [cem, 1, 150, /^about 3 min$/],
    [dana, 2, 300, /^about 5 min$/],
    [eli, 3, 450, /^about 8 min$/],
  ];
  for (const [customer, place, seconds, text] of expected) {
    await waitForPosition(customer, place);
    const wait = customer.page.getByTestId('estimated-wait');
    await waitForAttribute(wait, 'data-seconds', String(seconds));
    await waitForText(wait, text);
  }
  assert.equal((await status()).estimated_wait_s, 600, 'the next place (4) for a new customer');

  // In German on the same page.
  await eli.page.evaluate(() => localStorage.setItem('openassist.lang', 'de'));
  await eli.page.reload();
  await waitForPosition(eli, 3);
  await waitForText(eli.page.getByTestId('estimated-wait'), /^etwa 8 min$/);
  await waitForText(eli.page.locator('.queue-facts'), /Geschätzte Wartezeit/);
  // Away: no estimate any more, said in German.
  await setStatus(tech, 'away');
  await waitForAttribute(eli.page.getByTestId('request-message'), 'data-notice', 'no_estimate');
  await waitForText(eli.page.getByTestId('request-message'), /können wir die Wartezeit nicht schätzen/);
  assert.equal(await eli.page.getByTestId('estimated-wait').count(), 0);

  assertNoProblems([tech, ...customers]);
});
