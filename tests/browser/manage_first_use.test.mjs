// The Management Center as a new company manager meets it right after signing
// in (issue 10), in headless Chromium at 1366×768 against the real node with
// its demo account:
//   - the portal's addresses and the SmartButton snippet carry the account id
//     at once (not `undefined` until a reload), also after saving "My settings";
//   - a new business-hours interval holds real times (no grey example times
//     that look like values) and saves as it is shown;
//   - the technician, manager and portal forms mark their required fields and
//     say their rules (password length, web address) before anything is sent.
// Run: OA_BIN=build/test/node/openassist OA_WEB_DIR=web/dist node --test tests/browser/manage_first_use.test.mjs
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startNode } from '../harness/node.mjs';
import { apiGet, COMPANY, launchBrowser, login, openPage, waitForText } from './helpers.mjs';

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

/** A page at laptop size, not signed in yet. */
async function laptopPage(options) {
  const opened = await openPage(browser, options);
  await opened.page.setViewportSize({ width: 1366, height: 768 });
  return opened;
}

// Before sign-in the page asks who is there and gets a 401.
const ME_401 = { status: 401, path: '/api/v1/auth/me' };

async function openPortal(page, slug) {
  await page.getByTestId('nav-portals').click();
  await page.locator(`[data-testid=portal-row][data-slug="${slug}"]`).getByTestId('portal-link').click();
  await page.getByTestId('portal-addresses').waitFor();
}

test('portal addresses carry the account id right after sign-in and after saving settings', { timeout: 120_000 }, async () => {
  const { context, page, unexpected } = await laptopPage();
  try {
    await page.goto(`${node.publicUrl}/manage/#/portals`);
    await login(page, COMPANY);
    const origin = node.publicUrl;

    // The SmartButton portal: its page, its status and the snippet for the company's web site.
    await openPortal(page, 'button');
    const customerUrl = page.getByTestId('portal-customer-url');
    assert.equal(await customerUrl.getAttribute('href'), `${origin}/p/demo/button`);
    assert.equal(await customerUrl.textContent(), `${origin}/p/demo/button`);
    assert.equal(
      await page.getByTestId('portal-status-url').textContent(),
      `${origin}/api/v1/public/portals/demo/button/status`,
    );
    const snippet = await page.getByTestId('smartbutton-snippet').textContent();
    assert.match(snippet, / data-account="demo" data-portal="button" /);
    assert.ok(!(await page.getByTestId('portal-addresses').textContent()).includes('undefined'));

    // The address leads to the portal page.
    const customer = await context.newPage();
    await customer.goto(`${origin}/p/demo/button`);
    await customer.getByTestId('request-form').waitFor();
    await customer.close();

    // "My settings" answers with the user; the account id stays known.
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('settings-save').click();
    await page.getByTestId('notice').waitFor();
    await openPortal(page, 'help');
    assert.equal(await page.getByTestId('portal-customer-url').getAttribute('href'), `${origin}/p/demo/help`);

    assert.deepEqual(unexpected([ME_401]), []);
  } finally {
    await context.close();
  }
});

test('a new business-hours interval holds real times and saves as shown', { timeout: 120_000 }, async () => {
  const { context, page, unexpected } = await laptopPage();
  try {
    await page.goto(`${node.publicUrl}/manage/#/hours`);
    await login(page, COMPANY);
    await page.getByTestId('hours-add').click();
    const form = page.getByTestId('hours-form');
    await form.waitFor();
    await form.locator('input[name=name]').fill('Weekdays');

    const monday = form.locator('[data-testid=weekly-day][data-day="1"]');
    await monday.getByTestId('interval-add').click();
    const open = monday.locator('[data-part=open]');
    const close = monday.locator('[data-part=close]');
    // What the fields show is what they hold: real times, no example times in grey.
    assert.equal(await open.inputValue(), '09:00');
    assert.equal(await close.inputValue(), '17:00');
    assert.equal(await open.getAttribute('placeholder'), null);
    assert.equal(await close.getAttribute('placeholder'), null);

    // A second interval the same day starts where the first one ends.
    await monday.getByTestId('interval-add').click();
    const second = monday.getByTestId('interval').nth(1);
    assert.equal(await second.locator('[data-part=open]').inputValue(), '17:00');
    assert.equal(await second.locator('[data-part=close]').inputValue(), '21:00');
    await second.getByTestId('interval-remove').click();

    // A special day with its own hours gets real times too.
    await form.getByTestId('special-day-add').click();
    const special = form.getByTestId('special-day').first();
    await special.locator('input[type=date]').fill('2031-12-24');
    await special.locator('input[name="special_days[0].name"]').fill('Christmas Eve');
    await special.locator('input[type=checkbox]').uncheck();
    assert.equal(await special.locator('[data-part=open]').inputValue(), '09:00');
    assert.equal(await special.locator('[data-part=close]').inputValue(), '17:00');

    // Saved as shown, without typing a time.
    await page.getByTestId('hours-save').click();
    await waitForText(page.getByTestId('notice'), /Weekdays/);
    const { business_hours: sets } = await apiGet(page, '/business-hours');
    const saved = sets.find((h) => h.name === 'Weekdays');
    assert.deepEqual(saved.weekly, [{ day: 1, open: '09:00', close: '17:00' }]);
    assert.deepEqual(saved.special_days[0].hours, [{ open: '09:00', close: '17:00' }]);
    assert.deepEqual(unexpected([ME_401]), []);
  } finally {
    await context.close();
  }
});

