// Nobody answers (docs/intake.md, "Nobody answers"), in the browser against
// the real node with its demo account; each person in a browser context of
// their own, at 1366x768.
//   SmartBox with two technicians online who let the alert run out: the
//   request is alerted again, then the customer chooses; an e-mail left is
//   shown in the console as "contact by e-mail". Nothing is said twice.
//   SmartMatch: the chosen technician declines; the other one is alerted at
//   once and the customer is told so.
// Run: OA_BIN=build/test/node/openassist OA_WEB_DIR=web/dist node --test tests/browser/intake_no_answer.test.mjs
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { waitForAttribute, waitForText } from './helpers.mjs';
import { assertNoProblems, fields, showTab, startIntake, waitForStatus } from './intake_helpers.mjs';

const LAPTOP = { width: 1366, height: 768 };
let intake;

/** Opens a console or a customer page and sizes it as a laptop's. */
async function laptop(person) {
  const p = await person;
  await p.page.setViewportSize(LAPTOP);
  return p;
}

before(async () => {
  intake = await startIntake();
  const { teams } = await intake.directory();
  // The shortest alert time a portal may have: 15 s a round.
  await intake.mc('POST', '/portals', {
    name: 'Quick help',
    slug: 'quick',
    mode: 'web',
    type: 'smartbox',
    time_zone: 'UTC',
    alert_timeout_s: 15,
    notification_email: 'desk@demo.openassist.example',
    sub_portals: [{ name: 'All', team_ids: [teams['Support EU'], teams['Support US']] }],
  });
});

afterEach(async () => {
  await intake?.closeAll();
});

after(async () => {
  await intake?.stop();
});

/** The notice the waiting page shows (its kind), once it is `kind`. */
function waitForNotice(customer, kind, timeout = 10_000) {
  return waitForAttribute(customer.page.getByTestId('request-message'), 'data-notice', kind, timeout);
}

test('alert timeout with two technicians online: alerted again, then the customer leaves an e-mail', { timeout: 120_000 }, async () => {
  const anna = await laptop(intake.console('anna'));
  const carla = await laptop(intake.console('carla'));
  const ida = await laptop(intake.customer('quick', 'Ida'));
  const id = await ida.submit(fields('Ida Imhof'));
  await waitForStatus(ida, 'waiting');
  for (const tech of [anna, carla]) await tech.alert(id).waitFor();

  // Nobody accepts within 15 s: not thrown away but alerted again.
  await waitForNotice(ida, 'alerted_again', 25_000);
  await waitForStatus(ida, 'waiting');
  // Both cards are there again, with a new time to accept.
  for (const tech of [anna, carla]) {
    await tech.alert(id).waitFor();
    await waitForText(tech.alert(id).getByTestId('alert-countdown'), /^\d+:\d\d$/);
  }
  await waitForText(ida.page.getByTestId('request-message'), /No technician has answered yet/);
  assert.equal(await ida.page.getByTestId('request-outcome').count(), 0, 'the request is not over');

  // Again nobody: the customer chooses, the alerts are gone, the request waits.
  const choice = ida.page.getByTestId('wait-choice');
  await waitForAttribute(choice, 'data-state', 'offered', 25_000);
  await waitForStatus(ida, 'waiting');
  for (const tech of [anna, carla]) await tech.alert(id).waitFor({ state: 'detached' });
  await waitForText(choice, /No technician has been able to answer yet/);
  assert.ok(await choice.getByTestId('choice-wait').isVisible(), 'keep waiting is offered');
  // The e-mail from the form is suggested; a bad one is refused on the page.
  assert.equal(await choice.getByTestId('choice-email').inputValue(), 'idaimhof@example.com');
  await choice.getByTestId('choice-email').fill('not an address');
  await choice.getByTestId('choice-contact').click();
  await waitForText(choice.getByTestId('choice-error'), /valid e-mail address/);
  await choice.getByTestId('choice-email').fill('ida@home.example');
  await choice.getByTestId('choice-contact').click();
  await waitForAttribute(choice, 'data-state', 'contact');
  await waitForText(ida.page.getByTestId('contact-confirmed'), /contact you by e-mail at ida@home\.example/);
  await waitForStatus(ida, 'waiting');

  // The technicians see it in their list, flagged, with the address.
  for (const tech of [anna, carla]) {
    await showTab(tech, 'all');
    await waitForAttribute(tech.row(id), 'data-status', 'waiting');
    await tech.row(id).getByTestId('row-contact').waitFor();
  }
  await anna.row(id).click();
  const detail = anna.page.locator(`[data-testid=request-detail][data-request-id="${id}"]`);
  await waitForText(detail.getByTestId('detail-contact'), /ida@home\.example/);

  // "No technician could answer in time" is never said twice (nor at all now).
  const body = await ida.page.locator('body').innerText();
  assert.ok((body.match(/could answer in time/g) ?? []).length <= 1, body);

  // Changing her mind, the customer waits after all: both are alerted again.
  await ida.page.getByTestId('choice-wait').click();
  for (const tech of [anna, carla]) await tech.alert(id).waitFor();
  await waitForNotice(ida, 'alerted_again').catch(() => {});
  assert.equal(await ida.page.getByTestId('wait-choice').count(), 0);
  await carla.alert(id).getByTestId('alert-accept').click();
  await waitForStatus(ida, 'assigned');

  assertNoProblems([anna, carla, ida]);
});

test('SmartMatch decline: the other available technician is alerted at once', { timeout: 90_000 }, async () => {
  const anna = await laptop(intake.console('anna'));
  const carla = await laptop(intake.console('carla'));
  const pia = await laptop(intake.customer('experts', 'Pia'));
  const id = await pia.submit(fields('Pia'), { technician: 'Anna' });
  await waitForStatus(pia, 'waiting');
  await anna.alert(id).waitFor();
  assert.equal(await carla.alert(id).count(), 0, 'only the chosen one first');

  await anna.alert(id).getByTestId('alert-decline').click();
  await anna.alert(id).waitFor({ state: 'detached' });
  // Carla is asked now, and the customer reads why (not "all technicians are busy").
  await carla.alert(id).waitFor();
  await waitForNotice(pia, 'widened');
  await waitForText(pia.page.getByTestId('request-message'), /The technician you chose cannot answer right now/);
  assert.doesNotMatch(await pia.page.getByTestId('live-view').innerText(), /All technicians are busy/);

  await carla.alert(id).getByTestId('alert-accept').click();
  await waitForStatus(pia, 'assigned');
  await waitForText(pia.page.getByTestId('technician-assigned'), /Carla has taken your request/);

  assertNoProblems([anna, carla, pia]);
});
