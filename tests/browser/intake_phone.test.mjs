// Phone mode (SmartPIN) in the browser, against the real node with its demo
// account: the technician makes a connection code in the console's code view,
// reads it to the caller, who types it into the portal page and reaches that
// technician only. A code works once, and not after it expired.
// The two tests run side by side: the expiry test waits out a one-minute code.
// Run: OA_BIN=build/test/node/openassist OA_WEB_DIR=web/dist node --test tests/browser/intake_phone.test.mjs
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { waitForAttribute, waitForText } from './helpers.mjs';
import { act, assertNoProblems, fields, showTab, startIntake, waitForStatus } from './intake_helpers.mjs';

const CODE_TTL_MS = 60_000; // code_ttl_min: 1
const SHORT = { name: 'Short phone', slug: 'short-phone' };
const DEMO_PHONE = { name: 'Phone support', slug: 'phone' };

let intake;

before(async () => {
  intake = await startIntake();
  const { teams } = await intake.directory();
  // Made before any console opens, so every console offers both phone portals.
  await intake.mc('POST', '/portals', {
    name: SHORT.name,
    slug: SHORT.slug,
    mode: 'phone',
    type: 'smartpin',
    time_zone: 'UTC',
    code_ttl_min: 1,
    sub_portals: [{ name: 'EU', team_ids: [teams['Support EU']] }],
  });
});

after(async () => {
  await intake?.stop();
});

/**
 * Makes a code for the portal in the technician's code view; resolves to
 * {code, spoken, madeAt}: the digits, as the console shows them (grouped), and
 * when the console had it.
 */
async function makeCode(tech, portalName) {
  const view = tech.page.getByTestId('codes-view');
  await view.waitFor();
  await view.getByTestId('code-portal').selectOption({ label: portalName });
  const big = view.getByTestId('new-code');
  const before = (await big.count()) > 0 ? await big.getAttribute('data-code') : null;
  await view.getByTestId('code-generate').click();
  for (const deadline = Date.now() + 10_000; ; ) {
    const current = await big.getAttribute('data-code', { timeout: 10_000 }).catch(() => null);
    if (current && current !== before) break;
    if (Date.now() > deadline) throw new Error('no new code shown');
    await new Promise((r) => setTimeout(r, 50));
  }
  const madeAt = Date.now();
  const code = await big.getAttribute('data-code');
  assert.match(code, /^\d{9}$/);
  // Listed with its time left, grouped for reading out.
  const item = view.locator(`[data-testid=code-item][data-code="${code}"]`);
  await item.waitFor();
  const spoken = (await item.locator('.code-digits').textContent()).trim();
  assert.equal(spoken.replace(/\D/g, ''), code);
  assert.notEqual(spoken, code, 'shown in groups');
  return { code, spoken, madeAt, item };
}

/** Submits the code on a fresh customer page and expects the "invalid code" message. */
async function expectRefused(scope, portal, code, name) {
  const customer = await scope.customer(portal.slug, name);
  await customer.form.getByTestId('code-input').fill(code);
  for (const [key, value] of Object.entries(fields(name))) await customer.form.locator(`[name="${key}"]`).fill(value);
  await customer.page.getByTestId('submit-request').click();
  const error = customer.form.getByTestId('form-error');
  await waitForAttribute(error, 'data-code', 'invalid_code');
  await waitForText(error, /This code is not valid\. Check the digits, or ask the technician for a new code\./);
  assert.equal(await customer.page.getByTestId('live-view').count(), 0, 'no request was made');
  assert.equal(await customer.page.getByTestId('submit-request').isEnabled(), true, 'the customer may try again');
  return customer;
}

describe('phone mode', { concurrency: true }, () => {
  test('a code connects the customer to its technician only, and only once', { timeout: 90_000 }, async () => {
    const scope = intake.scope();
    try {
      const anna = await scope.console('anna');
      const ben = await scope.console('ben');
      const carla = await scope.console('carla');
      await showTab(anna, 'mine');

      const { code, spoken, item } = await makeCode(anna, DEMO_PHONE.name);

      const paul = await scope.customer(DEMO_PHONE.slug, 'Paul');
      assert.equal(await paul.form.getAttribute('data-portal-type'), 'smartpin');
      const id = await paul.submit(fields('Paul'), { code: spoken });
      await waitForStatus(paul, 'assigned');
      await waitForText(paul.page.getByTestId('technician-assigned'), /^Anna has taken your request/);

      // Hers at once, without an alert; the code is used up.
      await waitForAttribute(anna.row(id), 'data-status', 'assigned');
      assert.match(await anna.row(id).textContent(), /Anna Berger/);
      await item.waitFor({ state: 'detached' });
      for (const tech of [anna, ben, carla]) {
        await waitForAttribute(tech.row(id), 'data-status', 'assigned');
        assert.equal(await tech.page.getByTestId('alerts').count(), 0, `${tech.name} got no alert`);
      }

      // The same code on a fresh page: refused, clearly.
      const again = await expectRefused(scope, DEMO_PHONE, code, 'Paula');

      await act(anna, id, 'join');
      await waitForStatus(paul, 'active');
      await act(anna, id, 'close');
      await waitForStatus(paul, 'closed');

      assertNoProblems(scope.people.filter((p) => p !== again));
      assertNoProblems([again], [{ status: 400, path: `/api/v1/public/portals/demo/${DEMO_PHONE.slug}/requests` }]);
    } finally {
      await scope.closeAll();
    }
  });

  test('a code that expired is refused', { timeout: 150_000 }, async () => {
    const scope = intake.scope();
    try {
      const anna = await scope.console('anna');
      const { code, madeAt, item } = await makeCode(anna, SHORT.name);
      assert.match(await item.getByTestId('code-remaining').textContent(), /^(1:0[01]|0:[0-5]\d)$/);

      // The console drops it when it expires; wait a little beyond that on this clock too.
      await item.waitFor({ state: 'detached', timeout: CODE_TTL_MS + 15_000 });
      const rest = madeAt + CODE_TTL_MS + 1000 - Date.now();
      if (rest > 0) await new Promise((r) => setTimeout(r, rest));

      // Anna is still there and available: the code is refused because it expired.
      await waitForAttribute(anna.page.getByTestId('status-select'), 'data-status', 'available');
      const late = await expectRefused(scope, SHORT, code, 'Late');
      assert.equal(await anna.page.getByTestId('alerts').count(), 0);

      assertNoProblems([anna]);
      assertNoProblems([late], [{ status: 400, path: `/api/v1/public/portals/demo/${SHORT.slug}/requests` }]);
    } finally {
      await scope.closeAll();
    }
  });
});
