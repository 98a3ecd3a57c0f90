// What customers are promised (issue 10), in headless Chromium at 1366×768
// against the real node with its demo account, one browser context per person:
//   - the technician's screen name ("shown to customers instead of the full
//     name") is all the customer ever sees of them: status, chat lines, the
//     join line, the transcript, the rating form;
//   - a recording portal says so on its form and while the customer waits,
//     before the chat starts; the technician's effective features on it say
//     recording on;
//   - skill choices show their labels, not their keys;
//   - a technician whose team serves no portal is told so in the console.
// Run: OA_BIN=build/test/node/openassist OA_WEB_DIR=web/dist node --test tests/browser/customer_promises.test.mjs
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { COMPANY, login, openPage, waitForAttribute, waitForText } from './helpers.mjs';
import { act, assertNoProblems, fields, startIntake, waitForStatus } from './intake_helpers.mjs';
import { customerChat, downloaded, waitForLine } from './chat_helpers.mjs';

let intake;
let ids;
before(async () => {
  intake = await startIntake();
  ids = await intake.directory();
});
after(async () => {
  await intake?.closeAll();
  await intake?.stop();
});

const laptop = (person) => person.page.setViewportSize({ width: 1366, height: 768 });
const portalId = async (slug) => (await intake.mc('GET', '/portals')).portals.find((p) => p.slug === slug).id;

/** Everything the customer's page shows as text. */
const pageText = (customer) => customer.page.evaluate(() => document.body.innerText);

test('the customer sees the screen name everywhere, and that the portal records before the chat', { timeout: 180_000 }, async () => {
  await intake.mc('PUT', `/technicians/${ids.techs.anna}`, { screen_name: 'Annie' });
  await intake.mc('PUT', `/portals/${await portalId('help')}`, { features: { recording: true } });
  const anna = await intake.console('anna');
  await laptop(anna);
  const customer = await intake.customer('help', 'Rita');
  await laptop(customer);

  // Before anything is asked: the form says the portal records.
  const notice = customer.page.getByTestId('recording-notice');
  await waitForText(notice, /Sessions on this portal are recorded \(chat and shared screen\)/);
  assert.ok(await notice.isVisible());
  const id = await customer.submit(fields('Rita'));
  await waitForStatus(customer, 'waiting');
  assert.ok(await customer.page.getByTestId('recording-notice').isVisible(), 'said while waiting too');

  await anna.alert(id).waitFor();
  await anna.alert(id).getByTestId('alert-accept').click();
  await waitForText(customer.page.getByTestId('technician-assigned'), /Annie/);
  await act(anna, id, 'join');
  await waitForStatus(customer, 'active');
  await waitForText(customer.page.getByTestId('technician-joined'), /Annie/);

  const chat = customerChat(customer);
  await waitForLine(chat, 'Annie joined the session');
  const desk = anna.page.locator(`[data-testid=request-detail][data-request-id="${id}"] [data-testid=chat]`);
  const input = desk.getByTestId('chat-input');
  await input.fill('Hello Rita, let me look.');
  await input.press('Enter');
  await waitForLine(chat, 'Hello Rita, let me look.');
  const author = await chat
    .locator('[data-testid=chat-line][data-from=technician] .chat-name')
    .first()
    .textContent();
  assert.equal(author, 'Annie');
  assert.ok(await customer.page.getByTestId('recording-notice').isVisible(), 'and during the chat');
  assert.doesNotMatch(await pageText(customer), /Berger/);

  const transcript = await downloaded(customer.page, customer.page.getByTestId('chat-save'));
  assert.match(transcript.text, /\* Annie joined the session/);
  assert.match(transcript.text, /Annie: Hello Rita, let me look\./);
  assert.doesNotMatch(transcript.text, /Berger/);

  // The technician's own console keeps the full name.
  assert.equal(await anna.page.getByTestId('me-name').textContent(), 'Anna Berger');

  await act(anna, id, 'close', { resolution: 'resolved' });
  await customer.page.getByTestId('rating-form').waitFor();
  assert.doesNotMatch(await pageText(customer), /Berger/);
  assertNoProblems([anna, customer]);
  await intake.closeAll();
});

test('the effective features of a technician on a recording portal say recording on', { timeout: 120_000 }, async () => {
  const help = await portalId('help'); // recording since the test above
  await intake.mc('PUT', `/portals/${help}`, { features: { recording: true } });
  const { context, page, unexpected } = await openPage(intake.browser);
  try {
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.goto(`${intake.node.publicUrl}/manage/#/people/${ids.techs.ben}`);
    await login(page, COMPANY);
    await page.getByTestId('technician-page').waitFor();
    const effective = page.getByTestId('effective-features');
    await effective.locator('select[name=portal_id]').selectOption({ label: 'Help Desk' });
    await waitForAttribute(page.getByTestId('effective-table'), 'data-portal', String(help));
    const recording = page.getByTestId('effective-recording');
    await waitForAttribute(recording, 'data-value', 'on');
    assert.equal(await recording.getAttribute('data-source'), 'portal');
    assert.match(await recording.getByTestId('effective-source').textContent(), /The portal records every session/);
    // A portal that does not record: off.
    await effective.locator('select[name=portal_id]').selectOption({ label: 'Website button' });
    await waitForAttribute(page.getByTestId('effective-recording'), 'data-value', 'off');
    assert.deepEqual(unexpected([{ status: 401, path: '/api/v1/auth/me' }]), []);
  } finally {
    await context.close();
  }
});

test('skill choices show their labels; a portal that does not record says nothing', { timeout: 120_000 }, async () => {
  const customer = await intake.customer('queue', 'Quinn');
  await laptop(customer);
  const topic = customer.form.locator('select[name=topic]');
  const options = await topic.locator('option').evaluateAll((os) => os.map((o) => [o.value, o.textContent]));
  assert.deepEqual(options.slice(1), [
    ['windows', 'Windows'],
    ['network', 'Network and Wi-Fi'],
    ['printers', 'Printers'],
  ]);
  await topic.selectOption({ label: 'Network and Wi-Fi' });
  assert.equal(await topic.inputValue(), 'network');
  assert.equal(await customer.page.getByTestId('recording-notice').count(), 0);
  assertNoProblems([customer]);
  await intake.closeAll();
});

test('a technician whose team serves no portal is told so in the console', { timeout: 120_000 }, async () => {
  const lonely = await intake.mc('POST', '/teams', { name: 'Lonely' });
  await intake.mc('POST', `/technicians/${ids.techs.david}/move`, { team_id: lonely.id });
  const david = await intake.console('david');
  await laptop(david);
  const notice = david.page.getByTestId('no-portal-notice');
  await waitForText(notice, /No portal reaches you\./);
  assert.ok(await notice.isVisible());
  // Visible in the header without scrolling, at laptop size.
  const box = await notice.boundingBox();
  assert.ok(box && box.y + box.height <= 768, JSON.stringify(box));
  const anna = await intake.console('anna');
  assert.equal(await anna.page.getByTestId('no-portal-notice').count(), 0, 'Anna’s team serves portals');

  // Once the team is put on a portal, the notice goes at once.
  const help = (await intake.mc('GET', '/portals')).portals.find((p) => p.slug === 'help');
  const subs = help.sub_portals.map((s, i) => (i === 0 ? { ...s, team_ids: [...s.team_ids, lonely.id] } : s));
  await intake.mc('PUT', `/portals/${help.id}`, { sub_portals: subs });
  await notice.waitFor({ state: 'detached' });
  assertNoProblems([david, anna]);
  await intake.closeAll();
});
