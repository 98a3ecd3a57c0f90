// The Management Center (/manage/), served by the real node binary with its
// demo account, in headless Chromium.
// Run: OA_BIN=build/test/node/openassist OA_WEB_DIR=web/dist node --test tests/browser/
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startNode } from '../harness/node.mjs';
import {
  apiGet,
  COMPANY,
  launchBrowser,
  login,
  openPage,
  TEAMLEAD,
  waitForAttribute,
  waitForText,
  waitForValue,
} from './helpers.mjs';

const SCREENSHOT = process.env.OA_SCREENSHOT_MANAGE ?? '/tmp/manage.png';

// Five technicians for team QA (a top-level team: the parent column stays
// empty); line 3 has a malformed e-mail address.
const BULK_LINES = [
  ', QA, qa.ann@demo.openassist.example, Ann, Archer, qa-secret-pass-1, Ann, QA-1',
  ', QA, qa.ben@demo.openassist.example, Ben, Baker, qa-secret-pass-2, Ben, QA-2',
  ', QA, qa.cid(at)demo.openassist.example, Cid, Cooper, qa-secret-pass-3, Cid, QA-3',
  ', QA, qa.dee@demo.openassist.example, Dee, Dalton, qa-secret-pass-4, Dee, QA-4',
  ', QA, qa.eli@demo.openassist.example, Eli, Evans, qa-secret-pass-5, Eli, QA-5',
];
const BAD_LINE = 3;

let node;
let browser;

before(async () => {
  node = await startNode({ args: ['--node.demo'] });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await node?.stop();
});

const teamNode = (page, name) => page.locator(`[data-testid=team-node][data-team-name="${name}"]`);

async function visibleTeamNames(page) {
  return page.locator('[data-testid=team-node]').evaluateAll((nodes) => nodes.map((n) => n.dataset.teamName).sort());
}

