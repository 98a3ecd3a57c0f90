// How long session data is kept and how far back reports reach (the account's
// `retention_days` and `report_days`, docs/design/report-data.md section 4), in
// the Management Center in headless Chromium against the real node with its
// demo account:
//   The Account page shows both (365 and 90 by default) beside the file limit,
//   each with what it means. The company manager keeps session data 30 days
//   and lets reports reach back 20, saves, and sees both after a reload (and in
//   German). Report days 40 with 30 days kept is refused at the field before
//   anything is sent; the server's own refusal (the request rewritten on its
//   way to say 40 while the page says 25) is shown at that field too, and a
//   refused PUT through the API leaves the saved 20 on the page.
//   The Reports page says reports reach back 20 days, its pickers offer no day
//   before the 20th day back, and a first day 25 days back is refused with the
//   message naming 20 days (in English and German) without asking the server,
//   which refuses it as well (400 `out_of_retention`, "session data is kept only
//   20 days"); the 20th day back runs. Lowering the days kept through the API
//   lowers the report days with it, as the Account page then shows.
// Run: OA_BIN=build/test/node/openassist OA_WEB_DIR=web/dist node --test tests/browser/manage_retention.test.mjs
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { COMPANY, apiSend, waitForAttribute, waitForText, waitForValue } from './helpers.mjs';
import { assertNoProblems, openManager, startIntake } from './intake_helpers.mjs';

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

