// The service level monitor on the Dashboards page (docs/dashboards.md,
// "service_level"), in headless Chromium at 1366×768 against the real node with
// its demo account; each person in a browser context of their own:
//   The company manager picks "Service level": a "Target wait (seconds)" field
//   appears with 60 (only for that kind); with 3600 the monitor is added with
//   target_s 3600, says "Target: 1 h" and "No requests today yet". Wanda asks
//   on the Help Desk: within a second of the 201 the portal's row shows
//   1 submitted, 1 open, 0 answered and no share yet; Anna accepts and joins:
//   1 answered, 1 within the target, still 1 open (in a session); she closes:
//   0 open, 100%. Cleo asks and cancels while waiting: 2 submitted,
//   1 abandoned, 50%. The team manager (Support EU; the Help Desk serves every
//   team) sees the same monitor and row. "Edit" changes the target to 60 s
//   ("Target: 1 min"), and the rows are measured against it. A target of 0 is
//   said under the field and nothing is sent. The page in German.
// Run: OA_BIN=build/test/node/openassist OA_WEB_DIR=web/dist node --test tests/browser/dashboards_service_level.test.mjs
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { COMPANY, TEAMLEAD, apiGet, waitForAttribute, waitForText, waitForValue } from './helpers.mjs';
import { ACCOUNT, act, assertNoProblems, fields, openManager, setStatus, startIntake, waitForStatus } from './intake_helpers.mjs';

const COLUMNS = [
  'Portal',
  'Submitted',
  'Answered',
  'Within target',
  'Declined',
  'No response',
  'Abandoned',
  'Open',
  'Average wait',
  'Longest wait',
  'Average handle time',
];
const COLUMNS_DE = [
  'Portal',
  'Eingegangen',
  'Beantwortet',
  'Innerhalb des Ziels',
  'Abgelehnt',
  'Ohne Antwort',
  'Abgebrochen',
  'Offen',
  'Durchschn. Wartezeit',
  'Längste Wartezeit',
  'Durchschn. Bearbeitungszeit',
];
const TARGET_WRONG = /^must be a whole number of seconds from 1 to 3600$/;

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
async function openDashboards(who) {
  const manager = await openManager(intake, who, { section: 'dashboards' });
  const { page } = manager;
  await page.locator('[data-testid=monitors], [data-testid=dashboards-none]').first().waitFor();
  await waitForAttribute(page.getByTestId('dashboards-connection'), 'data-state', 'open');
  return manager;
}

const monitor = (page, name) => page.locator(`[data-testid=monitor][data-name="${name}"]`);
/** A portal's row in a service level monitor. */
const portalRow = (card, portalId) => card.locator(`[data-testid=dashboard-row][data-portal-id="${portalId}"]`);
const shownMonitors = (page) =>
  page.locator('[data-testid=monitor]').evaluateAll((cards) => cards.map((c) => c.dataset.name));
const headings = (card) => card.locator('[data-testid=dashboard-table] thead th').allTextContents();
const targetError = (form) => form.locator('[data-testid=field-error][data-field=target_s]');
const kindOption = (form) => form.locator('select[name=kind] option[value=service_level]');

/** Waits until the row's data-* numbers are these (data-within-target-percent "" while nothing ended). */
async function waitForNumbers(row, numbers) {
  for (const [name, value] of Object.entries(numbers)) await waitForAttribute(row, `data-${name}`, String(value));
}

