// The Management Center speaks to people (issue 10), in headless Chromium at
// 1366×768 against the real node with its demo account:
//   - the audit log says who changed what in words ("Anna Berg changed the
//     portal “Help Desk” — business hours, session recording"), in English
//     and German, and filters by person, kind of change and days;
//   - a team that serves no portal is flagged in the team tree, and its page
//     warns with a link to the portals where it can be assigned.
// Run: OA_BIN=build/test/node/openassist OA_WEB_DIR=web/dist node --test tests/browser/manage_audit.test.mjs
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startNode } from '../harness/node.mjs';
import { DEMO_MANAGER, login as apiLogin, managerCall } from '../harness/intake.mjs';
import { COMPANY, launchBrowser, login, openPage, waitForAttribute, waitForText } from './helpers.mjs';

const ANNA = { email: 'anna.berg@demo.openassist.example', password: 'anna-berg-pw-1' };

let node;
let browser;
let boss;
const call = async (session, method, path, body) => {
  const res = await managerCall(node, session, method, path, body);
  assert.ok(res.status < 300, `${method} ${path}: ${res.status} ${res.text}`);
  return res.json;
};

before(async () => {
  node = await startNode({ args: ['--node.demo'] });
  browser = await launchBrowser();
  boss = await apiLogin(node, 'manager', ...DEMO_MANAGER);
  await call(boss, 'POST', '/managers', {
    email: ANNA.email,
    first_name: 'Anna',
    last_name: 'Berg',
    role: 'company_manager',
    password: ANNA.password,
  });
  // Anna gives the Help Desk business hours and turns recording on.
  const anna = await apiLogin(node, 'manager', ANNA.email, ANNA.password);
  const hours = await call(anna, 'POST', '/business-hours', {
    name: 'Office',
    weekly: [1, 2, 3, 4, 5].map((day) => ({ day, open: '08:00', close: '18:00' })),
  });
  const help = (await call(anna, 'GET', '/portals')).portals.find((p) => p.slug === 'help');
  await call(anna, 'PUT', `/portals/${help.id}`, { hours_id: hours.id, features: { recording: true } });
  await call(boss, 'POST', '/teams', { name: 'Night owls' });
});

after(async () => {
  await browser?.close();
  const exit = await node?.stop();
  assert.deepEqual(exit, { code: 0, signal: null }, node?.output());
});

async function laptopPage() {
  const opened = await openPage(browser);
  await opened.page.setViewportSize({ width: 1366, height: 768 });
  return opened;
}

const ME_401 = { status: 401, path: '/api/v1/auth/me' };
const day = (offsetDays) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

/** The summaries the audit table shows, top to bottom, once it shows `expected` rows or the empty note. */
async function summaries(page) {
  await page.locator('[data-testid=audit-table], [data-testid=audit-empty]').first().waitFor();
  return page.getByTestId('audit-summary').allTextContents();
}