/** A YYYY-MM-DD day `n` days after `day`. */
function addDays(day, n) {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

test('retention and report days: checked, saved, refused; the Reports page reaches back the report days', { timeout: 180_000 }, async () => {
  assert.deepEqual(
    (({ retention_days, report_days }) => ({ retention_days, report_days }))(await intake.mc('GET', '/account')),
    { retention_days: 365, report_days: 90 },
    'the defaults',
  );
  const boss = await openManager(intake, COMPANY, { section: 'account', viewport: null });
  const { page } = boss;
  const form = page.getByTestId('account-retention-form');
  const keep = form.getByLabel('Keep session data for (days)');
  const reach = form.getByLabel('Reports reach back (days)');
  await waitForValue(keep, '365');
  await waitForValue(reach, '90');
  // Beside the file limit, each with what it means.
  await page.getByTestId('account-form').waitFor();
  const hintOf = async (input) => {
    const ids = (await input.getAttribute('aria-describedby')) ?? '';
    return page.evaluate((list) => list.split(' ').map((id) => document.getElementById(id)?.textContent ?? '').join(' '), ids);
  };
  assert.match(await hintOf(keep), /deleted for good/);
  assert.match(await hintOf(reach), /never further back than session data is kept/);

  // 30 days kept, reports reach back 20: saved, and shown after a reload.
  await keep.fill('30');
  await reach.fill('20');
  await page.getByTestId('account-retention-save').click();
  await waitForText(page.getByTestId('notice'), /^Account settings saved\.$/);
  const saved = await intake.mc('GET', '/account');
  assert.deepEqual([saved.retention_days, saved.report_days], [30, 20]);
  await page.reload();
  await waitForValue(keep, '30');
  await waitForValue(reach, '20');
  assert.match(await hintOf(reach), /1 to 30 days/, 'the report days go up to the days kept');

  // Report days beyond the days kept: said at the field, nothing sent.
  const puts = [];
  page.on('request', (r) => {
    if (r.method() === 'PUT' && new URL(r.url()).pathname === '/api/v1/account') puts.push(r.postDataJSON());
  });
  await reach.fill('40');
  await page.getByTestId('account-retention-save').click();
  const reachError = form.locator('[data-testid=field-error][data-field=report_days]');
  await waitForText(reachError, /^must be between 1 and 30$/);
  assert.equal(await reach.getAttribute('aria-invalid'), 'true');
  assert.deepEqual(puts, [], 'refused before sending');
  // Days kept out of range: said at their field.
  await keep.fill('0');
  await page.getByTestId('account-retention-save').click();
  await waitForText(form.locator('[data-testid=field-error][data-field=retention_days]'), /^must be between 1 and 3650$/);
  assert.equal((await intake.mc('GET', '/account')).report_days, 20);

  // The server's refusal, shown at the field: the page sends 25 (fine here),
  // the request arrives saying 40.
  await keep.fill('30');
  await reach.fill('25');
  await page.route('**/api/v1/account', async (route) => {
    if (route.request().method() !== 'PUT') return route.fallback();
    await route.continue({ postData: JSON.stringify({ ...route.request().postDataJSON(), report_days: 40 }) });
  });
  const refused = page.waitForResponse(
    (r) => r.request().method() === 'PUT' && new URL(r.url()).pathname === '/api/v1/account',
  );
  await page.getByTestId('account-retention-save').click();
  const refusal = await refused;
  assert.equal(refusal.status(), 400);
  const body = await refusal.json();
  assert.deepEqual(
    [body.error.code, body.error.field, body.error.rule, body.error.min, body.error.max],
    ['bad_field', 'report_days', 'range', 1, 30],
  );
  await waitForText(reachError, /^must be between 1 and 30$/);
  assert.deepEqual(puts.at(-1), { retention_days: 30, report_days: 25 }, 'what the page sent');
  await page.unroute('**/api/v1/account');

  // Through the API: refused the same way, the page still shows what is saved.
  const direct = await apiSend(page, 'PUT', '/account', { retention_days: 30, report_days: 40 });
  assert.equal(direct.status, 400);
  assert.equal(direct.json.error.field, 'report_days');
  assert.equal(direct.json.error.max, 30);
  await page.reload();
  await waitForValue(keep, '30');
  await waitForValue(reach, '20');

  // German.
  await page.getByTestId('lang-de').click();
  await waitForText(page.getByTestId('nav-account'), /^Konto$/);
  await waitForValue(form.getByLabel('Sitzungsdaten aufbewahren (Tage)'), '30');
  await waitForValue(form.getByLabel('Berichte reichen zurück (Tage)'), '20');
  await page.getByTestId('lang-en').click();
  await waitForText(page.getByTestId('nav-account'), /^Account$/);

  // The Reports page: 20 days back at most.
  const nav = page.getByTestId('nav-reports');
  await nav.click();
  await waitForAttribute(nav, 'aria-current', 'page');
  await page.getByTestId('report-form').waitFor();
  await waitForText(page.getByTestId('report-reach'), /^Report data reaches back 20 days\.$/);
  const today = await page.getByTestId('report-period-days').getAttribute('data-to');
  assert.match(today, /^\d{4}-\d{2}-\d{2}$/);
  await page.getByTestId('report-period').selectOption('days');
  const from = page.getByTestId('report-from');
  assert.equal(await from.getAttribute('min'), addDays(today, -19), 'no day before the 20th day back is offered');
  assert.equal(await page.getByTestId('report-to').getAttribute('min'), addDays(today, -19));

  const reportCalls = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname.startsWith('/api/v1/reports/snapshot')) reportCalls.push(r.url());
  });
  await from.fill(addDays(today, -25));
  await page.getByTestId('report-to').fill(today);
  await page.getByTestId('report-run').click();
  const error = page.getByTestId('report-error');
  await waitForText(error, /^Session data is kept only 20 days\. Choose a first day within the last 20 days\.$/);
  assert.equal(await page.getByTestId('report-result').count(), 0, 'no result under the error');
  assert.deepEqual(reportCalls, [], 'refused before asking the server');
  await page.getByTestId('lang-de').click();
  await waitForAttribute(page.locator('html'), 'lang', 'de');
  await waitForText(error, /^Sitzungsdaten werden nur 20 Tage aufbewahrt\./);
  await waitForText(page.getByTestId('report-reach'), /^Berichtsdaten reichen 20 Tage zurück\.$/);
  await page.getByTestId('lang-en').click();
  await waitForAttribute(page.locator('html'), 'lang', 'en');

  // The server refuses it too, naming the account's days.
  const server = await page.evaluate(async (fromMs) => {
    const res = await fetch(`/api/v1/reports/snapshot?from=${fromMs}&to=${Date.now()}`, { credentials: 'same-origin' });
    return { status: res.status, json: await res.json() };
  }, Date.now() - 25 * 24 * 3600 * 1000);
  assert.equal(server.status, 400, JSON.stringify(server.json));
  assert.equal(server.json.error.code, 'out_of_retention');
  assert.equal(server.json.error.message, 'session data is kept only 20 days');
  reportCalls.length = 0;

  // The 20th day back (the earliest offered) runs.
  await from.fill(addDays(today, -19));
  await page.getByTestId('report-run').click();
  await waitForAttribute(page.getByTestId('report-form'), 'data-busy', 'false');
  await waitForAttribute(page.getByTestId('report-result'), 'data-kind', 'snapshot');
  assert.equal(await error.count(), 0, 'the error is gone');
  assert.equal(reportCalls.length, 1);

  // Fewer days kept through the API lower the report days with them.
  const lowered = await intake.mc('PUT', '/account', { retention_days: 10 });
  assert.deepEqual([lowered.retention_days, lowered.report_days], [10, 10]);
  const back = page.getByTestId('nav-account');
  await back.click();
  await waitForAttribute(back, 'aria-current', 'page');
  await waitForValue(keep, '10');
  await waitForValue(reach, '10');
  await intake.mc('PUT', '/account', { retention_days: 365, report_days: 90 });

  assertNoProblems(
    [boss],
    [
      { status: 400, path: '/api/v1/account' },
      { status: 400, path: '/api/v1/reports/snapshot' },
    ],
  );
});
