// Live dashboards in the Management Center (docs/dashboards.md), in headless
// Chromium at 1366×768 against the real node with its demo account; each
// person in a browser context of their own:
//   The company manager adds a "waiting" and a "technicians" monitor. A
//   request made on the Help Desk through the public API is in the waiting
//   table within a second of its answer, and leaves it when cancelled; Anna
//   (signed in to her console) shows with her status, her time in status
//   counting on and her sessions; "Force offline" makes her offline there, in
//   her console and for the team manager, who sees the same monitors with only
//   Support EU's technicians. A rename, a refresh, and removals that remove
//   the monitor for both managers.
//   An "active" monitor: Anna's live session shows with technician and
//   customer; "View" opens the session's page with the invisible monitoring
//   running; the row goes when she closes. The page in German.
// Run: OA_BIN=build/test/node/openassist OA_WEB_DIR=web/dist node --test tests/browser/dashboards.test.mjs
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { post } from '../harness/intake.mjs';
import { COMPANY, TEAMLEAD, apiGet, waitForAttribute, waitForText, waitForValue } from './helpers.mjs';
import { ACCOUNT, TECH_NAMES, act, assertNoProblems, fields, openManager, setStatus, startIntake } from './intake_helpers.mjs';
import { joinedChat } from './chat_helpers.mjs';

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

/** The Management Center at laptop size, signed in, on the Dashboards page with its socket open. */
async function openDashboards(who, { locale = 'en-US' } = {}) {
  const manager = await openManager(intake, who, { section: 'dashboards', locale });
  const { page } = manager;
  await page.locator('[data-testid=monitors], [data-testid=dashboards-none]').first().waitFor();
  await waitForAttribute(page.getByTestId('dashboards-connection'), 'data-state', 'open');
  return manager;
}

const monitor = (page, name) => page.locator(`[data-testid=monitor][data-name="${name}"]`);
const techRow = (card, id) => card.locator(`[data-testid=dashboard-row][data-technician-id="${id}"]`);
const requestRow = (card, id) => card.locator(`[data-testid=dashboard-row][data-request-id="${id}"]`);

/** The names of the monitors the page shows, in order. */
const shownMonitors = (page) =>
  page.locator('[data-testid=monitor]').evaluateAll((cards) => cards.map((c) => c.dataset.name));

/** Adds a monitor through the form (kind by its value) and waits until its live table is there. */
async function addMonitor(page, name, kind) {
  const form = page.getByTestId('monitor-add-form');
  await form.getByLabel('Name').fill(name);
  await form.getByLabel('Shows').selectOption(kind);
  await form.getByTestId('monitor-add-submit').click();
  await waitForText(page.getByTestId('notice'), new RegExp(`Monitor “${name}” added\\.`));
  await waitForValue(form.getByLabel('Name'), ''); // the form starts over
  const card = monitor(page, name);
  await waitForAttribute(card, 'data-state', 'live');
  assert.equal(await card.getAttribute('data-kind'), kind);
  return card;
}

/** Removes a monitor through its button and the confirmation. */
async function removeMonitor(page, name) {
  await monitor(page, name).getByTestId('monitor-remove').click();
  const dialog = page.getByTestId('confirm-dialog');
  await waitForText(dialog, new RegExp(`“${name}” will be removed for every manager`));
  await dialog.getByTestId('confirm-ok').click();
  await monitor(page, name).waitFor({ state: 'detached' });
  await waitForText(page.getByTestId('notice'), new RegExp(`Monitor “${name}” removed\\.`));
}

