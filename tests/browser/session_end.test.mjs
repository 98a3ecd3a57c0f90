// The end of a session in the browser (docs/sessions.md, "End of a session"
// and "Session information for managers"), against the real node with its
// demo account; the customer (/p/demo/help), Anna (/console/) and each manager
// (/manage/) in a browser context of their own.
//   Anna closes through the close form (resolution, notes); the customer rates
//   with the stars (also by keyboard) and a comment and sees the thank-you; the
//   chat and "save chat history" stay. Anna's detail pane shows it all.
//   Managers: the Sessions page lists the request with its resolution and
//   rating, its detail shows the fields and the chat transcript; the team
//   manager of Anna's team sees it too. Older sessions page by page.
// Run: OA_BIN=build/test/node/openassist OA_WEB_DIR=web/dist node --test tests/browser/session_end.test.mjs
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { post } from '../harness/intake.mjs';
import { COMPANY, TEAMLEAD, waitForAttribute, waitForText } from './helpers.mjs';
import { ACCOUNT, act, assertNoProblems, fields, openManager, startIntake, waitForStatus } from './intake_helpers.mjs';
import { downloaded, joinedChat, rowsOf, say, waitForLine } from './chat_helpers.mjs';

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

/**
 * The Management Center in a fresh context, signed in as `who` and on the Sessions page with its table (or
 * the line saying there are none); closed with the test's other pages.
 */
async function openSessions(who) {
  const manager = await openManager(intake, who, { section: 'sessions', viewport: null });
  await manager.page.locator('[data-testid=sessions-table], [data-testid=sessions-empty]').first().waitFor();
  return manager;
}

const sessionRow = (page, id) => page.locator(`[data-testid=session-row][data-request-id="${id}"]`);

/** The ids the sessions table shows, in order. */
const shownIds = (page) =>
  page.locator('[data-testid=session-row]').evaluateAll((rows) => rows.map((r) => Number(r.dataset.requestId)));