test('company manager: teams, bulk add, portals, feature overrides, German, logout', { timeout: 120_000 }, async () => {
  const { context, page, unexpected } = await openPage(browser);
  try {
    const response = await page.goto(`${node.publicUrl}/manage/`);
    assert.equal(response.status(), 200);
    assert.match(response.headers()['content-security-policy'] ?? '', /default-src 'self'/);

    // A wrong password shows the translated reason.
    const form = page.getByTestId('login-form');
    await form.getByLabel('E-mail').fill(COMPANY.email);
    await form.getByLabel('Password').fill('not-the-password');
    await page.getByTestId('login-submit').click();
    await waitForText(page.getByTestId('login-error'), /E-mail address or password is wrong/);
    assert.equal(await page.getByTestId('login-error').getAttribute('data-code'), 'invalid_credentials');

    await login(page, COMPANY);
    assert.equal(await page.getByTestId('whoami-role').textContent(), 'Company manager');
    for (const section of ['teams', 'people', 'bulk', 'managers', 'portals', 'hours', 'audit', 'settings']) {
      assert.equal(await page.getByTestId(`nav-${section}`).count(), 1, `nav ${section}`);
    }

    // Teams: QA at the top level, QA Night below it.
    await page.getByTestId('nav-teams').click();
    const create = page.getByTestId('team-create-form');
    await create.locator('input[name=name]').fill('QA');
    assert.equal(await create.locator('select[name=parent_id]').inputValue(), '', 'top level by default');
    await page.getByTestId('team-create-submit').click();
    await teamNode(page, 'QA').waitFor();

    await teamNode(page, 'QA').locator(':scope > .team-row').getByTestId('team-add-sub').click();
    const qaId = await teamNode(page, 'QA').getAttribute('data-team-id');
    await waitForValue(page.getByTestId('team-create-form').locator('select[name=parent_id]'), qaId);
    await page.getByTestId('team-create-form').locator('input[name=name]').fill('QA Night');
    await page.getByTestId('team-create-submit').click();
    await teamNode(page, 'QA').locator('[data-testid=team-node][data-team-name="QA Night"]').waitFor();

    // Bulk add: four added, the malformed e-mail rejected with a reason.
    await page.getByTestId('nav-bulk').click();
    await page.getByTestId('bulk-text').fill(BULK_LINES.join('\n'));
    await page.getByTestId('bulk-submit').click();
    const summary = page.getByTestId('bulk-summary');
    await summary.waitFor();
    assert.equal(await summary.getAttribute('data-added'), '4');
    assert.equal(await summary.getAttribute('data-rejected'), '1');
    assert.equal(await page.locator('[data-testid=bulk-result][data-status=added]').count(), 4);
    const rejected = page.locator('[data-testid=bulk-result][data-status=rejected]');
    assert.equal(await rejected.count(), 1);
    assert.equal(await rejected.getAttribute('data-line'), String(BAD_LINE));
    assert.match(await rejected.textContent(), /Rejected/);
    assert.match(await rejected.textContent(), /qa\.cid\(at\)demo/, 'the rejected input line is shown');
    assert.notEqual((await rejected.getByTestId('bulk-reason').textContent()).trim(), '', 'a reason is shown');

    // The people table lists them in team QA.
    await page.getByTestId('nav-people').click();
    await page.getByTestId('technicians-table').waitFor();
    const qaRows = page.locator('[data-testid=technician-row][data-email^="qa."]');
    assert.equal(await qaRows.count(), 4);
    for (const team of await qaRows.getByTestId('technician-team').allTextContents()) assert.equal(team, 'QA');
    await page.getByTestId('sort-name').click();
    assert.equal(await page.locator('th[aria-sort=descending]').count(), 1);

    // A duplicate e-mail address is a server validation error shown in the form.
    await page.getByTestId('technician-add').click();
    const add = page.getByTestId('technician-form');
    await add.waitFor();
    await add.locator('input[name=first_name]').fill('Ann');
    await add.locator('input[name=last_name]').fill('Again');
    await add.locator('input[name=email]').fill('qa.ann@demo.openassist.example');
    await add.locator('select[name=team_id]').selectOption({ label: 'QA' });
    await add.locator('input[name=password]').fill('qa-secret-pass-9');
    await page.getByTestId('technician-submit').click();
    await add.getByText('A user with this e-mail address already exists.').waitFor();

    // Portals: create one with a sub-portal, then assign team QA to it.
    await page.getByTestId('nav-portals').click();
    await page.getByTestId('portal-add').click();
    const portal = page.getByTestId('portal-form');
    await portal.locator('input[name=name]').fill('QA Portal');
    await portal.locator('input[name=slug]').fill('qa-portal');
    await portal.locator('select[name=mode]').selectOption('web');
    await portal.locator('select[name=type]').selectOption('smartbox');
    await portal.locator('select[name=time_zone]').selectOption('Europe/Berlin');
    await portal.locator('input[name=notification_email]').fill('qa-alerts@demo.openassist.example');
    await portal.locator('input[name="texts.title"]').fill('QA help desk');
    await portal.locator('textarea[name="texts.welcome"]').fill('Welcome to the QA help desk.');
    await page.getByTestId('sub-portal-add').click();
    const sub = page.getByTestId('sub-portal').first();
    await sub.locator('input[name="sub_portals[0].name"]').fill('QA desk');
    await sub.getByTestId('sub-portal-teams').getByLabel('Support US', { exact: true }).check();
    await page.getByTestId('portal-save').click();
    const portalRow = page.locator('[data-testid=portal-row][data-slug=qa-portal]');
    await portalRow.waitFor();

    await portalRow.getByTestId('portal-link').click();
    const edit = page.getByTestId('portal-form');
    await edit.waitFor();
    assert.equal(await edit.locator('input[name=name]').inputValue(), 'QA Portal');
    const editSub = edit.getByTestId('sub-portal').first();
    assert.equal(await editSub.locator('input[name="sub_portals[0].name"]').inputValue(), 'QA desk');
    await editSub.getByTestId('sub-portal-teams').getByLabel('QA', { exact: true }).check();
    await page.getByTestId('portal-save').click();
    await waitForText(page.locator('[data-testid=portal-row][data-slug=qa-portal]'), /QA desk \(.*\bQA\b.*\)/);
    const { portals } = await apiGet(page, '/portals');
    const saved = portals.find((p) => p.slug === 'qa-portal');
    assert.ok(saved, 'portal stored');
    assert.equal(saved.sub_portals.length, 1);
    assert.ok(saved.sub_portals[0].team_ids.map(String).includes(qaId), 'QA assigned to the sub-portal');

    // Chat off for one technician; the features view shows "off" from the technician.
    await page.getByTestId('nav-people').click();
    await page
      .locator('[data-testid=technician-row][data-email="qa.ann@demo.openassist.example"]')
      .getByTestId('technician-link')
      .click();
    await page.getByTestId('technician-page').waitFor();
    const overrides = page.getByTestId('technician-features-form');
    await overrides.getByTestId('feature-chat').getByLabel('Off', { exact: true }).check();
    await page.getByTestId('technician-features-save').click();
    await waitForText(page.getByTestId('notice'), /Feature overrides saved/);
    await page.waitForLoadState('networkidle');
    await page.reload();
    await waitForAttribute(
      page.getByTestId('technician-features-form').getByTestId('feature-chat'),
      'data-value',
      'off',
    );
    const effective = page.getByTestId('effective-features');
    await effective.locator('select[name=portal_id]').selectOption({ label: 'QA Portal' });
    await waitForAttribute(page.getByTestId('effective-table'), 'data-portal', String(saved.id));
    const chat = page.getByTestId('effective-chat');
    await waitForAttribute(chat, 'data-value', 'off');
    assert.equal(await chat.getAttribute('data-source'), 'technician');
    assert.match(await chat.textContent(), /Off/);
    assert.match(await chat.getByTestId('effective-source').textContent(), /Technician override/);
    const annId = await page.getByTestId('technician-page').getAttribute('data-id');
    const features = await apiGet(page, `/technicians/${annId}/features?portal_id=${saved.id}`);
    assert.equal(features.values.chat, false);
    assert.equal(features.sources.chat, 'technician');

    await page.screenshot({ path: SCREENSHOT, fullPage: true });

    // German.
    await page.getByRole('button', { name: 'Deutsch' }).click();
    await waitForText(page.getByTestId('nav-people'), /^Techniker$/);
    assert.equal(await page.locator('html').getAttribute('lang'), 'de');
    assert.equal(await page.getByTestId('logout').textContent(), 'Abmelden');
    assert.equal(await page.getByTestId('nav-settings').textContent(), 'Meine Einstellungen');
    assert.equal(await page.getByTestId('whoami-role').textContent(), 'Firmenmanager');
    assert.match(await chat.textContent(), /Aus/);
    assert.match(await chat.getByTestId('effective-source').textContent(), /Einstellung des Technikers/);

    // Back to "inherit" (the server merges overrides: this must clear chat).
    await page
      .getByTestId('technician-features-form')
      .getByTestId('feature-chat')
      .getByLabel('Erben', { exact: true })
      .check();
    await page.getByTestId('technician-features-save').click();
    await waitForAttribute(chat, 'data-value', 'on');
    assert.equal(await chat.getAttribute('data-source'), 'default');
    assert.match(await chat.getByTestId('effective-source').textContent(), /Produktvorgabe/);

    await page.getByTestId('nav-teams').click();
    await page.getByRole('heading', { name: 'Teamstruktur' }).waitFor();

    // Log out: back to the (German) sign-in form, and a reload stays there.
    await page.getByTestId('logout').click();
    await waitForText(page.getByTestId('login-submit'), /^Anmelden$/);
    await page.reload();
    await page.getByTestId('login-form').waitFor();
    assert.equal(await page.getByTestId('whoami').count(), 0);

    assert.deepEqual(
      unexpected([
        { status: 401, path: '/api/v1/auth/me' },
        { status: 401, path: '/api/v1/auth/login' },
        { status: 409, path: '/api/v1/technicians' },
      ]),
      [],
    );
  } finally {
    await context.close();
  }
});

