// Technicians' own reports in a limited Management Center (features
// `management_center` and `reports_self`, docs/api.md), in headless Chromium at
// 1366×768 against the real node with its demo account:
//   Anna and Ben are online (their consoles over the WebSocket); Anna answers
//   Rita's request, writes her a chat line and closes it (rated 4), Ben the
//   same with Bob's (rated 2); Olga's waits.
//   The company manager turns on "Management Center access" and "Own reports"
//   for Anna in her feature editor (#/people/<id>) and saves; the server holds
//   both. Anna signs in to the Management Center as a technician ("Sign in
//   as: Technician"): the header names her as a technician, the navigation
//   has Sessions and Reports, the page says that she sees her own sessions only, and
//   the form has no portal, team or technician select; the page never asks
//   for the managers' lists (portals, teams, technicians, account). The
//   snapshot for today counts her one request (Anna's row alone, her 4-star
//   rating alone), its CSV the same; the session detail has Rita's row alone
//   and its CSV Rita's id alone; technician performance Anna's row alone. Over
//   the API with her session: the sessions list holds Rita's request alone,
//   naming Ben narrows her report to nothing, the people list is 403. She
//   saves the report as "My week" and it is in "My reports". Her Sessions
//   page lists Rita's request alone (not Bob's), without the portal, team and
//   technician selects; its page shows the transcript with her chat line and
//   the recording card of her own session (replay and export with the
//   passphrase), no live watching; Bob's session by its address
//   (#/sessions/<id>) says that it was not found, with nothing of his
//   (nothing of it is asked for).
//   #/people shows
//   that the page is for managers, with nothing of the technicians' list.
//   The manager still sees all three requests (Ben's too).
//   David (Management Center access, no own reports) sees that a manager has
//   not allowed own reports, and his reports are 403. Carla (no switches)
//   sees "Your account has no Management Center access; ask a manager …" with
//   sign-out, in English and German, and no error; signing out shows the
//   sign-in again. The console stays clean but for the refusals the test asks
//   for over the API.
// Run: OA_BIN=build/test/node/openassist OA_WEB_DIR=web/dist node --test tests/browser/manage_technician_reports.test.mjs
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCsv } from '../harness/csv.mjs';
import { DEMO_TECH_PASSWORD, customerFields, openConsole as openConsoleSocket, openCustomer } from '../harness/intake.mjs';
import { COMPANY, openPage, waitForAttribute, waitForText } from './helpers.mjs';
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

const LAPTOP = { width: 1366, height: 768 };
/** The 401 of GET /auth/me before signing in. */
const SIGN_IN_ALLOWED = [{ status: 401, path: '/api/v1/auth/me' }];
/** The managers' lists the Reports page must not ask for as a technician. */
const MANAGER_LISTS = /^\/api\/v1\/(portals|teams|technicians|managers|account|monitors|audit|business-hours)(\/|$)/;

const email = (who) => `${who}@demo.openassist.example`;

/**
 * The Management Center in a fresh context, signed in through the form as the
 * technician `who` ("Sign in as: Technician"); resolves once the limited
 * Management Center (`whoami`) or the no-access page shows. `paths` collects
 * the path of every API request the page makes.
 */
