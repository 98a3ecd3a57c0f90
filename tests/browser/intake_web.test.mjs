// Web-mode intake in the browser, against the real node with its demo account:
// a customer on the portal page (/p/demo/<slug>) and technicians in their
// consoles (/console/), each person in a browser context of their own.
//   SmartBox: every available technician is alerted, the first accept wins.
//   SmartMatch: the customer picks a technician; only that one is alerted.
// Run: OA_BIN=build/test/node/openassist OA_WEB_DIR=web/dist node --test tests/browser/intake_web.test.mjs
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
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

test('SmartBox: both consoles alerted, the first accept wins, the customer follows', { timeout: 90_000 }, async () => {
  const anna = await intake.console('anna');
  const carla = await intake.console('carla');
  const maria = await intake.customer('help', 'Maria');
  assert.equal(await maria.page.getByTestId('portal-title').textContent(), 'Help Desk');
  assert.equal(await maria.form.getAttribute('data-portal-type'), 'smartbox');

  const id = await maria.submit(fields('Maria Muster'));
  assert.match(id, /^\d+$/);
  await waitForStatus(maria, 'waiting');

  // Both consoles show the alert card with who is asking and what for.
  for (const tech of [anna, carla]) {
    const card = tech.alert(id);
    await card.waitFor();
    assert.equal(await card.getAttribute('data-portal-type'), 'smartbox');
    assert.equal(await card.getByTestId('alert-customer').textContent(), 'Maria Muster');
    assert.equal(await card.getByTestId('alert-problem').textContent(), 'Maria Muster needs help');
  }

  // Carla is first: she has it, Anna's card goes and she is told why.
  await carla.alert(id).getByTestId('alert-accept').click();
  await carla.alert(id).waitFor({ state: 'detached' });
  await carla.page.locator('[data-testid=toast][data-kind=ok]').first().waitFor();
  await anna.alert(id).waitFor({ state: 'detached' });
  await waitForText(anna.page.locator('[data-testid=toast][data-code=taken]'), /A colleague took it/);
  assert.equal(await anna.page.getByTestId('alerts').count(), 0, 'no alert left for Anna');

  // Carla's console selected it; the customer learns who has it.
  const detail = carla.page.locator(`[data-testid=request-detail][data-request-id="${id}"]`);
  await waitForAttribute(detail, 'data-status', 'assigned');
  await waitForText(detail.getByTestId('detail-technician'), /^Carla Diaz$/);
  await waitForStatus(maria, 'assigned');
  await waitForText(maria.page.getByTestId('technician-assigned'), /Carla has taken your request/);
  // Anna sees it in her list as Carla's.
  await waitForAttribute(anna.row(id), 'data-status', 'assigned');
  assert.match(await anna.row(id).textContent(), /Carla Diaz/);

  // Join: the customer sees the technician joined.
  await detail.getByTestId('action-join').click();
  await waitForStatus(maria, 'active');
  await waitForText(maria.page.getByTestId('technician-joined'), /A technician has joined: Carla/);
  await waitForAttribute(anna.row(id), 'data-status', 'active');

  // Close: over for the customer, who may start a new request.
  await act(carla, id, 'close');
  await waitForStatus(maria, 'closed');
  await waitForAttribute(maria.page.getByTestId('request-outcome'), 'data-outcome', 'closed');
  await maria.page.getByTestId('new-request').waitFor();
  assert.equal(await maria.page.getByTestId('cancel-request').count(), 0);
  await waitForAttribute(anna.row(id), 'data-status', 'closed');

  assertNoProblems([anna, carla, maria]);
});

test('SmartMatch: the customer picks a technician; only that console is alerted', { timeout: 90_000 }, async () => {
  const anna = await intake.console('anna');
  const carla = await intake.console('carla');
  const pia = await intake.customer('experts', 'Pia');
  assert.equal(await pia.form.getAttribute('data-portal-type'), 'smartmatch');

  // The technicians available now, not the ones without a console.
  const offered = await pia.form
    .getByTestId('technician-choice')
    .locator('option')
    .evaluateAll((options) => options.filter((o) => o.value !== '').map((o) => o.textContent));
  assert.deepEqual(offered.sort(), ['Anna', 'Carla']);

  const id = await pia.submit(fields('Pia'), { technician: 'Anna' });
  await waitForStatus(pia, 'waiting');

  // Anna is alerted; Carla sees the request in her list, without a card.
  await anna.alert(id).waitFor();
  await waitForAttribute(carla.row(id), 'data-status', 'waiting');
  assert.equal(await carla.alert(id).count(), 0, 'Carla must not be alerted');

  await anna.alert(id).getByTestId('alert-accept').click();
  await waitForStatus(pia, 'assigned');
  await waitForText(pia.page.getByTestId('technician-assigned'), /Anna has taken your request/);
  await waitForAttribute(carla.row(id), 'data-status', 'assigned');
  assert.equal(await carla.alert(id).count(), 0, 'Carla was never alerted');
  assert.equal(await carla.page.locator('[data-testid=toast][data-code=taken]').count(), 0);

  await act(anna, id, 'close');
  await waitForStatus(pia, 'closed');

  assertNoProblems([anna, carla, pia]);
});