test('team manager sees only the teams they manage', { timeout: 60_000 }, async () => {
  const { context, page, unexpected } = await openPage(browser);
  try {
    await page.goto(`${node.publicUrl}/manage/#/teams`);
    await login(page, TEAMLEAD);
    assert.equal(await page.getByTestId('whoami-role').textContent(), 'Team manager');
    await teamNode(page, 'Support EU').waitFor();
    assert.deepEqual(await visibleTeamNames(page), ['Support EU', 'Tier 2']);
    assert.equal(
      await teamNode(page, 'Support EU').locator('[data-testid=team-node][data-team-name="Tier 2"]').count(),
      1,
    );
    assert.equal(await teamNode(page, 'Support US').count(), 0);
    for (const section of ['managers', 'portals', 'hours', 'audit']) {
      assert.equal(await page.getByTestId(`nav-${section}`).count(), 0, `no ${section} for team managers`);
    }
    assert.deepEqual(unexpected([{ status: 401, path: '/api/v1/auth/me' }]), []);
  } finally {
    await context.close();
  }
});

test('sign-in shows the server message on too many attempts', { timeout: 30_000 }, async () => {
  const { context, page, unexpected } = await openPage(browser);
  try {
    await page.route('**/api/v1/auth/login', (route) =>
      route.fulfill({
        status: 429,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'too_many_attempts', message: 'try again in 42 seconds' } }),
      }),
    );
    await page.goto(`${node.publicUrl}/manage/`);
    const form = page.getByTestId('login-form');
    await form.getByLabel('E-mail').fill(COMPANY.email);
    await form.getByLabel('Password').fill('whatever-it-is');
    await page.getByTestId('login-submit').click();
    const error = page.getByTestId('login-error');
    await waitForText(error, /try again in 42 seconds/);
    assert.match(await error.textContent(), /Too many sign-in attempts/);
    assert.equal(await error.getAttribute('data-code'), 'too_many_attempts');
    assert.deepEqual(
      unexpected([
        { status: 401, path: '/api/v1/auth/me' },
        { status: 429, path: '/api/v1/auth/login' },
      ]),
      [],
    );
  } finally {
    await context.close();
  }
});
