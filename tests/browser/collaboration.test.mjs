// Colleagues in a session in the browser (docs/sessions.md, "Collaboration"),
// against the real node with its demo account: a customer on the portal page
// (/p/demo/help), Anna, Ben and Carla in their consoles, each in a browser
// context of their own.
//   Anna invites Ben by name, hidden and view only: Ben accepts from his
//   invitation card and reads the chat (earlier lines too) with his input
//   disabled; the customer sees nothing of him. Inviting him again is refused
//   with the server's reason. Anna invites anyone on the portal, seen and with
//   full control: Carla's card survives a reload, she accepts, the customer
//   sees her join and her line. Anna leaves and hands over: the session goes
//   to Ben (present longest), everyone is told, Ben writes to the customer.
//   Carla leaves.
//   A declined invitation goes from both consoles; the technician who leaves
//   without colleagues puts the request back in the queue.
// Run: OA_BIN=build/test/node/openassist OA_WEB_DIR=web/dist node --test tests/browser/collaboration.test.mjs
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { waitForAttribute, waitForText } from './helpers.mjs';
import { assertNoProblems, showTab, startIntake, waitForStatus } from './intake_helpers.mjs';
import {
  consoleChat,
  joinedChat,
  recordFrames,
  say,
  selectRequest,
  shownLines,
  waitForLine,
  waitForLines,
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

/** The detail pane of a request (there while it is selected). */
const detailOf = (tech, id) => tech.page.locator(`[data-testid=request-detail][data-request-id="${id}"]`);

/** The invitation cards for a request in a console. */
const invitesFor = (tech, id) => tech.page.locator(`[data-testid=invite][data-request-id="${id}"]`);

/**
 * Anna's invitation from the request's detail pane: `to` is a colleague's full
 * name or 'anyone'. Resolves once the form is gone (sent); with `error` it
 * waits for the form's error instead and resolves to its text.
 */
async function invite(tech, id, to, { hidden, rights, error = false }) {
  const detail = detailOf(tech, id);
  const form = detail.getByTestId('invite-form');
  if ((await form.count()) === 0) await detail.getByTestId('action-invite').click();
  await form.waitFor();
  const target = form.getByTestId('invite-target');
  if (to === 'anyone') await target.selectOption('anyone');
  else await target.selectOption(await target.locator(`option[data-name="${to}"]`).getAttribute('value'));
  const box = form.getByTestId('invite-hidden');
  if (hidden) await box.check();
  else await box.uncheck();
  await form.getByTestId(`invite-rights-${rights}`).check();
  await form.getByTestId('invite-submit').click();
  if (error) return waitForText(form.getByTestId('invite-error'), /\S/);
  await form.waitFor({ state: 'detached' });
  return undefined;
}

/** The colleagues the detail pane lists: {name, hidden, rights}. */
function collaborators(tech, id) {
  return detailOf(tech, id)
    .locator('[data-testid=collaborator]')
    .evaluateAll((items) =>
      items.map((li) => ({
        name: li.querySelector('[data-testid=collaborator-name]')?.textContent ?? '',
        hidden: li.dataset.hidden === 'true',
        rights: li.dataset.rights,
      })),
    );
}

/** Waits until `check()` holds (polling). */
async function until(check, what, timeout = 10_000) {
  const deadline = Date.now() + timeout;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeout} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('invite a hidden watcher and anyone with full control, then leave and hand over', { timeout: 240_000 }, async () => {
  const anna = await intake.console('anna');
  let frames;
  const { customer: greta, id, chat, desk } = await joinedChat(intake, anna, 'Greta', {
    before: (c) => {
      frames = recordFrames(c.page);
    },
  });
  await say(chat, 'My laptop does not boot');
  await waitForLine(desk, 'My laptop does not boot');
  await say(desk, 'Let me ask a colleague to look along.');
  await waitForLine(chat, 'Let me ask a colleague to look along.');
  const ben = await intake.console('ben');
  const carla = await intake.console('carla');

  // No invitations yet anywhere; only the session's technician may invite.
  assert.equal(await ben.page.getByTestId('invites').count(), 0);
  await selectRequest(ben, id);
  assert.equal(await detailOf(ben, id).getByTestId('action-invite').count(), 0, 'not Ben’s session');
  assert.equal(await detailOf(ben, id).getByTestId('action-leave').count(), 0, 'Ben is not in it');

  // Anna invites Ben by name: hidden from the customer, view only.
  await invite(anna, id, 'Ben Okafor', { hidden: true, rights: 'view' });
  const pending = detailOf(anna, id).getByTestId('pending-invite');
  await waitForText(pending.getByTestId('pending-invite-to'), /^Ben Okafor$/);
  assert.deepEqual(
    [await pending.getAttribute('data-hidden'), await pending.getAttribute('data-rights')],
    ['true', 'view'],
  );

  // Ben's card: who invites, the customer, the problem, hidden, view only.
  const card = invitesFor(ben, id);
  await card.waitFor();
  assert.equal(await card.getByTestId('invite-from').textContent(), 'Anna Berger invites you');
  assert.equal(await card.getByTestId('invite-customer').textContent(), 'Greta');
  assert.equal(await card.getByTestId('invite-problem').textContent(), 'Greta needs help');
  assert.equal(await card.getByTestId('invite-visibility').textContent(), 'Hidden from the customer');
  assert.equal(await card.getByTestId('invite-rights').textContent(), 'View only');
  assert.equal(await invitesFor(carla, id).count(), 0, 'an invitation by name goes to that colleague only');

  // Ben accepts: the card goes, the request opens, with the whole chat so far.
  await card.getByTestId('invite-accept').click();
  await card.waitFor({ state: 'detached' });
  await waitForAttribute(ben.row(id), 'aria-selected', 'true');
  await waitForAttribute(ben.row(id), 'data-colleague', 'true');
  const benChat = consoleChat(ben, id);
  const hiddenJoin = 'Ben joined the session (hidden from the customer)';
  const benLines = await waitForLines(
    benChat,
    (ls) => ls.some((l) => l.text === hiddenJoin) && ls.some((l) => l.text === 'My laptop does not boot'),
    'the earlier lines and his private joining line in Ben’s chat',
  );
  assert.deepEqual(
    benLines.slice(0, 3).map((l) => l.text),
    ['Anna joined the session', 'My laptop does not boot', 'Let me ask a colleague to look along.'],
  );
  assert.equal(benLines.find((l) => l.text === hiddenJoin).private, true, 'his joining is a private line');
  // View only: the input, the private-note box, "Send file" and the screen controls are disabled.
  await waitForAttribute(benChat, 'data-view-only', 'true');
  assert.equal(await benChat.getAttribute('data-open'), 'false');
  assert.equal(await benChat.getAttribute('data-role'), 'colleague');
  assert.equal(await benChat.getByTestId('chat-input').isDisabled(), true);
  assert.equal(await benChat.getByTestId('chat-send').isDisabled(), true);
  assert.equal(await benChat.getByTestId('chat-file-send').isDisabled(), true);
  assert.equal(await benChat.getByTestId('chat-notice').textContent(), 'You are watching (view only).');
  assert.match(await benChat.getByTestId('chat-input-note').textContent(), /^The customer does not see you: your lines are private notes/);
  const benDetail = detailOf(ben, id);
  assert.equal(await benDetail.getByTestId('screen-request').isDisabled(), true);
  assert.equal(await benDetail.getByTestId('collab-mine').textContent(),
    'You are in this session as a colleague: View only, Hidden from the customer.');
  assert.equal(await benDetail.locator('[data-testid=action-leave][data-role=colleague]').count(), 1);
  assert.equal(await benDetail.getByTestId('action-transfer').count(), 0);
  assert.equal(await benDetail.getByTestId('action-close').count(), 0);

  // Anna's console lists him (hidden, view only); the invitation is answered.
  await until(async () => (await collaborators(anna, id)).length === 1, 'Ben in Anna’s list');
  assert.deepEqual(await collaborators(anna, id), [{ name: 'Ben Okafor', hidden: true, rights: 'view' }]);
  await pending.waitFor({ state: 'detached' });
  await waitForLine(desk, hiddenJoin);
  await waitForAttribute(anna.row(id).getByTestId('row-collaborators'), 'title', 'Ben Okafor');

  // Ben reads what is written from now on; the customer sees nothing of him.
  await say(chat, 'The screen stays black');
  await waitForLine(benChat, 'The screen stays black');
  await say(desk, 'Hold the power button for ten seconds.');
  await waitForLine(benChat, 'Hold the power button for ten seconds.');
  await waitForLine(chat, 'Hold the power button for ten seconds.');
  const gretaSees = await shownLines(chat);
  assert.ok(!gretaSees.some((l) => /Ben|Okafor/.test(l.text)), `no sign of Ben: ${JSON.stringify(gretaSees)}`);
  assert.ok(!/Ben|Okafor/.test(await greta.page.locator('body').innerText()), 'nothing on the customer’s page');

  // Inviting him again: the server's reason next to the form.
  assert.equal(
    await invite(anna, id, 'Ben Okafor', { hidden: false, rights: 'full', error: true }),
    'This colleague is in the session already.',
  );
  await detailOf(anna, id).getByTestId('invite-cancel').click();

  // Anna invites anyone on the portal, seen and with full control: Carla (online) gets it, Ben (in) does not.
  await invite(anna, id, 'anyone', { hidden: false, rights: 'full' });
  await waitForText(detailOf(anna, id).getByTestId('pending-invite-to'), /^Anyone on this portal$/);
  let carlaCard = invitesFor(carla, id);
  await carlaCard.waitFor();
  assert.equal(await carlaCard.getAttribute('data-anyone'), 'true');
  assert.equal(await carlaCard.getByTestId('invite-visibility').textContent(), 'Seen by the customer');
  assert.equal(await carlaCard.getByTestId('invite-rights').textContent(), 'Full control');
  assert.equal(await invitesFor(ben, id).count(), 0, 'Ben is in the session already');

  // A reload: the invitation is there again (console.state).
  await carla.page.reload();
  await waitForAttribute(carla.page.getByTestId('connection-state'), 'data-state', 'open');
  carlaCard = invitesFor(carla, id);
  await carlaCard.waitFor();
  assert.equal(await carlaCard.getByTestId('invite-customer').textContent(), 'Greta');
  await carlaCard.getByTestId('invite-accept').click();
  await carlaCard.waitFor({ state: 'detached' });

  // Everyone sees Carla join; she writes, the customer sees it with her name.
  const carlaJoined = 'Carla joined the session';
  await waitForLine(chat, carlaJoined);
  await waitForLine(desk, carlaJoined);
  await waitForLine(benChat, carlaJoined);
  const carlaChat = consoleChat(carla, id);
  await waitForLine(carlaChat, carlaJoined);
  await waitForAttribute(carlaChat, 'data-open', 'true');
  assert.equal(await carlaChat.getAttribute('data-view-only'), 'false');
  assert.equal(await carlaChat.getByTestId('chat-input-note').count(), 0, 'the customer sees Carla');
  assert.equal(await detailOf(carla, id).getByTestId('screen-request').isDisabled(), false, 'full control');
  const carlaLine = await say(carlaChat, 'Hi Greta, Carla here. Is the charger plugged in?');
  assert.equal(carlaLine.private, false);
  await waitForLine(chat, carlaLine.text);
  assert.equal(
    await chat.locator(`[data-testid=chat-line][data-seq="${carlaLine.seq}"] .chat-name`).textContent(),
    'Carla',
  );
  await waitForLine(benChat, carlaLine.text);
  await until(async () => (await collaborators(anna, id)).length === 2, 'Carla in Anna’s list');
  assert.deepEqual(await collaborators(anna, id), [
    { name: 'Ben Okafor', hidden: true, rights: 'view' },
    { name: 'Carla Diaz', hidden: false, rights: 'full' },
  ]);
  assert.equal(await detailOf(anna, id).getByTestId('pending-invite').count(), 0);

  // Until now not even a message to the customer's page named Ben.
  assert.ok(!frames.raw().join('\n').includes('Okafor'), 'no frame to the customer names Ben');

  // Anna leaves and hands over: Ben, present longest, takes the session.
  await detailOf(anna, id).locator('[data-testid=action-leave][data-role=owner]').click();
  const confirm = detailOf(anna, id).getByTestId('leave-confirm');
  await waitForText(confirm.getByTestId('leave-confirm-text'), /^Leave this session\? Ben Okafor, here the longest, takes it over\.$/);
  await confirm.getByTestId('leave-confirm-submit').click();
  await confirm.waitFor({ state: 'detached' });
  const handedOver = 'The session was handed over to Ben';
  for (const box of [chat, desk, benChat, carlaChat]) await waitForLine(box, handedOver);
  assert.equal((await waitForLine(chat, handedOver)).private, false);

  // Ben is the technician now: he writes, the customer sees it with his name.
  await waitForAttribute(benChat, 'data-open', 'true');
  assert.equal(await benChat.getAttribute('data-role'), 'owner');
  assert.equal(await benChat.getAttribute('data-view-only'), 'false');
  assert.equal(await benChat.getByTestId('chat-input').isDisabled(), false);
  assert.equal(await benChat.getByTestId('chat-notice').count(), 0);
  assert.equal(await benChat.getByTestId('chat-input-note').count(), 0);
  await waitForText(benDetail.getByTestId('detail-technician'), /^Ben Okafor$/);
  assert.equal(await benDetail.locator('[data-testid=action-leave][data-role=owner]').count(), 1);
  await benChat.getByTestId('chat-private').waitFor();
  assert.equal(await benChat.getByTestId('chat-private').isChecked(), false);
  const benLine = await say(benChat, 'Ben here, I take over from Anna.');
  assert.equal(benLine.private, false);
  await waitForLine(chat, benLine.text);
  assert.equal(
    await chat.locator(`[data-testid=chat-line][data-seq="${benLine.seq}"] .chat-name`).textContent(),
    'Ben',
  );
  await waitForLine(carlaChat, benLine.text);
  await until(async () => (await collaborators(ben, id)).length === 1, 'only Carla with Ben');
  assert.deepEqual(await collaborators(ben, id), [{ name: 'Carla Diaz', hidden: false, rights: 'full' }]);

  // Anna only reads now.
  await waitForAttribute(desk, 'data-open', 'false');
  assert.equal(await desk.getAttribute('data-role'), 'reader');
  assert.equal(await desk.getByTestId('chat-input').count(), 0);
  assert.equal(await detailOf(anna, id).getByTestId('action-invite').count(), 0);
  assert.equal(await detailOf(anna, id).getByTestId('action-leave').count(), 0);
  await waitForLine(desk, benLine.text);

  // Carla leaves: the customer is told, Carla reads only, Ben's list is empty.
  await detailOf(carla, id).locator('[data-testid=action-leave][data-role=colleague]').click();
  const carlaLeft = 'Carla left the session';
  await waitForLine(chat, carlaLeft);
  await waitForLine(benChat, carlaLeft);
  await waitForAttribute(carlaChat, 'data-open', 'false');
  assert.equal(await carlaChat.getAttribute('data-role'), 'reader');
  await detailOf(ben, id).getByTestId('collaborators').waitFor({ state: 'detached' });
  assert.equal(await carla.row(id).getAttribute('data-colleague'), null);

  assertNoProblems([anna, ben, carla, greta]);
});

test('a declined invitation goes; leaving without colleagues puts the request back in the queue', { timeout: 120_000 }, async () => {
  const anna = await intake.console('anna');
  const { customer: hugo, id, chat, desk } = await joinedChat(intake, anna, 'Hugo');
  const carla = await intake.console('carla');

  await invite(anna, id, 'Carla Diaz', { hidden: false, rights: 'full' });
  const card = invitesFor(carla, id);
  await card.waitFor();
  await detailOf(anna, id).getByTestId('pending-invite').waitFor();
  await card.getByTestId('invite-decline').click();
  await card.waitFor({ state: 'detached' });
  await detailOf(anna, id).getByTestId('pending-invite').waitFor({ state: 'detached' });
  assert.equal(await detailOf(anna, id).getByTestId('collaborators').count(), 0);
  await say(desk, 'Nobody else this time.');
  await waitForLine(chat, 'Nobody else this time.');
  assert.ok(!(await shownLines(chat)).some((l) => /Carla/.test(l.text)), 'the customer hears nothing of it');

  // Anna leaves with nobody in the session: back to the front of the queue.
  await showTab(anna, 'all');
  await detailOf(anna, id).locator('[data-testid=action-leave][data-role=owner]').click();
  const confirm = detailOf(anna, id).getByTestId('leave-confirm');
  await waitForText(
    confirm.getByTestId('leave-confirm-text'),
    /^Leave this session\? No colleague is in it: the request goes back to the front of the queue\.$/,
  );
  await confirm.getByTestId('leave-cancel').click();
  await confirm.waitFor({ state: 'detached' });
  await detailOf(anna, id).locator('[data-testid=action-leave][data-role=owner]').click();
  await confirm.getByTestId('leave-confirm-submit').click();
  await waitForAttribute(anna.row(id), 'data-status', 'waiting');
  await waitForStatus(hugo, 'waiting');
  assert.equal(await detailOf(anna, id).getByTestId('action-leave').count(), 0);

  assertNoProblems([anna, carla, hugo]);
});

test('a hidden colleague with full control writes private notes; nobody else online to invite', { timeout: 120_000 }, async () => {
  const anna = await intake.console('anna');
  let frames;
  const { customer: ivo, id, chat, desk } = await joinedChat(intake, anna, 'Ivo', {
    before: (c) => {
      frames = recordFrames(c.page);
    },
  });
  const carla = await intake.console('carla');

  await invite(anna, id, 'Carla Diaz', { hidden: true, rights: 'full' });
  const card = invitesFor(carla, id);
  await card.waitFor();
  await card.getByTestId('invite-accept').click();
  await card.waitFor({ state: 'detached' });
  const carlaChat = consoleChat(carla, id);
  await waitForLine(carlaChat, 'Carla joined the session (hidden from the customer)');

  // She writes, but only as private notes: the box is ticked and cannot be unticked.
  await waitForAttribute(carlaChat, 'data-open', 'true');
  const box = carlaChat.getByTestId('chat-private');
  assert.equal(await box.isChecked(), true);
  assert.equal(await box.isDisabled(), true);
  assert.match(await carlaChat.getByTestId('chat-input-note').textContent(), /^The customer does not see you/);
  const note = await say(carlaChat, 'The event log shows a disk error.');
  assert.equal(note.private, true);
  const annaSees = await waitForLine(desk, note.text);
  assert.equal(annaSees.private, true);

  // Anna writes after it: the customer gets her line, never Carla's (nor her typing).
  await say(desk, 'We are looking into it.');
  await waitForLine(chat, 'We are looking into it.');
  assert.ok(!(await shownLines(chat)).some((l) => /Carla|disk error/.test(l.text)));
  assert.ok(!frames.raw().join('\n').includes('Carla'), 'no frame to the customer names Carla');

  // Anyone on the portal: nobody else is online (Ben and David have no console open).
  assert.equal(
    await invite(anna, id, 'anyone', { hidden: false, rights: 'view', error: true }),
    'No colleague of this portal is online.',
  );

  assertNoProblems([anna, carla, ivo]);
});