/** The labels of a form's inputs that carry the required mark, by input name. */
const markedRequired = (form) =>
  form
    .locator('.field')
    .evaluateAll((fields) =>
      fields
        .filter((f) => f.querySelector('label [data-testid=required-mark]'))
        .map((f) => f.querySelector('input, select, textarea')?.getAttribute('name')),
    );

/** The hint shown under an input before anything is sent. */
const hintOf = (form, name) => form.locator(`.field[data-field="${name}"] .field-hint`);

test('people and portal forms mark required fields and say their rules before a submit', { timeout: 120_000 }, async () => {
  for (const locale of ['en-US', 'de-DE']) {
    const german = locale === 'de-DE';
    const { context, page, unexpected } = await laptopPage();
    try {
      await page.goto(`${node.publicUrl}/manage/#/people/new`);
      const form = page.getByTestId('login-form');
      await form.waitFor();
      await form.locator('input[name=email]').fill(COMPANY.email);
      await form.locator('input[name=password]').fill(COMPANY.password);
      await page.getByTestId('login-submit').click();
      await page.getByTestId('whoami').waitFor();
      if (german) {
        await page.getByRole('button', { name: 'Deutsch' }).click();
        await waitForText(page.getByTestId('nav-people'), /^Techniker$/);
      }

      // A new technician.
      const tech = page.getByTestId('technician-form');
      await tech.waitFor();
      assert.deepEqual(
        (await markedRequired(tech)).sort(),
        ['email', 'first_name', 'last_name', 'password', 'team_id'],
        `${locale}: the required inputs are marked`,
      );
      await waitForText(
        tech.getByTestId('required-note'),
        german ? /Pflichtfelder sind mit \* markiert/ : /Fields marked \* are required/,
      );
      await waitForText(
        hintOf(tech, 'password'),
        german ? /^Mindestens 8 Zeichen\.$/ : /^At least 8 characters\.$/,
      );
      assert.equal(await page.getByTestId('field-error').count(), 0, 'nothing refused yet');

      // A short password is refused in the form, before anything is sent.
      await tech.locator('input[name=first_name]').fill('Paul');
      await tech.locator('input[name=last_name]').fill('Short');
      await tech.locator('input[name=email]').fill(`paul.short.${locale}@demo.openassist.example`);
      await tech.locator('select[name=team_id]').selectOption({ index: 1 });
      await tech.locator('input[name=password]').fill('short');
      const posts = [];
      page.on('request', (r) => r.method() === 'POST' && r.url().includes('/technicians') && posts.push(r.url()));
      await page.getByTestId('technician-submit').click();
      await waitForText(
        tech.locator('[data-testid=field-error][data-field=password]'),
        german ? /mindestens 8 Zeichen/ : /at least 8 characters/,
      );
      assert.deepEqual(posts, [], 'the short password was not sent');

      // A manager: the same marks and the password rule.
      await page.goto(`${node.publicUrl}/manage/#/managers`);
      const manager = page.getByTestId('manager-form');
      await manager.waitFor();
      for (const name of ['first_name', 'last_name', 'email', 'password'])
        assert.ok((await markedRequired(manager)).includes(name), `${locale}: manager ${name} marked`);
      await waitForText(
        hintOf(manager, 'password'),
        german ? /^Mindestens 8 Zeichen\.$/ : /^At least 8 characters\.$/,
      );

      // A new portal: name, web address and time zone are required; the address says its rule.
      await page.goto(`${node.publicUrl}/manage/#/portals/new`);
      const portal = page.getByTestId('portal-form');
      await portal.waitFor();
      const portalRequired = await markedRequired(portal);
      for (const name of ['name', 'slug', 'time_zone'])
        assert.ok(portalRequired.includes(name), `${locale}: portal ${name} marked (${portalRequired})`);
      await waitForText(portal.getByTestId('required-note'), german ? /Pflichtfelder/ : /Fields marked \*/);
      await waitForText(hintOf(portal, 'slug'), german ? /2 bis 40 Zeichen/ : /2 to 40 characters/);
      assert.deepEqual(unexpected([ME_401]), []);
    } finally {
      await context.close();
    }
  }
});