/** Waits until `check()` holds (polling). */
async function until(check, what, timeout = 10_000) {
  const deadline = Date.now() + timeout;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeout} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('waiting and technicians monitors: live rows, force offline, a second manager, removal for both', { timeout: 180_000 }, async () => {
  const { techs } = await intake.directory();
  const anna = await intake.console('anna');
  const annaStatus = await anna.page.getByTestId('status-select').getAttribute('data-status');
  assert.notEqual(annaStatus, 'offline', 'a technician with an open console is not offline');
  const boss = await openDashboards(COMPANY);
  const page = boss.page;
  await waitForText(page.getByTestId('dashboards-none'), /^No monitors yet\./);

  // A waiting monitor: nobody waits yet. It runs 12 hours from now.
  const queue = await addMonitor(page, 'Queue', 'waiting');
  await waitForText(queue.getByTestId('dashboard-empty'), /^Nobody is waiting$/);
  await waitForText(queue.getByTestId('monitor-kind'), /^Waiting customers$/);
  const stopsAt = Number(await queue.getByTestId('monitor-stops-at').getAttribute('data-stops-at'));
  assert.ok(Math.abs(stopsAt - (Date.now() + 12 * 3600_000)) < 120_000, `stops at ${new Date(stopsAt).toISOString()}`);
  await waitForText(queue.getByTestId('monitor-stops-at'), /^Runs until .+/);
  assert.equal(await queue.getAttribute('data-running'), 'true');

  // A technicians monitor: Anna with her status, counting on; the others (no console) offline.
  const team = await addMonitor(page, 'Team', 'technicians');
  assert.deepEqual(await shownMonitors(page), ['Queue', 'Team'], 'oldest first');
  const annaRow = techRow(team, techs.anna);
  await waitForAttribute(annaRow, 'data-status', annaStatus);
  await waitForText(annaRow.getByTestId('tech-name'), new RegExp(`^${TECH_NAMES.anna}$`));
  await waitForText(annaRow.getByTestId('tech-team'), /^Support EU$/);
  await waitForText(annaRow.getByTestId('tech-status'), /^(Available|Busy|Away)$/);
  assert.equal(await annaRow.getByTestId('tech-sessions').getAttribute('data-active'), '0');
  assert.ok(Number(await annaRow.getByTestId('tech-sessions').getAttribute('data-max')) >= 1);
  const since = annaRow.getByTestId('tech-since');
  const counted = Number(await since.getAttribute('data-seconds'));
  await until(async () => Number(await since.getAttribute('data-seconds')) >= counted + 2, 'the time in status counts on');
  assert.equal(await annaRow.getByTestId('force-offline').isEnabled(), true);
  const davidRow = techRow(team, techs.david);
  await waitForAttribute(davidRow, 'data-status', 'offline');
  await waitForText(davidRow.getByTestId('tech-status'), /^Offline$/);
  assert.equal(await davidRow.getByTestId('force-offline').isDisabled(), true, 'already offline');
  for (const header of ['Name', 'Team', 'Status', 'Time in status', 'Sessions', 'Actions'])
    assert.equal(await team.getByRole('columnheader', { name: header, exact: true }).count(), 1, header);

  // A customer asks on the Help Desk: in the waiting table within a second of the answer.
  const base = `${intake.node.publicUrl}/api/v1/public/portals/${ACCOUNT}/help/requests`;
  const made = await post(base, { fields: fields('Wanda') });
  const answered = Date.now();
  assert.equal(made.status, 201, made.text);
  const id = String(made.json.request_id);
  const wanda = requestRow(queue, id);
  await wanda.waitFor({ timeout: Math.max(1, 1000 - (Date.now() - answered)) });
  assert.ok(Date.now() - answered <= 1000, `shown ${Date.now() - answered} ms after the answer`);
  await waitForText(wanda.getByTestId('row-customer'), /^Wanda$/);
  await waitForText(wanda.getByTestId('row-portal'), /^Help Desk$/);
  await waitForText(wanda.getByTestId('row-request'), new RegExp(`^#${id}$`));
  await queue.getByTestId('dashboard-empty').waitFor({ state: 'detached' });

  // The team manager sees the same monitors; only Support EU's technicians (Tier 2 is below it).
  const lead = await openDashboards(TEAMLEAD);
  assert.deepEqual(await shownMonitors(lead.page), ['Queue', 'Team']);
  const leadTeam = monitor(lead.page, 'Team');
  const leadQueue = monitor(lead.page, 'Queue');
  await waitForAttribute(leadTeam, 'data-state', 'live');
  await waitForAttribute(techRow(leadTeam, techs.anna), 'data-status', annaStatus);
  await techRow(leadTeam, techs.ben).waitFor();
  assert.equal(await techRow(leadTeam, techs.carla).count(), 0, 'Support US is not the lead’s');
  assert.equal(await techRow(leadTeam, techs.david).count(), 0, 'Support US is not the lead’s');
  await requestRow(leadQueue, id).waitFor();

  // Force offline: offline on both pages and in Anna's console; the button is disabled then.
  await annaRow.getByTestId('force-offline').click();
  await waitForAttribute(annaRow, 'data-status', 'offline');
  await waitForText(annaRow.getByTestId('tech-status'), /^Offline$/);
  await waitForAttribute(annaRow.getByTestId('force-offline'), 'disabled', '');
  assert.ok(Number(await since.getAttribute('data-seconds')) < 10, 'the time in status starts over');
  await waitForText(page.getByTestId('notice'), new RegExp(`${TECH_NAMES.anna} is now offline\\.`));
  await waitForAttribute(techRow(leadTeam, techs.anna), 'data-status', 'offline');
  await waitForAttribute(anna.page.getByTestId('status-select'), 'data-status', 'offline');
  await waitForText(anna.page.locator('[data-testid=toast][data-code=forced-offline]'), /A manager set your status to offline/);

  // The customer gives up: the row leaves both waiting tables.
  const cancel = await post(`${base}/${id}/cancel`, { token: made.json.token });
  assert.ok(cancel.status < 300, cancel.text);
  await wanda.waitFor({ state: 'detached' });
  await waitForText(queue.getByTestId('dashboard-empty'), /^Nobody is waiting$/);
  await requestRow(leadQueue, id).waitFor({ state: 'detached' });

  // A rename shows at once here, and on the other page without a refresh
  // (the list is pushed); so does a monitor the other manager adds.
  await queue.getByTestId('monitor-rename').click();
  const rename = queue.getByTestId('monitor-rename-form');
  await rename.getByLabel('Name').fill('Waiting room');
  await rename.getByTestId('monitor-rename-save').click();
  const room = monitor(page, 'Waiting room');
  await room.waitFor();
  await rename.waitFor({ state: 'detached' });
  await waitForText(page.getByTestId('notice'), /Monitor “Waiting room” saved\./);
  await monitor(lead.page, 'Waiting room').waitFor({ timeout: 2000 });
  await waitForAttribute(monitor(lead.page, 'Waiting room'), 'data-state', 'live');
  const leadAdded = await addMonitor(lead.page, 'Lead queue', 'waiting');
  await waitForAttribute(leadAdded, 'data-state', 'live');
  await monitor(page, 'Lead queue').waitFor({ timeout: 2000 });
  await waitForAttribute(monitor(page, 'Lead queue'), 'data-state', 'live');
  await removeMonitor(page, 'Lead queue');
  await monitor(lead.page, 'Lead queue').waitFor({ state: 'detached' });

  // Removing: gone on both pages (the other one says who did it) and from the API.
  await removeMonitor(page, 'Team');
  await leadTeam.waitFor({ state: 'detached' });
  await waitForText(lead.page.getByTestId('notice'), /The monitor “Team” was removed by another manager\./);
  assert.deepEqual(await shownMonitors(lead.page), ['Waiting room']);
  await removeMonitor(lead.page, 'Waiting room');
  await monitor(page, 'Waiting room').waitFor({ state: 'detached' });
  await waitForText(page.getByTestId('dashboards-none'), /^No monitors yet\./);
  assert.deepEqual((await apiGet(page, '/monitors')).monitors, []);

  await setStatus(anna, 'available');
  assertNoProblems([anna, boss, lead]);
});