test('service level monitor: today by portal, live, against its target; team manager; German', { timeout: 180_000 }, async () => {
  const portals = (await intake.mc('GET', '/portals')).portals;
  const helpId = String(portals.find((p) => p.slug === 'help').id);
  const anna = await intake.console('anna');
  if ((await anna.page.getByTestId('status-select').getAttribute('data-status')) !== 'available')
    await setStatus(anna, 'available');
  const boss = await openDashboards(COMPANY);
  const { page } = boss;
  /** The bodies of POST /monitors the page sends. */
  const posts = [];
  page.on('request', (req) => {
    if (req.method() === 'POST' && new URL(req.url()).pathname === '/api/v1/monitors') posts.push(req.postDataJSON());
  });

  // The target field: only for the service level, 60 unless changed.
  const form = page.getByTestId('monitor-add-form');
  assert.equal(await form.locator('input[name=target_s]').count(), 0, 'no target for the other kinds');
  await waitForText(kindOption(form), /^Service level$/);
  await form.getByLabel('Name').fill('Service');
  await form.getByLabel('Shows').selectOption('service_level');
  const target = form.getByLabel('Target wait (seconds)');
  await waitForValue(target, '60');
  await target.fill('3600');
  await form.getByTestId('monitor-add-submit').click();
  await waitForText(page.getByTestId('notice'), /Monitor “Service” added\./);
  await waitForValue(form.getByLabel('Name'), ''); // the form starts over
  assert.deepEqual(posts, [{ name: 'Service', kind: 'service_level', target_s: 3600 }]);
  const card = monitor(page, 'Service');
  await waitForAttribute(card, 'data-state', 'live');
  assert.equal(await card.getAttribute('data-kind'), 'service_level');
  await waitForText(card.getByTestId('monitor-kind'), /^Service level$/);
  await waitForText(card.getByTestId('monitor-target'), /^Target: 1 h$/);
  assert.equal(await card.getByTestId('monitor-target').getAttribute('data-target-s'), '3600');
  assert.equal((await apiGet(page, '/monitors')).monitors[0].target_s, 3600);
  await waitForText(card.getByTestId('dashboard-empty'), /^No requests today yet$/);

  // Wanda asks on the Help Desk: counted within a second of the 201.
  const wanda = await intake.customer('help', 'Wanda');
  const created = wanda.page.waitForResponse(
    (res) =>
      res.request().method() === 'POST' &&
      new URL(res.url()).pathname === `/api/v1/public/portals/${ACCOUNT}/help/requests`,
  );
  const submitting = wanda.submit(fields('Wanda'));
  const response = await created;
  const answeredAt = Date.now();
  assert.equal(response.status(), 201);
  await card
    .locator(`[data-testid=dashboard-row][data-portal-id="${helpId}"][data-submitted="1"]`)
    .waitFor({ timeout: Math.max(1, 1000 - (Date.now() - answeredAt)) });
  assert.ok(Date.now() - answeredAt <= 1000, `counted ${Date.now() - answeredAt} ms after the 201`);
  const id = await submitting;
  assert.equal(id, String((await response.json()).request_id));
  const row = portalRow(card, helpId);
  await waitForNumbers(row, { submitted: 1, open: 1, answered: 0, 'within-target': 0, 'within-target-percent': '' });
  await waitForText(row.getByTestId('row-portal'), /^Help Desk$/);
  await waitForText(row.getByTestId('sl-submitted'), /^1$/);
  await waitForText(row.getByTestId('sl-open'), /^1$/);
  await waitForText(row.getByTestId('sl-answered'), /^0$/);
  await waitForText(row.getByTestId('sl-percent'), /^—$/);
  assert.equal(await row.getAttribute('data-target-ms'), '3600000');
  assert.deepEqual(await headings(card), COLUMNS);
  await waitForText(card.getByTestId('sl-legend'), /^Requests created today, by portal\. Open: waiting or in a session\./);

  // Anna accepts and joins: answered within the target, still open (in a session).
  await anna.alert(id).waitFor();
  await anna.alert(id).getByTestId('alert-accept').click();
  await waitForAttribute(anna.row(id), 'data-status', 'assigned');
  await act(anna, id, 'join');
  await waitForStatus(wanda, 'active');
  await waitForNumbers(row, { submitted: 1, answered: 1, 'within-target': 1, open: 1, 'within-target-percent': '' });
  await waitForText(row.getByTestId('sl-answered'), /^1$/);
  await waitForText(row.getByTestId('sl-within-count'), /^1$/);
  await waitForText(row.getByTestId('sl-percent'), /^—$/);
  const wait = Number(await row.getAttribute('data-longest-wait-ms'));
  assert.ok(Number.isFinite(wait) && wait >= 0 && wait < 60_000, `wait ${wait} ms`);
  await waitForText(row.getByTestId('sl-longest-wait'), /^\d+ s$/);
  await waitForText(row.getByTestId('sl-average-wait'), /^\d+ s$/);

  // She closes: nothing open, 100% (1 of 1 ended) within the target.
  await act(anna, id, 'close');
  await waitForStatus(wanda, 'closed');
  await waitForNumbers(row, { submitted: 1, answered: 1, 'within-target': 1, open: 0, 'within-target-percent': 100 });
  await waitForText(row.getByTestId('sl-open'), /^0$/);
  await waitForText(row.getByTestId('sl-percent'), /^100%$/);
  await waitForText(row.getByTestId('sl-within-count'), /^1 of 1$/);
  assert.notEqual(await row.getAttribute('data-average-handle-ms'), '', 'the session ended');
  await waitForText(row.getByTestId('sl-average-handle'), /^\d+ (s|min)/);

  // Cleo asks and cancels while waiting: abandoned; 1 of the 2 ended within the target.
  const cleo = await intake.customer('help', 'Cleo');
  const cleoId = await cleo.submit(fields('Cleo'));
  await waitForStatus(cleo, 'waiting');
  await waitForNumbers(row, { submitted: 2, open: 1, 'within-target-percent': 100 });
  await cleo.page.getByTestId('cancel-request').click();
  await cleo.page.getByTestId('cancel-confirm').click();
  await waitForAttribute(cleo.page.getByTestId('request-outcome'), 'data-outcome', 'cancelled');
  await anna.alert(cleoId).waitFor({ state: 'detached' });
  const final = {
    submitted: 2,
    answered: 1,
    'within-target': 1,
    'within-target-percent': 50,
    declined: 0,
    'no-response': 0,
    abandoned: 1,
    open: 0,
  };
  await waitForNumbers(row, final);
  await waitForText(row.getByTestId('sl-abandoned'), /^1$/);
  await waitForText(row.getByTestId('sl-percent'), /^50%$/);
  await waitForText(row.getByTestId('sl-within-count'), /^1 of 2$/);
  assert.equal(await card.getByTestId('dashboard-row').count(), 1, 'only the Help Desk had requests today');

  // The team manager: the same monitor, and the Help Desk's row (it serves every team, Support EU too).
  const lead = await openDashboards(TEAMLEAD);
  assert.deepEqual(await shownMonitors(lead.page), ['Service']);
  const leadCard = monitor(lead.page, 'Service');
  await waitForAttribute(leadCard, 'data-state', 'live');
  await waitForText(leadCard.getByTestId('monitor-target'), /^Target: 1 h$/);
  const leadRow = portalRow(leadCard, helpId);
  await waitForNumbers(leadRow, final);
  await waitForText(leadRow.getByTestId('sl-percent'), /^50%$/);
  assert.equal(await leadCard.getByTestId('dashboard-row').count(), 1);
  // Team managers may add one too.
  await waitForText(kindOption(lead.page.getByTestId('monitor-add-form')), /^Service level$/);

  // "Edit": a new target (60 s); the rows are measured against it.
  const edit = card.getByTestId('monitor-rename');
  await waitForText(edit, /^Edit$/);
  assert.equal(await edit.getAttribute('aria-label'), 'Edit the monitor “Service”');
  await edit.click();
  const editForm = card.getByTestId('monitor-rename-form');
  await waitForValue(editForm.getByLabel('Name'), 'Service');
  await waitForValue(editForm.getByLabel('Target wait (seconds)'), '3600');
  await editForm.getByLabel('Target wait (seconds)').fill('60');
  await editForm.getByTestId('monitor-rename-save').click();
  await editForm.waitFor({ state: 'detached' });
  await waitForText(page.getByTestId('notice'), /Monitor “Service” saved\./);
  await waitForText(card.getByTestId('monitor-target'), /^Target: 1 min$/);
  await waitForAttribute(row, 'data-target-ms', '60000');
  await waitForNumbers(row, { 'within-target': 1, 'within-target-percent': 50 }); // Wanda waited less than a minute
  assert.equal((await apiGet(page, '/monitors')).monitors[0].target_s, 60);

  // A target of 0: said under the field, nothing sent.
  await form.getByLabel('Name').fill('Zero');
  await form.getByLabel('Shows').selectOption('service_level');
  await target.fill('0');
  await form.getByTestId('monitor-add-submit').click();
  await waitForText(targetError(form), TARGET_WRONG);
  assert.equal(await target.getAttribute('aria-invalid'), 'true');
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(posts.length, 1, 'a wrong target is not sent');
  assert.deepEqual(await shownMonitors(page), ['Service']);

  // In German.
  await page.getByTestId('lang-de').click();
  await waitForAttribute(page.locator('html'), 'lang', 'de');
  await waitForText(card.getByTestId('monitor-kind'), /^Servicelevel$/);
  await waitForText(card.getByTestId('monitor-target'), /^Ziel: 1 min$/);
  await waitForText(card.getByTestId('monitor-rename'), /^Bearbeiten$/);
  assert.deepEqual(await headings(card), COLUMNS_DE);
  await waitForText(row.getByTestId('sl-percent'), /^50\s%$/);
  await waitForText(row.getByTestId('sl-within-count'), /^1 von 2$/);
  await waitForText(card.getByTestId('sl-legend'), /^Heute erstellte Anfragen, nach Portal\. Offen: wartend oder in einer/);
  await waitForText(kindOption(form), /^Servicelevel$/);
  const zielwartezeit = form.getByLabel('Zielwartezeit (Sekunden)');
  await waitForValue(zielwartezeit, '0');
  await form.getByRole('button', { name: 'Monitor hinzufügen' }).click();
  await waitForText(targetError(form), /^muss eine ganze Zahl von Sekunden zwischen 1 und 3600 sein$/);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(posts.length, 1, 'still nothing sent');

  assertNoProblems([anna, boss, lead, wanda, cleo]);
});