async function openAsTechnician(who, { locale } = {}) {
  const { context, page, unexpected } = await openPage(intake.browser, { locale });
  await page.setViewportSize(LAPTOP);
  const paths = [];
  page.on('request', (req) => {
    const url = new URL(req.url());
    if (url.pathname.startsWith('/api/')) paths.push(url.pathname);
  });
  await page.goto(`${intake.node.publicUrl}/manage/`);
  const form = page.getByTestId('login-form');
  await form.waitFor();
  assert.equal(await page.getByTestId('login-kind-manager').isChecked(), true, 'Manager is the default');
  await page.getByTestId('login-kind-technician').check();
  await waitForAttribute(page.getByTestId('login-kind'), 'data-kind', 'technician');
  await form.locator('input[name=email]').fill(email(who));
  await form.locator('input[name=password]').fill(DEMO_TECH_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.locator('[data-testid=whoami], [data-testid=no-access]').first().waitFor();
  const tech = {
    who: email(who),
    context,
    page,
    paths,
    problems: (allowed = []) => unexpected([...SIGN_IN_ALLOWED, ...allowed]),
    close: () => context.close(),
  };
  intake.people.push(tech);
  return tech;
}

/** A call with the page's session (and its CSRF token); resolves to {status, json, text}. */
function api(page, method, path, body) {
  return page.evaluate(
    async ({ method, path, body }) => {
      const headers = { 'Content-Type': 'application/json' };
      if (method !== 'GET') {
        const me = await (await fetch('/api/v1/auth/me', { credentials: 'same-origin' })).json();
        headers['X-CSRF-Token'] = me.csrf_token;
      }
      const res = await fetch(`/api/v1${path}`, {
        method,
        credentials: 'same-origin',
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      let json;
      try {
        json = text === '' ? undefined : JSON.parse(text);
      } catch {
        json = undefined;
      }
      return { status: res.status, json, text };
    },
    { method, path, body },
  );
}

/** Runs the report the form shows and waits for its result (of that kind). */
async function runReport(page, kind) {
  await page.getByTestId('report-kind').selectOption(kind);
  await page.getByTestId('report-run').click();
  await waitForAttribute(page.getByTestId('report-form'), 'data-busy', 'false');
  await waitForAttribute(page.getByTestId('report-result'), 'data-kind', kind);
}

/** The CSV link's file, fetched by the page with its session cookie. */
async function downloadCsv(page) {
  const href = await page.getByTestId('report-csv').getAttribute('href');
  assert.match(href, /^\/api\/v1\/reports\/\w+\?.*format=csv/);
  return page.evaluate(async (url) => {
    const res = await fetch(url);
    return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
  }, href);
}

/** The column whose heading matches, failing with the headings. */
function column(header, pattern) {
  const i = header.findIndex((h) => pattern.test(h));
  assert.ok(i >= 0, `no column ${pattern} in ${JSON.stringify(header)}`);
  return i;
}

/** From and to (Unix ms) of today in the page's time zone, as the form sent them. */
function reportRange(url) {
  const sent = new URL(url, 'http://x');
  return { from: sent.searchParams.get('from'), to: sent.searchParams.get('to') };
}

test('a technician allowed own reports sees only their sessions; others see why not', { timeout: 240_000 }, async () => {
  const { node, mc } = intake;
  const { techs } = await intake.directory();

  // Anna and Ben online: every request is alerted to both; the first to accept has it.
  const anna = await openConsoleSocket(node, email('anna'));
  const ben = await openConsoleSocket(node, email('ben'));
  sockets.push(anna, ben);
  const ask = async (name) => {
    const c = await openCustomer(node, 'demo', 'help', { fields: customerFields(name) });
    sockets.push(c);
    const id = String(c.request.request_id);
    for (const tech of [anna, ben]) await tech.waitFor((m) => m.type === 'alert' && String(m.alert.request_id) === id);
    return { c, id };
  };
  const answer = async (tech, customer, rating, line) => {
    const request_id = customer.c.request.request_id;
    for (const step of ['request.accept', 'request.join'])
      assert.equal((await tech.command(step, { request_id })).type, 'ack', step);
    const sent = await tech.command('chat.send', { request_id, text: line, client_id: `line-${request_id}` });
    assert.ok(sent.seq > 0, JSON.stringify(sent));
    const closed = await tech.command('request.close', { request_id, resolution: 'resolved' });
    assert.equal(closed.type, 'ack', JSON.stringify(closed));
    await customer.c.waitFor((m) => m.type === 'request.state' && m.request.can_rate === true);
    const rated = await customer.c.command('customer.rate', { rating });
    assert.equal(rated.request?.rating, rating, JSON.stringify(rated));
  };
  const rita = await ask('Rita');
  const ANNA_LINE = 'Anna here: restart the printer, please.';
  await answer(anna, rita, 4, ANNA_LINE);
  const bob = await ask('Bob');
  const BEN_LINE = 'Ben here: which printer is it?';
  await answer(ben, bob, 2, BEN_LINE);
  const olga = await ask('Olga');

  // The manager turns on both switches for Anna in her feature editor.
  const boss = await openManager(intake, COMPANY, { section: 'people' });
  await boss.page
    .locator(`[data-testid=technician-row][data-email="${email('anna')}"]`)
    .getByTestId('technician-link')
    .click();
  await boss.page.getByTestId('technician-page').waitFor();
  const editor = boss.page.getByTestId('technician-features-form');
  for (const flag of ['management_center', 'reports_self']) {
    const fieldset = editor.getByTestId(`feature-${flag}`);
    await fieldset.getByLabel('On', { exact: true }).check();
    await waitForAttribute(fieldset, 'data-value', 'on');
  }
  await boss.page.getByTestId('technician-features-save').click();
  await waitForText(boss.page.getByTestId('notice'), /Feature overrides saved/);
  const stored = (await mc('GET', '/technicians')).technicians.find((t) => String(t.id) === String(techs.anna));
  assert.equal(stored.features.management_center, true, JSON.stringify(stored.features));
  assert.equal(stored.features.reports_self, true, JSON.stringify(stored.features));
  // David: Management Center access only (no own reports). Carla: neither.
  await mc('PUT', `/technicians/${techs.david}`, { features: { management_center: true } });

  // Anna in her limited Management Center: Reports and Sessions.
  const annaMc = await openAsTechnician('anna');
  const { page } = annaMc;
  await page.getByTestId('whoami').waitFor();
  await waitForText(page.getByTestId('whoami-name'), new RegExp(`^${TECH_NAMES.anna}$`));
  assert.equal(await page.getByTestId('whoami-role').getAttribute('data-role'), 'technician');
  await waitForText(page.getByTestId('whoami-role'), /^Technician$/);
  const me = await api(page, 'GET', '/auth/me');
  assert.deepEqual(me.json.user.may, { management_center: true, reports: true }, JSON.stringify(me.json));
  await page.getByTestId('report-form').waitFor();
  assert.deepEqual(
    await page.locator('.app-nav a').evaluateAll((as) => as.map((a) => a.dataset.testid)),
    ['nav-sessions', 'nav-reports'],
    'the navigation has Sessions and Reports',
  );
  await waitForAttribute(page.getByTestId('nav-reports'), 'aria-current', 'page');
  await waitForText(page.getByTestId('own-reports'), /your own sessions only/);
  await page.locator('[data-testid=my-reports-table], [data-testid=my-reports-empty]').first().waitFor();
  for (const select of ['report-filter-portal', 'report-filter-team', 'report-filter-technician'])
    assert.equal(await page.getByTestId(select).count(), 0, `no ${select}`);

  const reportCalls = [];
  page.on('request', (req) => {
    if (new URL(req.url()).pathname.startsWith('/api/v1/reports/')) reportCalls.push(req.url());
  });

  // The snapshot of today: Anna's one request, her row alone, her rating alone.
  await page.getByTestId('report-period').selectOption('today');
  await runReport(page, 'snapshot');
  const totals = page.getByTestId('report-totals');
  for (const [name, value] of Object.entries({ submitted: 1, answered: 1, abandoned: 0, open: 0 }))
    assert.equal(await totals.getAttribute(`data-${name}`), String(value), `Anna's ${name}`);
  await waitForText(totals.locator('tr[data-measure=submitted] td'), /^1$/);
  assert.deepEqual(await page.getByTestId('report-technician-name').allTextContents(), [TECH_NAMES.anna]);
  const annaRow = page.locator(`[data-testid=report-technician][data-technician-id="${techs.anna}"]`);
  assert.equal(await annaRow.getAttribute('data-sessions'), '1');
  assert.equal(await page.getByTestId('report-survey-facts').getAttribute('data-ratings'), '1');
  assert.deepEqual(
    await page.locator('[data-testid=report-ratings] tbody tr').evaluateAll((rows) => rows.map((r) => Number(r.dataset.ratings))),
    [0, 0, 0, 1, 0],
    "Rita's 4 stars alone, not Bob's 2",
  );
  const range = reportRange(reportCalls.at(-1));
  assert.ok(Number(range.from) <= Date.now() && Date.now() < Number(range.to), 'today');
  for (const key of ['portal_id', 'team_id', 'technician_id'])
    assert.equal(new URL(reportCalls.at(-1)).searchParams.get(key), null, `no ${key} sent`);

  // Its CSV: the same totals, Anna alone.
  const snapshotCsv = await downloadCsv(page);
  assert.equal(snapshotCsv.status, 200, snapshotCsv.text);
  assert.match(snapshotCsv.type, /^text\/csv/);
  const snapshotRows = parseCsv(snapshotCsv.text);
  const measures = Object.fromEntries(snapshotRows.filter((r) => r.length === 2).map((r) => [r[0], r[1]]));
  assert.equal(measures.submitted, '1', snapshotCsv.text);
  assert.equal(measures.answered, '1', snapshotCsv.text);
  assert.ok(snapshotRows.some((r) => r.includes(TECH_NAMES.anna)), `Anna in the CSV: ${snapshotCsv.text}`);
  assert.ok(!snapshotRows.some((r) => r.includes(TECH_NAMES.ben)), `Ben not in the CSV: ${snapshotCsv.text}`);

  // The session detail: Rita's row alone; its CSV Rita's id alone.
  await runReport(page, 'sessions');
  assert.deepEqual(
    await page.getByTestId('report-session').evaluateAll((trs) => trs.map((tr) => tr.dataset.requestId)),
    [rita.id],
  );
  await waitForText(page.getByTestId('report-session-customer').first(), /^Rita$/);
  const sessionsCsv = await downloadCsv(page);
  assert.equal(sessionsCsv.status, 200, sessionsCsv.text);
  const [header, ...data] = parseCsv(sessionsCsv.text).filter((r) => r.some((cell) => cell !== ''));
  const idAt = column(header, /^request(_id)?$/i);
  assert.deepEqual(
    data.map((r) => r[idAt]),
    [rita.id],
    sessionsCsv.text,
  );
  assert.ok(!sessionsCsv.text.includes('Bob') && !sessionsCsv.text.includes('Olga'), sessionsCsv.text);

  // Technician performance: Anna's row alone.
  await runReport(page, 'technicians');
  await page.getByTestId('report-technician-performance').waitFor();
  assert.deepEqual(await page.getByTestId('report-technician-name').allTextContents(), [TECH_NAMES.anna]);

  // Over the API with her session: her own sessions; naming Ben narrows to nothing; people are managers'.
  const { from, to } = range;
  const own = await api(page, 'GET', '/requests?limit=50');
  assert.equal(own.status, 200, own.text);
  assert.deepEqual(
    own.json.requests.map((r) => String(r.id)),
    [rita.id],
    own.text,
  );
  const asBen = await api(page, 'GET', `/reports/sessions?from=${from}&to=${to}&technician_id=${techs.ben}`);
  assert.equal(asBen.status, 200, asBen.text);
  assert.deepEqual(asBen.json.rows, [], asBen.text);
  const people = await api(page, 'GET', '/technicians');
  assert.equal(people.status, 403, people.text);
  assert.equal(people.json?.error?.code, 'forbidden', people.text);

  // She keeps the report under a name: it is in "My reports".
  await page.getByTestId('report-save-form').locator('input[name=name]').fill('My week');
  await page.getByTestId('report-save').click();
  await waitForText(page.getByTestId('notice'), /My week/);
  await waitForText(page.locator('[data-testid=my-report][data-name="My week"] [data-testid=my-report-name]'), /^My week$/);

  // Her Sessions: Rita's request alone (not Bob's), without the managers' selects.
  await page.getByTestId('nav-sessions').click();
  await page.getByTestId('sessions-table').waitFor();
  await waitForAttribute(page.getByTestId('nav-sessions'), 'aria-current', 'page');
  assert.equal(await page.getByTestId('nav-reports').getAttribute('aria-current'), null);
  await waitForText(page.getByTestId('own-sessions'), /your own sessions only/);
  assert.deepEqual(
    await page.getByTestId('session-row').evaluateAll((trs) => trs.map((tr) => tr.dataset.requestId)),
    [rita.id],
    "Rita's request alone",
  );
  await waitForText(page.getByTestId('session-customer').first(), /^Rita$/);
  await page.getByTestId('sessions-filters').waitFor();
  for (const select of ['sessions-filter-portal', 'sessions-filter-team', 'sessions-filter-technician'])
    assert.equal(await page.getByTestId(select).count(), 0, `no ${select}`);
  // Its page: the transcript with her line; her recording's card, no live watching.
  await page.getByTestId('session-link').first().click();
  await waitForAttribute(page.getByTestId('session-detail'), 'data-request-id', rita.id);
  await waitForText(page.getByTestId('session-transcript'), /restart the printer, please/);
  await waitForText(page.getByTestId('session-customer-name'), /^Rita$/);
  await waitForAttribute(page.getByTestId('nav-sessions'), 'aria-current', 'page');
  await new Promise((r) => setTimeout(r, 300));
  await page.getByTestId('session-recording').waitFor();
  assert.equal(await page.getByTestId('watch-live').count(), 0, 'no live watching');
  assert.equal(await page.getByTestId('session-transcript-error').count(), 0);
  // Bob's session by its address: not found, nothing of his.
  await page.evaluate((hash) => {
    location.hash = hash;
  }, `#/sessions/${bob.id}`);
  await page.getByTestId('session-missing').waitFor();
  assert.equal(await page.getByTestId('session-detail').count(), 0);
  const shown = await page.locator('.app-main').textContent();
  assert.ok(!shown.includes('Bob') && !shown.includes(BEN_LINE), shown);
  assert.deepEqual(
    annaMc.paths.filter(
      (p) => /\/monitors?(\/|$)/.test(p) || p.startsWith(`/api/v1/requests/${bob.id}/`),
    ),
    [],
    `no monitor or Bob's session asked for: ${annaMc.paths.join(' ')}`,
  );
  await page.getByTestId('nav-reports').click();
  await page.getByTestId('report-form').waitFor();

  // #/people: for managers; nothing of the technicians' list, and not asked for.
  await page.evaluate(() => {
    location.hash = '#/people';
  });
  await page.getByTestId('forbidden').waitFor();
  await waitForText(page.getByTestId('forbidden'), /for managers only/);
  assert.equal(await page.getByTestId('report-form').count(), 0);
  assert.equal(await page.locator('[data-testid=technician-row], [data-testid=technicians-table], [data-testid=technician-add]').count(), 0);
  assert.equal(await page.getByTestId('nav-people').count(), 0);
  await page.getByTestId('to-reports').click();
  await page.getByTestId('report-form').waitFor();
  await new Promise((r) => setTimeout(r, 300));
  assert.deepEqual(
    annaMc.paths.filter((p) => MANAGER_LISTS.test(p)),
    ['/api/v1/technicians'],
    'the page asked for no manager list (the one there is the test’s own call)',
  );

  // The manager still sees all three requests, Ben's too.
  const all = await mc('GET', `/reports/sessions?from=${from}&to=${to}`);
  assert.deepEqual(
    all.rows.map((r) => String(r.request_id)),
    [rita.id, bob.id, olga.id],
  );

  // David: Management Center access but no own reports.
  const davidMc = await openAsTechnician('david');
  await davidMc.page.getByTestId('reports-not-allowed').waitFor();
  await waitForText(davidMc.page.getByTestId('reports-not-allowed'), /has not allowed you to run reports on your own sessions/);
  assert.equal(await davidMc.page.getByTestId('report-form').count(), 0);
  const davidMe = await api(davidMc.page, 'GET', '/auth/me');
  assert.deepEqual(davidMe.json.user.may, { management_center: true, reports: false }, davidMe.text);
  const davidReport = await api(davidMc.page, 'GET', `/reports/snapshot?from=${from}&to=${to}`);
  assert.equal(davidReport.status, 403, davidReport.text);
  assert.equal(davidReport.json?.error?.code, 'forbidden', davidReport.text);

  // Carla: no Management Center access: said, with sign-out; no spinner, no error.
  const carlaMc = await openAsTechnician('carla');
  const carla = carlaMc.page;
  await carla.getByTestId('no-access').waitFor();
  await waitForText(
    carla.getByTestId('no-access-text'),
    /^Your account has no Management Center access; ask a manager/,
  );
  await waitForText(carla.getByTestId('no-access-who'), new RegExp(TECH_NAMES.carla));
  assert.equal(await carla.locator('.app-nav').count(), 0, 'no navigation');
  assert.equal(await carla.locator('[data-testid=loading], .loading').count(), 0, 'no spinner');
  const carlaMe = await api(carla, 'GET', '/auth/me');
  assert.deepEqual(carlaMe.json.user.may, { management_center: false, reports: false }, carlaMe.text);
  const carlaReport = await api(carla, 'GET', `/reports/snapshot?from=${from}&to=${to}`);
  assert.equal(carlaReport.status, 403, carlaReport.text);
  // #/people too.
  await carla.evaluate(() => {
    location.hash = '#/people';
  });
  await new Promise((r) => setTimeout(r, 300));
  await carla.getByTestId('no-access').waitFor();
  assert.equal(await carla.locator('[data-testid=technician-row]').count(), 0);
  await carla.getByTestId('lang-de').click();
  await waitForAttribute(carla.locator('html'), 'lang', 'de');
  await waitForText(carla.getByTestId('no-access-text'), /^Ihr Konto hat keinen Zugang zum Management Center/);
  await waitForText(carla.getByTestId('logout'), /^Abmelden$/);
  await carla.getByTestId('logout').click();
  await carla.getByTestId('login-form').waitFor();
  await waitForText(carla.getByTestId('login-kind'), /Anmelden als/);
  assert.equal(await carla.getByTestId('login-kind-technician').isChecked(), true, 'the kind chosen last');
  await waitForText(carla.locator('.login-card h2'), /^Anmeldung für Techniker$/);
  assert.equal(
    carlaMc.paths.filter((p) => MANAGER_LISTS.test(p)).length,
    0,
    `Carla's page asked for no manager list: ${carlaMc.paths.join(' ')}`,
  );

  assertNoProblems(
    [boss, annaMc, davidMc, carlaMc],
    [
      { status: 403, path: '/api/v1/technicians' },
      { status: 403, path: '/api/v1/reports/snapshot' },
      // Rita's session had no app to send the computer's details.
      { status: 404, path: `/api/v1/requests/${rita.id}/diagnostics` },
    ],
  );
});