test('close with a resolution, the customer rates, Anna and the managers see it', { timeout: 180_000 }, async () => {
  const anna = await intake.console('anna');
  const { customer: rita, id, chat, desk } = await joinedChat(intake, anna, 'Rita');
  const customerLine = 'My printer prints blank pages';
  const annaLine = 'Please reinstall the driver.';
  await say(chat, customerLine);
  await waitForLine(desk, customerLine);
  await say(desk, annaLine);
  await waitForLine(chat, annaLine);

  // The close form: "unknown" unless chosen; cancelling leaves the request as it was.
  const detail = anna.page.locator(`[data-testid=request-detail][data-request-id="${id}"]`);
  await detail.getByTestId('action-close').click();
  const form = detail.getByTestId('close-form');
  await form.waitFor();
  assert.equal(await form.getByTestId('close-resolution').inputValue(), 'unknown');
  assert.equal(await form.getByTestId('close-notes').getAttribute('maxlength'), '4000');
  assert.deepEqual(
    await form.locator('[data-testid=close-resolution] option').evaluateAll((os) => os.map((o) => o.value)),
    ['resolved', 'unresolved', 'unknown'],
  );
  await form.getByTestId('close-cancel').click();
  await form.waitFor({ state: 'detached' });
  assert.equal(await detail.getAttribute('data-status'), 'active');
  assert.equal(await rita.page.getByTestId('rating-form').count(), 0, 'nothing to rate while the session runs');

  const notes = 'Driver reinstalled.\nPrinter works again.';
  await act(anna, id, 'close', { resolution: 'resolved', notes });
  await waitForStatus(rita, 'closed');
  await waitForLine(chat, 'Anna closed the session');
  await waitForAttribute(detail, 'data-status', 'closed');
  await waitForText(detail.getByTestId('detail-resolution'), /^Resolved$/);
  assert.equal(await detail.getByTestId('detail-notes').textContent(), notes);
  assert.equal(await detail.getByTestId('detail-rating').count(), 0, 'not rated yet');

  // The customer's rating form; the chat and its history stay.
  const rating = rita.page.getByTestId('rating-form');
  await rating.waitFor();
  await waitForAttribute(chat, 'data-open', 'false');
  await chat.getByTestId('chat-save').waitFor();
  const stars = rating.getByTestId('rating-star');
  assert.deepEqual(await stars.evaluateAll((bs) => bs.map((b) => b.dataset.value)), ['1', '2', '3', '4', '5']);
  assert.deepEqual(
    await stars.evaluateAll((bs) => bs.map((b) => b.getAttribute('aria-pressed'))),
    ['false', 'false', 'false', 'false', 'false'],
  );
  assert.equal(await rating.getByTestId('rating-comment').getAttribute('maxlength'), '2000');

  // Without stars: said next to them, nothing sent.
  await rating.getByTestId('rating-submit').click();
  await waitForText(rating.locator('[data-testid=rating-error][data-field=rating]'), /^Please choose 1 to 5 stars\.$/);
  assert.equal(await rita.page.getByTestId('rating-thanks').count(), 0);

  // Stars by keyboard: Tab to one, arrows move along (and choose), Space / Enter choose.
  const star = (n) => rating.locator(`[data-testid=rating-star][data-value="${n}"]`);
  await star(2).focus();
  await rita.page.keyboard.press('Space');
  await waitForAttribute(star(2), 'aria-pressed', 'true');
  await rita.page.keyboard.press('ArrowRight');
  await rita.page.keyboard.press('ArrowRight');
  await rita.page.keyboard.press('ArrowRight');
  await waitForAttribute(star(5), 'aria-pressed', 'true');
  await rita.page.keyboard.press('ArrowLeft');
  await waitForAttribute(star(4), 'aria-pressed', 'true');
  assert.equal(await rita.page.evaluate(() => document.activeElement?.getAttribute('data-value')), '4');
  assert.deepEqual(
    await stars.evaluateAll((bs) => bs.map((b) => b.getAttribute('aria-pressed'))),
    ['false', 'false', 'false', 'true', 'false'],
  );
  assert.equal(await rating.locator('[data-testid=rating-error]').count(), 0, 'the hint goes once stars are chosen');

  const comment = 'Quick and friendly';
  await rating.getByTestId('rating-comment').fill(comment);
  await rating.getByTestId('rating-submit').click();
  const thanks = rita.page.getByTestId('rating-thanks');
  await thanks.waitFor();
  assert.equal(await thanks.getAttribute('data-rating'), '4');
  await waitForText(thanks, /Thank you for your feedback!.*You rated this session 4 of 5\./s);
  assert.equal(await rita.page.getByTestId('rating-form').count(), 0);

  // The chat is still there, and its history can still be saved.
  await waitForLine(chat, customerLine);
  const saved = await downloaded(rita.page, chat.getByTestId('chat-save'));
  assert.equal(saved.name, `chat-${id}.txt`);
  assert.ok(rowsOf(saved.text).some((r) => r.endsWith(`Rita: ${customerLine}`)), saved.text);

  // After a reload: the thank-you, no form, the chat.
  await rita.page.reload();
  await waitForStatus(rita, 'closed');
  await waitForAttribute(rita.page.getByTestId('rating-thanks'), 'data-rating', '4');
  assert.equal(await rita.page.getByTestId('rating-form').count(), 0);
  await waitForLine(chat, annaLine);

  // Anna's detail pane: the rating and the comment.
  await waitForAttribute(detail.getByTestId('detail-rating'), 'data-rating', '4');
  await waitForText(detail.getByTestId('detail-rating'), /4\/5/);
  assert.equal(await detail.getByTestId('detail-comment').textContent(), comment);
  await waitForText(detail.getByTestId('detail-resolution'), /^Resolved$/);

  // The company manager: the Sessions page and the session's detail.
  const boss = await openSessions(COMPANY);
  const row = sessionRow(boss.page, id);
  await row.waitFor();
  assert.equal(await row.getAttribute('data-rating'), '4');
  assert.equal(await row.getAttribute('data-resolution'), 'resolved');
  assert.equal(await row.getAttribute('data-status'), 'closed');
  assert.equal(await row.getByTestId('session-technician').textContent(), 'Anna Berger');
  assert.equal(await row.getByTestId('session-customer').textContent(), 'Rita');
  assert.equal(await row.getByTestId('session-resolution').textContent(), 'Resolved');
  await waitForText(row.getByTestId('session-rating'), /4\/5/);
  const ids = await shownIds(boss.page);
  assert.equal(ids[0], Number(id), 'newest first');

  await row.getByTestId('session-link').click();
  const session = boss.page.getByTestId('session-detail');
  await session.waitFor();
  assert.equal(new URL(boss.page.url()).hash, `#/sessions/${id}`);
  assert.equal(await session.getAttribute('data-request-id'), id);
  assert.equal(await session.getByTestId('session-customer-name').textContent(), 'Rita');
  assert.equal(await session.getByTestId('session-customer-email').textContent(), fields('Rita').email);
  assert.equal(await session.getByTestId('session-problem').textContent(), fields('Rita').problem);
  assert.equal(await session.getByTestId('session-technician').textContent(), 'Anna Berger');
  assert.equal(await session.getByTestId('session-resolution').textContent(), 'Resolved');
  assert.equal(await session.getByTestId('session-notes').textContent(), notes);
  await waitForText(session.getByTestId('session-rating'), /4\/5/);
  assert.equal(await session.getByTestId('session-comment').textContent(), comment);
  assert.ok((await session.getByTestId('session-ip').textContent()) !== '');
  const transcript = session.getByTestId('session-transcript');
  await waitForText(transcript, /Anna closed the session/);
  const shown = await transcript.textContent();
  assert.ok(rowsOf(shown).some((r) => r.endsWith(`Rita: ${customerLine}`)), shown);
  assert.ok(rowsOf(shown).some((r) => r.endsWith(`Anna: ${annaLine}`)), shown);
  const file = await downloaded(boss.page, session.getByTestId('session-transcript-download'));
  assert.equal(file.name, `chat-${id}.txt`);
  assert.equal(file.text, shown);
  await session.getByTestId('session-back').click();
  await boss.page.getByTestId('sessions-table').waitFor();

  // In German.
  await boss.page.getByTestId('lang-de').click();
  await waitForText(boss.page.getByTestId('nav-sessions'), /^Sitzungen$/);
  await waitForText(sessionRow(boss.page, id).getByTestId('session-resolution'), /^Gelöst$/);
  await boss.page.getByTestId('lang-en').click();
  await waitForText(boss.page.getByTestId('nav-sessions'), /^Sessions$/);

  // The team manager of Support EU (Anna's team) sees it too, also opened by its address.
  const lead = await openSessions(TEAMLEAD);
  const leadRow = sessionRow(lead.page, id);
  await leadRow.waitFor();
  assert.equal(await leadRow.getAttribute('data-rating'), '4');
  assert.equal(await leadRow.getAttribute('data-resolution'), 'resolved');
  await lead.page.goto(`${intake.node.publicUrl}/manage/#/sessions/${id}`);
  const leadSession = lead.page.getByTestId('session-detail');
  await leadSession.waitFor();
  await waitForText(leadSession.getByTestId('session-transcript'), new RegExp(customerLine));
  await waitForText(leadSession.getByTestId('session-rating'), /4\/5/);

  assertNoProblems([anna, rita, boss, lead]);
});

