// "My reports" on the Reports page of the Management Center (docs/reports.md,
// "My reports (saved reports)"), in headless Chromium at 1366×768 against the
// real node with its demo account:
//   Anna answers, closes and gets a 5-star rating for one request today (over
//   the real public API and her console's WebSocket). The company manager's
//   list starts empty; a report saved without a name is refused with the
//   error under the name field, and nothing is saved. "Weekly Anna"
//   (technician performance, last 7 days, technician Anna) is saved: the
//   notice says so and it is in "My reports" with its report, period and
//   narrowing in words, also after reloading the page. Run fills the form
//   from it and shows Anna's numbers for the last 7 days. Edit fills the
//   form and the name ("Save changes" with Cancel); changed to customer
//   feedback on yesterday and today, the row says so and so does the server.
//   The team manager does not see it (nor may delete it: 404). Delete asks
//   first (Cancel keeps it, Delete removes it). E-mail delivery: "E-mail it"
//   is Never with no time or address; Weekly shows "At" (06:00, the
//   manager's time zone said under it) and "To" (their own address as the
//   placeholder); "not-an-address" is refused under "To" and nothing is
//   saved; Weekly at 07:30 to ops@example.com is saved (the row says
//   "Mondays at 07:30 to ops@example.com", the server holds weekly, 450,
//   ops@example.com); Edit fills the delivery, Never saves schedule "" (the
//   row says "—"); Daily at 06:00 with no address reads "Daily at 06:00 to
//   you". In German, that row, the page's words, the empty name's error and
//   the wrong address's error are German. The console stays clean but for
//   the refusals the test provokes.
// Run: OA_BIN=build/test/node/openassist OA_WEB_DIR=web/dist node --test tests/browser/saved_reports.test.mjs
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { customerFields, openConsole as openConsoleSocket, openCustomer } from '../harness/intake.mjs';
import { COMPANY, TEAMLEAD, apiGet, apiSend, waitForAttribute, waitForText, waitForValue } from './helpers.mjs';
import { TECH_NAMES, assertNoProblems, openManager, startIntake } from './intake_helpers.mjs';

let intake;
const sockets = [];

before(async () => {
  intake = await startIntake();
});

afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  await intake?.closeAll();
});

after(async () => {
  await intake?.stop();
});

/** The Management Center at laptop size, signed in, on the Reports page with "My reports" loaded. */
async function openReports(who) {
  const manager = await openManager(intake, who, { section: 'reports' });
  await myReportsLoaded(manager.page);
  return manager;
}

/** Waits until "My reports" shows its table or its empty state. */
async function myReportsLoaded(page) {
  await page.getByTestId('report-form').waitFor();
  await page.locator('[data-testid=my-reports-table], [data-testid=my-reports-empty]').first().waitFor();
}