test('an active monitor: the live session, "View" watches it, the row goes at the end; in German', { timeout: 180_000 }, async () => {
  const anna = await intake.console('anna');
  if ((await anna.page.getByTestId('status-select').getAttribute('data-status')) !== 'available')
    await setStatus(anna, 'available');
  const boss = await openDashboards(COMPANY);
  const page = boss.page;
  const live = await addMonitor(page, 'Live', 'active');
  await waitForText(live.getByTestId('dashboard-empty'), /^No live sessions$/);

  const { id } = await joinedChat(intake, anna, 'Rita');
  const row = requestRow(live, String(id));
  await row.waitFor();
  await waitForText(row.getByTestId('row-technician'), new RegExp(`^${TECH_NAMES.anna}`));
  await waitForText(row.getByTestId('row-customer'), /^Rita$/);
  await waitForText(row.getByTestId('row-portal'), /^Help Desk$/);
  const duration = row.getByTestId('row-duration');
  const from = Number(await duration.getAttribute('data-seconds'));
  await until(async () => Number(await duration.getAttribute('data-seconds')) > from, 'the session’s time counts on');

  // Another company manager shows who watches which session: nobody yet.
  const watcher = await openDashboards(COMPANY);
  const watchers = await addMonitor(watcher.page, 'Watchers', 'managers');
  await waitForText(watchers.getByTestId('dashboard-empty'), /^Nobody is watching a session$/);

  // "View": the session's page with the invisible monitoring already running.
  const view = row.getByTestId('view-session');
  assert.equal(await view.getAttribute('aria-label'), `View session #${id} live`);
  await view.click();
  await waitForAttribute(page.getByTestId('session-detail'), 'data-request-id', String(id));
  assert.equal(new URL(page.url()).hash, `#/sessions/${id}?live=1`);
  await waitForAttribute(page.getByTestId('watch-live'), 'aria-pressed', 'true');
  await waitForAttribute(page.getByTestId('live-view-monitor'), 'data-synced', 'true');
  // The other manager sees who watches Rita's session, counting on.
  const watching = watchers.locator(`[data-testid=dashboard-row][data-request-id="${id}"]`);
  await watching.waitFor();
  await waitForText(watching.getByTestId('row-customer'), /^Rita$/);
  await waitForText(watching.getByTestId('row-technician'), new RegExp(`^${TECH_NAMES.anna}`));
  assert.ok((await watching.getByTestId('row-manager').textContent()).trim().length > 0, 'the manager is named');

  // Back on the dashboard (a new socket): the session is there until Anna closes it.
  await page.getByTestId('nav-dashboards').click();
  await waitForAttribute(monitor(page, 'Live'), 'data-state', 'live');
  await requestRow(monitor(page, 'Live'), String(id)).waitFor();
  // Leaving the session's page ended the watching.
  await watching.waitFor({ state: 'detached' });
  await waitForText(watchers.getByTestId('dashboard-empty'), /^Nobody is watching a session$/);
  await removeMonitor(watcher.page, 'Watchers');
  await act(anna, id, 'close');
  await requestRow(monitor(page, 'Live'), String(id)).waitFor({ state: 'detached' });
  await waitForText(monitor(page, 'Live').getByTestId('dashboard-empty'), /^No live sessions$/);

  // In German.
  await page.getByRole('button', { name: 'Deutsch' }).click();
  await waitForText(page.getByTestId('nav-dashboards'), /^Dashboards$/);
  await waitForText(monitor(page, 'Live').getByTestId('dashboard-empty'), /^Keine laufenden Sitzungen$/);
  await waitForText(monitor(page, 'Live').getByTestId('monitor-kind'), /^Laufende Sitzungen$/);
  await waitForText(monitor(page, 'Live').getByTestId('monitor-stops-at'), /^Läuft bis .+/);
  await waitForText(page.getByTestId('dashboards-connection'), /^Live$/);
  const form = page.getByTestId('monitor-add-form');
  await form.getByLabel('Name').fill('Warteschlange');
  await form.getByLabel('Zeigt').selectOption({ label: 'Wartende Kunden' });
  await form.getByRole('button', { name: 'Monitor hinzufügen' }).click();
  await waitForText(page.getByTestId('notice'), /Monitor „Warteschlange“ hinzugefügt\./);
  await waitForText(monitor(page, 'Warteschlange').getByTestId('dashboard-empty'), /^Niemand wartet$/);
  await monitor(page, 'Live').getByRole('button', { name: 'Monitor „Live“ entfernen' }).click();
  await waitForText(page.getByTestId('confirm-dialog'), /Monitor entfernen\?/);
  await page.getByTestId('confirm-ok').click();
  await monitor(page, 'Live').waitFor({ state: 'detached' });
  await waitForText(page.getByTestId('notice'), /Monitor „Live“ entfernt\./);
  await page.getByRole('button', { name: 'English' }).click();
  await removeMonitor(page, 'Warteschlange');

  assertNoProblems([anna, boss, watcher]);
});