test('the sessions list pages back with "Older"; a team manager sees only their teams\' requests', { timeout: 120_000 }, async () => {
  // 55 requests nobody took, each cancelled by its customer.
  const base = `${intake.node.publicUrl}/api/v1/public/portals/${ACCOUNT}/help/requests`;
  const made = [];
  for (let i = 0; i < 55; i++) {
    const res = await post(base, { fields: fields(`Pager ${String.fromCharCode(97 + (i % 26))}`) });
    assert.equal(res.status, 201, res.text);
    const cancel = await post(`${base}/${res.json.request_id}/cancel`, { token: res.json.token });
    assert.ok(cancel.status < 300, cancel.text);
    made.push(Number(res.json.request_id));
  }
  const all = (await intake.mc('GET', '/requests?limit=200')).requests.map((r) => Number(r.id));
  assert.ok(all.length > 55 && all.length < 100, `${all.length} requests`);

  const boss = await openSessions(COMPANY);
  const first = await shownIds(boss.page);
  assert.equal(first.length, 50);
  assert.deepEqual(first, all.slice(0, 50));
  await boss.page.getByTestId('sessions-more').click();
  const deadline = Date.now() + 10_000;
  while ((await shownIds(boss.page)).length === 50) {
    assert.ok(Date.now() < deadline, 'the older page never came');
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.deepEqual(await shownIds(boss.page), all, 'every request once, newest first');
  await boss.page.getByTestId('sessions-more').waitFor({ state: 'detached' });

  // A cancelled request shows as closed, with neither resolution nor rating.
  const cancelled = sessionRow(boss.page, made[0]);
  assert.equal(await cancelled.getAttribute('data-rating'), '0');
  assert.equal(await cancelled.getAttribute('data-resolution'), '');

  // Nobody of Support EU handled those: the team manager does not see them,
  // not even by the address.
  const lead = await openSessions(TEAMLEAD);
  const leadIds = await shownIds(lead.page);
  assert.ok(leadIds.every((x) => !made.includes(x)), `the team manager sees ${leadIds}`);
  await lead.page.goto(`${intake.node.publicUrl}/manage/#/sessions/${made[0]}`);
  await lead.page.getByTestId('session-missing').waitFor();

  assertNoProblems([boss, lead]);
});

test('the sessions list narrows by technician and by days, and clears again', { timeout: 120_000 }, async () => {
  const anna = await intake.console('anna');
  const id = Number((await joinedChat(intake, anna, 'Filtered')).id);
  const annaId = (await intake.mc('GET', '/technicians')).technicians.find((t) => t.email.startsWith('anna@')).id;
  const expected = async (query) => (await intake.mc('GET', `/requests?limit=50${query}`)).requests.map((r) => Number(r.id));
  const shows = async (page, want, what) => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const now = await shownIds(page);
      if (JSON.stringify(now) === JSON.stringify(want)) return;
      assert.ok(Date.now() < deadline, `${what}: shows ${now}, expected ${want}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  const boss = await openSessions(COMPANY);
  const { page } = boss;
  const all = await expected('');
  await shows(page, all, 'the whole list');
  assert.ok(all.length > (await expected(`&technician_id=${annaId}`)).length, 'others handled some too');

  // Anna's sessions only: the new one among them.
  await page.getByTestId('sessions-filter-technician').selectOption(String(annaId));
  const annas = await expected(`&technician_id=${annaId}`);
  assert.ok(annas.includes(id));
  await shows(page, annas, "Anna's sessions");

  // From tomorrow: none match, and the page says so.
  const day = (offset) => {
    const d = new Date();
    d.setDate(d.getDate() + offset);
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  };
  await page.getByTestId('sessions-filter-from').fill(day(1));
  await waitForText(page.getByTestId('sessions-empty'), /No sessions match these filters/);
  // Today only: Anna's again.
  await page.getByTestId('sessions-filter-from').fill(day(0));
  await page.getByTestId('sessions-filter-to').fill(day(0));
  await shows(page, annas, "Anna's sessions of today");
  // A last day before the first is said, not sent.
  await page.getByTestId('sessions-filter-to').fill(day(-1));
  await page.getByTestId('sessions-filter-range').waitFor();
  // Clear: the whole list again.
  await page.getByTestId('sessions-filter-clear').click();
  await shows(page, await expected(''), 'the whole list after clearing');
  assert.equal(await page.getByTestId('sessions-filter-technician').inputValue(), '');

  assertNoProblems([boss]);
});