/** Waits until the summaries satisfy `check`; resolves to them. */
async function waitForSummaries(page, check, what) {
  const deadline = Date.now() + 10_000;
  let shown = [];
  for (;;) {
    shown = await summaries(page).catch(() => []);
    if (check(shown)) return shown;
    if (Date.now() > deadline) throw new Error(`${what}: the log shows ${JSON.stringify(shown.slice(0, 8))}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('the audit log says who changed what, in words, and filters by person, kind and day', { timeout: 120_000 }, async () => {
  const { context, page, unexpected } = await laptopPage();
  try {
    await page.goto(`${node.publicUrl}/manage/#/audit`);
    await login(page, COMPANY);
    await page.getByTestId('nav-audit').click();

    // Newest first: the team the company manager made, then Anna's portal change in words.
    const rows = await waitForSummaries(page, (s) => s.length > 5, 'the log');
    assert.equal(rows[0], 'Company Manager created the team “Night owls”');
    const portalChange = rows.find((r) => r.startsWith('Anna Berg changed the portal'));
    assert.ok(portalChange, JSON.stringify(rows.slice(0, 6)));
    assert.match(portalChange, /^Anna Berg changed the portal “Help Desk” — /);
    assert.deepEqual(portalChange.split(' — ')[1].split(', ').sort(), ['business hours', 'session recording']);
    assert.ok(rows.includes('Anna Berg created the business hours “Office”'), JSON.stringify(rows));
    assert.ok(rows.includes('Company Manager added the manager Anna Berg'), JSON.stringify(rows));
    // No raw keys or ids in the words.
    for (const r of rows) assert.doesNotMatch(r, /portal\/\d|team\/\d|\.update|hours_id/, r);

    // Person: only Anna's changes.
    const filters = page.getByTestId('audit-filters');
    await filters.getByLabel('Person', { exact: true }).selectOption({ label: 'Anna Berg' });
    const annas = await waitForSummaries(page, (s) => s.length === 2, 'Anna’s two changes');
    assert.ok(annas.every((s) => s.startsWith('Anna Berg ')), JSON.stringify(annas));

    // Kind: Anna made no team; portals only.
    await filters.getByLabel('Kind of change').selectOption({ label: 'Teams' });
    await waitForText(page.getByTestId('audit-empty'), /^No entries match these filters\.$/);
    await filters.getByLabel('Person', { exact: true }).selectOption({ label: 'Anyone' });
    await filters.getByLabel('Kind of change').selectOption({ label: 'Portals' });
    await waitForSummaries(page, (s) => s.length === 6, 'the five demo portals and Anna’s change');
    const actions = await page.getByTestId('audit-row').evaluateAll((trs) => trs.map((tr) => tr.dataset.action));
    assert.ok(actions.every((a) => a.startsWith('portal.')), JSON.stringify(actions));

    // Days (the manager's time zone is UTC): nothing from tomorrow on; today's changes from yesterday to today.
    await filters.getByLabel('From', { exact: true }).fill(day(1));
    await waitForText(page.getByTestId('audit-empty'), /^No entries match these filters\.$/);
    await filters.getByLabel('From', { exact: true }).fill(day(-1));
    await filters.getByLabel('To', { exact: true }).fill(day(0));
    await waitForSummaries(page, (s) => s.length === 6, 'today’s portal changes');
    // An end before the start is said, nothing is asked.
    await filters.getByLabel('To', { exact: true }).fill(day(-2));
    await waitForText(page.getByTestId('audit-range-error'), /end date is before the start date/);
    await page.getByTestId('audit-filter-clear').click();
    await waitForSummaries(page, (s) => s.length > 10, 'the whole log again');

    // German: the same entries in German words.
    await page.getByRole('button', { name: 'Deutsch' }).click();
    const german = await waitForSummaries(page, (s) => s[0]?.includes('hat das Team'), 'German');
    assert.equal(german[0], 'Company Manager hat das Team „Night owls“ angelegt');
    const deChange = german.find((r) => r.startsWith('Anna Berg hat das Portal'));
    assert.match(deChange, /^Anna Berg hat das Portal „Help Desk“ geändert — /);
    assert.deepEqual(deChange.split(' — ')[1].split(', ').sort(), ['Geschäftszeiten', 'Sitzungsaufzeichnung']);
    await filters.getByLabel('Art der Änderung').selectOption({ label: 'Geschäftszeiten' });
    await waitForSummaries(page, (s) => s.length === 1, 'the business hours change');
    assert.equal(await page.getByTestId('audit-summary').textContent(), 'Anna Berg hat die Geschäftszeiten „Office“ angelegt');
    await page.getByRole('button', { name: 'English' }).click();

    assert.deepEqual(unexpected([ME_401]), []);
  } finally {
    await context.close();
  }
});

test('a team that serves no portal is flagged, with the way to fix it', { timeout: 120_000 }, async () => {
  const { context, page, unexpected } = await laptopPage();
  try {
    await page.goto(`${node.publicUrl}/manage/#/teams`);
    await login(page, COMPANY);
    await page.getByTestId('nav-teams').click();
    const teamNode = (name) => page.locator(`[data-testid=team-node][data-team-name="${name}"]`);
    await teamNode('Night owls').waitFor();
    // Only the team without a portal carries the flag (sub-teams serve their parent's portals).
    const flag = teamNode('Night owls').getByTestId('team-no-portal').first();
    await waitForText(flag, /^Serves no portal$/);
    for (const served of ['Support EU', 'Tier 2', 'Support US']) {
      const own = teamNode(served).locator(':scope > .team-row [data-testid=team-no-portal]');
      assert.equal(await own.count(), 0, `${served} serves the demo portals`);
    }

    await teamNode('Night owls').getByTestId('team-select').first().click();
    const warning = page.getByTestId('team-no-portal-warning');
    await waitForText(warning, /No portal sends requests to “Night owls”: its technicians get no customers\./);
    const fix = page.getByTestId('team-no-portal-fix');
    assert.equal(await fix.getAttribute('href'), '#/portals');
    await teamNode('Support EU').getByTestId('team-select').first().click();
    await waitForText(page.getByTestId('team-portals'), /Gets requests from: .*Help Desk/);

    await teamNode('Night owls').getByTestId('team-select').first().click();
    await page.getByRole('button', { name: 'Deutsch' }).click();
    await waitForText(page.getByTestId('team-no-portal-warning'), /Kein Portal schickt „Night owls“ Anfragen/);
    await waitForText(flag, /^Bedient kein Portal$/);
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByTestId('team-no-portal-fix').click();
    await waitForAttribute(page.getByTestId('nav-portals'), 'aria-current', 'page');
    assert.deepEqual(unexpected([ME_401]), []);
  } finally {
    await context.close();
  }
});