/** A YYYY-MM-DD day `n` days after `day`. */
function addDays(day, n) {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** A day as the page writes it (its language, the browser's locale), e.g. "Dec 3, 2026". */
function dayText(page, day) {
  return page.evaluate((d) => {
    const [y, m, n] = d.split('-').map(Number);
    return new Intl.DateTimeFormat(navigator.language, { dateStyle: 'medium', timeZone: 'UTC' }).format(
      new Date(Date.UTC(y, m - 1, n)),
    );
  }, day);
}

/** The row's cells as shown. */
async function rowText(row) {
  const cell = async (id) => ((await row.getByTestId(id).textContent()) ?? '').trim();
  return {
    name: await cell('my-report-name'),
    kind: await cell('my-report-kind'),
    period: await cell('my-report-period'),
    narrowed: await cell('my-report-narrowed'),
    updated: await cell('my-report-updated'),
  };
}

test('My reports: save, reload, run, edit, hidden from others, delete, errors', { timeout: 180_000 }, async () => {
  const { node } = intake;
  const { techs } = await intake.directory();

  // Anna answers Rita, closes, and Rita rates it 5.
  const anna = await openConsoleSocket(node, 'anna@demo.openassist.example');
  sockets.push(anna);
  const rita = await openCustomer(node, 'demo', 'help', { fields: customerFields('Rita') });
  sockets.push(rita);
  const ritaId = rita.request.request_id;
  await anna.waitFor((m) => m.type === 'alert' && String(m.alert.request_id) === String(ritaId));
  for (const step of ['request.accept', 'request.join'])
    assert.equal((await anna.command(step, { request_id: ritaId })).type, 'ack', step);
  const closed = await anna.command('request.close', { request_id: ritaId, resolution: 'resolved' });
  assert.equal(closed.type, 'ack', JSON.stringify(closed));
  await rita.waitFor((m) => m.type === 'request.state' && m.request.can_rate === true);
  assert.equal((await rita.command('customer.rate', { rating: 5 })).request?.rating, 5);

  const boss = await openReports(COMPANY);
  const { page } = boss;
  const saveForm = page.getByTestId('report-save-form');
  const nameInput = saveForm.getByLabel('Report name');
  const rows = page.getByTestId('my-report');
  await waitForText(page.locator('#report-saved-title'), /^My reports$/);
  await waitForText(page.getByTestId('my-reports-empty'), /^No saved reports yet\./);
  const today = await page.getByTestId('report-period-days').getAttribute('data-to');
  assert.match(today, /^\d{4}-\d{2}-\d{2}$/);

  // No name: the server's refusal under the name field, in English; nothing saved.
  await waitForText(page.getByTestId('report-save'), /^Save report$/);
  await page.getByTestId('report-save').click();
  const nameError = saveForm.locator('[data-testid=field-error][data-field=name]');
  await waitForText(nameError, /^must be 1 to 100 characters$/);
  assert.equal(await nameInput.getAttribute('aria-invalid'), 'true');
  assert.deepEqual((await apiGet(page, '/saved-reports')).saved_reports, []);

  // "Weekly Anna": technician performance, the last 7 days, technician Anna.
  await page.getByTestId('report-kind').selectOption('technicians');
  assert.equal(await page.getByTestId('report-period').inputValue(), 'last_7_days');
  await page.getByTestId('report-filter-technician').selectOption(String(techs.anna));
  await nameInput.fill('Weekly Anna');
  await page.getByTestId('report-save').click();
  await waitForText(page.getByTestId('notice'), /^Report “Weekly Anna” saved to My reports\.$/);
  await nameError.waitFor({ state: 'detached' });
  await waitForValue(nameInput, '');
  // The list reloads after the notice.
  await rows.first().waitFor();
  assert.equal(await rows.count(), 1);
  const row = rows.first();
  const expected = {
    name: 'Weekly Anna',
    kind: 'Technician performance',
    period: 'Last 7 days',
    narrowed: `Technician: ${TECH_NAMES.anna}`,
  };
  const shown = await rowText(row);
  assert.deepEqual({ ...shown, updated: undefined }, { ...expected, updated: undefined });
  assert.match(shown.updated, /\d{1,2}:\d{2}:\d{2}/, 'when it was saved');
  assert.equal(await page.getByTestId('my-reports-empty').count(), 0);
  const [onServer] = (await apiGet(page, '/saved-reports')).saved_reports;
  const id = onServer.id;
  assert.deepEqual(
    {
      ...onServer,
      id: undefined,
      updated_at: undefined,
      // The e-mail delivery's fields (not set here).
      schedule: undefined,
      send_at: undefined,
      email: undefined,
      delivered_at: undefined,
    },
    {
      id: undefined,
      name: 'Weekly Anna',
      kind: 'technicians',
      period: 'last_7_days',
      from: '',
      to: '',
      portal_id: '',
      team_id: '',
      technician_id: String(techs.anna),
      // The service level's target wait: the default, as none was sent.
      target_s: 60,
      updated_at: undefined,
      schedule: undefined,
      send_at: undefined,
      email: undefined,
      delivered_at: undefined,
    },
  );

  // Reloaded: still there; the form back at its defaults.
  await page.reload();
  await myReportsLoaded(page);
  await page.locator(`[data-testid=my-report][data-id="${id}"]`).waitFor();
  assert.deepEqual({ ...(await rowText(rows.first())), updated: undefined }, { ...expected, updated: undefined });
  assert.equal(await page.getByTestId('report-kind').inputValue(), 'snapshot');
  assert.equal(await page.getByTestId('report-filter-technician').inputValue(), '');

  // Run: the form filled from it, Anna's numbers of the last 7 days.
  const reportCalls = [];
  page.on('request', (req) => {
    if (new URL(req.url()).pathname.startsWith('/api/v1/reports/')) reportCalls.push(new URL(req.url()));
  });
  await rows.first().getByTestId('my-report-run').click();
  await waitForAttribute(page.getByTestId('report-result'), 'data-kind', 'technicians');
  await waitForAttribute(page.getByTestId('report-form'), 'data-busy', 'false');
  assert.equal(await page.getByTestId('report-kind').inputValue(), 'technicians');
  assert.equal(await page.getByTestId('report-period').inputValue(), 'last_7_days');
  assert.equal(await page.getByTestId('report-filter-technician').inputValue(), String(techs.anna));
  assert.equal(reportCalls.length, 1);
  assert.equal(reportCalls[0].pathname, '/api/v1/reports/technicians');
  assert.equal(reportCalls[0].searchParams.get('technician_id'), String(techs.anna));
  const range = page.getByTestId('report-range');
  assert.equal(await range.getAttribute('data-first-day'), addDays(today, -6));
  assert.equal(await range.getAttribute('data-last-day'), today);
  const annaRow = page.locator(`[data-testid=report-technician][data-technician-id="${techs.anna}"]`);
  await waitForText(annaRow.getByTestId('report-technician-name'), new RegExp(`^${TECH_NAMES.anna}$`));
  assert.deepEqual(await page.getByTestId('report-technician-name').allTextContents(), [TECH_NAMES.anna]);
  const perf = await annaRow.evaluate((tr) => ({ ...tr.dataset }));
  assert.deepEqual(
    [perf.sessions, perf.declined, perf.transfers, perf.ratings, Number(perf.averageRating)],
    ['1', '0', '0', '1', 5],
    JSON.stringify(perf),
  );

  // Edit: the form and the name filled, "Save changes" with Cancel; Cancel leaves it as it was.
  await rows.first().getByTestId('my-report-edit').click();
  await waitForText(page.getByTestId('report-save'), /^Save changes$/);
  await waitForValue(nameInput, 'Weekly Anna');
  await waitForText(page.getByTestId('report-save-editing'), /^Editing “Weekly Anna”/);
  await waitForAttribute(rows.first(), 'class', 'selected');
  await page.getByTestId('report-save-cancel').click();
  await waitForText(page.getByTestId('report-save'), /^Save report$/);
  await waitForValue(nameInput, '');
  assert.equal(await page.getByTestId('report-save-cancel').count(), 0);

  // Edit again: customer feedback on yesterday and today.
  await rows.first().getByTestId('my-report-edit').click();
  await waitForText(page.getByTestId('report-save'), /^Save changes$/);
  await waitForValue(nameInput, 'Weekly Anna');
  await page.getByTestId('report-kind').selectOption('feedback');
  await page.getByTestId('report-period').selectOption('days');
  await page.getByTestId('report-from').fill(addDays(today, -1));
  await page.getByTestId('report-to').fill(today);
  await page.getByTestId('report-save').click();
  await waitForText(page.getByTestId('notice'), /^Changes to the report “Weekly Anna” saved\.$/);
  await waitForText(page.getByTestId('report-save'), /^Save report$/);
  await waitForValue(nameInput, '');
  await waitForAttribute(rows.first(), 'data-kind', 'feedback');
  assert.equal(await rows.count(), 1, 'changed, not added');
  const days = `${await dayText(page, addDays(today, -1))} to ${await dayText(page, today)}`;
  assert.deepEqual(
    { ...(await rowText(rows.first())), updated: undefined },
    { ...expected, kind: 'Customer feedback', period: days, updated: undefined },
  );
  const [changed] = (await apiGet(page, '/saved-reports')).saved_reports;
  assert.deepEqual(
    [changed.id, changed.kind, changed.period, changed.from, changed.to, changed.technician_id],
    [id, 'feedback', 'days', addDays(today, -1), today, String(techs.anna)],
  );

  // The team manager sees none of it, and may not delete it.
  const lead = await openReports(TEAMLEAD);
  await waitForText(lead.page.getByTestId('my-reports-empty'), /^No saved reports yet\./);
  assert.deepEqual((await apiGet(lead.page, '/saved-reports')).saved_reports, []);
  assert.equal((await apiSend(lead.page, 'DELETE', `/saved-reports/${id}`)).status, 404);
  assertNoProblems([lead], [{ status: 404, path: `/api/v1/saved-reports/${id}` }]);
  await lead.close();
  assert.equal(await rows.count(), 1, 'still there for its manager');

  // Delete asks first: Cancel keeps it, Delete removes it.
  await rows.first().getByTestId('my-report-delete').click();
  const dialog = page.getByTestId('confirm-dialog');
  await waitForText(dialog.locator('#confirm-message'), /“Weekly Anna”/);
  await dialog.getByTestId('confirm-cancel').click();
  await dialog.waitFor({ state: 'detached' });
  assert.equal(await rows.count(), 1);
  await rows.first().getByTestId('my-report-delete').click();
  await page.getByTestId('confirm-dialog').getByTestId('confirm-ok').click();
  await waitForText(page.getByTestId('notice'), /^Report “Weekly Anna” deleted\.$/);
  await page.getByTestId('my-reports-empty').waitFor();
  assert.equal(await rows.count(), 0);
  assert.deepEqual((await apiGet(page, '/saved-reports')).saved_reports, []);

  // E-mail delivery: Never by default, with no time or address to fill.
  const schedule = saveForm.getByLabel('E-mail it');
  const at = saveForm.getByLabel('At', { exact: true });
  const to = saveForm.getByLabel('To', { exact: true });
  const delivery = saveForm.getByTestId('report-delivery');
  const emailError = saveForm.locator('[data-testid=field-error][data-field=email]');
  assert.equal(await schedule.inputValue(), '');
  assert.equal(await schedule.locator('option:checked').textContent(), 'Never');
  assert.deepEqual(await schedule.locator('option').allTextContents(), [
    'Never',
    'Daily',
    'Weekly on Mondays',
    'Monthly on the 1st',
  ]);
  assert.equal(await at.count(), 0);
  assert.equal(await to.count(), 0);

  // Weekly: the time (06:00 by default, in the manager's time zone) and the address (their own if empty).
  const { user: me } = await apiGet(page, '/auth/me');
  await nameInput.fill('Mailed');
  await schedule.selectOption('weekly');
  await waitForValue(at, '06:00');
  assert.equal(await at.getAttribute('type'), 'time');
  const zone = (me.time_zone || 'UTC').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const zoneHint = delivery.locator('[data-field=send_at] .field-hint');
  await waitForText(zoneHint, new RegExp(`^Your time zone: ${zone}$`));
  assert.equal(await to.getAttribute('placeholder'), COMPANY.email);
  assert.equal(await to.inputValue(), '');
  await at.fill('07:30');

  // A wrong address: the server's refusal under "To", in English; nothing saved.
  await to.fill('not-an-address');
  await page.getByTestId('report-save').click();
  await waitForText(emailError, /^must be a valid e-mail address$/);
  assert.equal(await to.getAttribute('aria-invalid'), 'true');
  assert.equal(await saveForm.locator('[data-testid=field-error]').count(), 1, 'only under To');
  assert.deepEqual((await apiGet(page, '/saved-reports')).saved_reports, []);

  // Weekly at 07:30 to ops@example.com: the row says so, the server holds it.
  await to.fill('ops@example.com');
  await page.getByTestId('report-save').click();
  await waitForText(page.getByTestId('notice'), /^Report “Mailed” saved to My reports\.$/);
  await emailError.waitFor({ state: 'detached' });
  await waitForValue(schedule, '');
  assert.equal(await at.count(), 0, 'the form starts over at Never');
  await waitForAttribute(rows.first(), 'data-schedule', 'weekly');
  assert.equal(await rows.count(), 1);
  assert.equal(await page.getByTestId('my-reports-table').locator('thead th').nth(4).textContent(), 'E-mailed');
  await waitForText(rows.first().getByTestId('my-report-delivery'), /^Mondays at 07:30 to ops@example\.com$/);
  let [mailed] = (await apiGet(page, '/saved-reports')).saved_reports;
  assert.deepEqual(
    [mailed.name, mailed.schedule, mailed.send_at, mailed.email],
    ['Mailed', 'weekly', 450, 'ops@example.com'],
  );
  assert.equal(typeof mailed.delivered_at, 'number');

  // Edit: the delivery filled from it; Never saves no schedule, and the row says none.
  await rows.first().getByTestId('my-report-edit').click();
  await waitForText(page.getByTestId('report-save'), /^Save changes$/);
  await waitForValue(schedule, 'weekly');
  await waitForValue(at, '07:30');
  await waitForValue(to, 'ops@example.com');
  await schedule.selectOption('');
  await to.waitFor({ state: 'detached' });
  await page.getByTestId('report-save').click();
  await waitForText(page.getByTestId('notice'), /^Changes to the report “Mailed” saved\.$/);
  await waitForAttribute(rows.first(), 'data-schedule', '');
  await waitForText(rows.first().getByTestId('my-report-delivery'), /^—$/);
  [mailed] = (await apiGet(page, '/saved-reports')).saved_reports;
  assert.equal(mailed.schedule, '');

  // Daily at 06:00 with no address: to the manager.
  await rows.first().getByTestId('my-report-edit').click();
  await waitForText(page.getByTestId('report-save'), /^Save changes$/);
  await waitForValue(schedule, '');
  await schedule.selectOption('daily');
  await waitForValue(to, '');
  await at.fill('06:00');
  await page.getByTestId('report-save').click();
  await waitForText(page.getByTestId('notice'), /^Changes to the report “Mailed” saved\.$/);
  await waitForText(rows.first().getByTestId('my-report-delivery'), /^Daily at 06:00 to you$/);
  [mailed] = (await apiGet(page, '/saved-reports')).saved_reports;
  assert.deepEqual([mailed.schedule, mailed.send_at, mailed.email], ['daily', 360, '']);

  // In German: the delivery in words; once deleted, the section's words, and
  // the empty name's and the wrong address's errors said in German.
  await page.getByTestId('lang-de').click();
  await waitForAttribute(page.locator('html'), 'lang', 'de');
  await waitForText(rows.first().getByTestId('my-report-delivery'), /^Täglich um 06:00 Uhr an Sie$/);
  await rows.first().getByTestId('my-report-delete').click();
  await page.getByTestId('confirm-dialog').getByTestId('confirm-ok').click();
  await page.getByTestId('confirm-dialog').waitFor({ state: 'detached' });
  await waitForText(page.locator('#report-saved-title'), /^Meine Berichte$/);
  await waitForText(page.getByTestId('my-reports-empty'), /^Noch keine gespeicherten Berichte\./);
  await waitForText(page.getByTestId('report-save'), /^Bericht speichern$/);
  await page.getByTestId('report-save').click();
  await waitForText(nameError, /^muss 1 bis 100 Zeichen lang sein$/);
  assert.equal(await saveForm.getByLabel('Name des Berichts').count(), 1);
  await saveForm.getByLabel('Name des Berichts').fill('Falsch');
  await saveForm.getByLabel('Per E-Mail senden').selectOption('monthly');
  await saveForm.getByLabel('An', { exact: true }).fill('not-an-address');
  await page.getByTestId('report-save').click();
  await waitForText(emailError, /^muss eine gültige E-Mail-Adresse sein$/);
  await waitForText(zoneHint, /^Ihre Zeitzone: /);
  assert.deepEqual((await apiGet(page, '/saved-reports')).saved_reports, []);

  assertNoProblems([boss], [{ status: 400, path: '/api/v1/saved-reports' }]);
});
