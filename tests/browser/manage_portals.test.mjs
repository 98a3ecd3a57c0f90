// The Management Center's portal set-up against the real node binary with its
// demo account, in headless Chromium: business hours and the open/closed state
// they give a portal, the customer form's fields, and validation messages
// built in the UI's language from the rule the server names.
// Run: OA_BIN=build/test/node/openassist OA_WEB_DIR=web/dist node --test tests/browser/
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startNode } from '../harness/node.mjs';
import {
  apiGet,
  apiSend,
  COMPANY,
  launchBrowser,
  login,
  openPage,
  waitForAttribute,
  waitForText,
  waitForValue,
} from './helpers.mjs';

const SCREENSHOT = process.env.OA_SCREENSHOT_HOURS ?? '/tmp/manage-hours.png';
const ZONE = 'Europe/Berlin'; // the demo portals' time zone

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

/** Today's date (YYYY-MM-DD) on the portal's clock. */
const todayIn = (timeZone) =>
  new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());

/** Weekday (0 = Sunday) and "HH:MM" of an instant on the portal's clock. */
function localTime(unixSeconds, timeZone) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(new Date(unixSeconds * 1000))
      .map((p) => [p.type, p.value]),
  );
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(parts.weekday);
  return { day, time: `${parts.hour}:${parts.minute}` };
}

const weekday = (form, day) => form.locator(`[data-testid=weekly-day][data-day="${day}"]`);
const portalRow = (page, slug) => page.locator(`[data-testid=portal-row][data-slug="${slug}"]`);

async function intervalValues(day) {
  return day
    .getByTestId('interval')
    .evaluateAll((rows) =>
      rows.map((r) => `${r.querySelector('[data-part=open]').value}-${r.querySelector('[data-part=close]').value}`),
    );
}

test('business hours with a holiday make a portal closed until the next opening', { timeout: 120_000 }, async () => {
  const { context, page, unexpected } = await openPage(browser);
  try {
    await page.goto(`${node.publicUrl}/manage/#/hours`);
    await login(page, COMPANY);
    await page.getByTestId('hours-empty').waitFor();
    assert.equal(await page.getByTestId('nav-hours').getAttribute('aria-current'), 'page');

    await page.getByTestId('hours-add').click();
    const form = page.getByTestId('hours-form');
    await form.waitFor();
    await form.locator('input[name=name]').fill('Office hours');

    // Monday 09:00-17:00, typed loosely ("9", "1700") and shown as HH:MM.
    const monday = weekday(form, 1);
    assert.match(await monday.textContent(), /Monday.*Closed/);
    await monday.getByTestId('interval-add').click();
    await monday.locator('input[data-part=open]').fill('9');
    await monday.locator('input[data-part=close]').fill('1700');
    await monday.locator('input[data-part=close]').blur();
    await waitForValue(monday.locator('input[data-part=open]'), '09:00');
    await waitForValue(monday.locator('input[data-part=close]'), '17:00');

    // Copied to Tuesday-Friday; the weekend stays closed.
    await page.getByTestId('copy-monday').click();
    for (const day of [1, 2, 3, 4, 5]) assert.deepEqual(await intervalValues(weekday(form, day)), ['09:00-17:00']);
    for (const day of [6, 0]) {
      assert.equal(await weekday(form, day).getByTestId('interval').count(), 0);
      assert.match(await weekday(form, day).textContent(), /Closed/);
    }

    // A second interval on Friday that overlaps the first one, and a Saturday
    // closing before it opens: both marked, nothing sent.
    const friday = weekday(form, 5);
    await friday.getByTestId('interval-add').click();
    await friday.getByTestId('interval').nth(1).locator('input[data-part=open]').fill('16:00');
    await friday.getByTestId('interval').nth(1).locator('input[data-part=close]').fill('18:00');
    const saturday = weekday(form, 6);
    await saturday.getByTestId('interval-add').click();
    await saturday.locator('input[data-part=open]').fill('12:00');
    await saturday.locator('input[data-part=close]').fill('10:00');
    await page.getByTestId('hours-save').click();
    await waitForText(page.getByTestId('form-error'), /Please correct the marked entries/);
    await waitForText(saturday.getByTestId('field-error'), /The closing time must be after the opening time/);
    await waitForText(friday.getByTestId('field-error'), /overlap/);
    assert.equal(await saturday.locator('input[data-part=close]').getAttribute('aria-invalid'), 'true');
    await saturday.getByTestId('interval-remove').click();
    await friday.getByTestId('interval-remove').nth(1).click();

    // Today is a holiday on the portal's clock.
    const today = todayIn(ZONE);
    await page.getByTestId('special-day-add').click();
    const holiday = form.getByTestId('special-day');
    await holiday.locator('input[name="special_days[0].date"]').fill(today);
    await holiday.locator('input[name="special_days[0].name"]').fill('QA Day');
    assert.equal(await holiday.getByLabel('Closed all day').isChecked(), true, 'closed all day by default');

    await page.getByTestId('hours-save').click();
    await waitForText(page.getByTestId('notice'), /Business hours “Office hours” created\./);
    const row = page.locator('[data-testid=hours-row][data-name="Office hours"]');
    await row.waitFor();
    assert.equal((await row.getByTestId('hours-week').textContent()).trim(), 'Mon–Fri 09:00–17:00');
    assert.match(await row.getByTestId('hours-special').textContent(), /QA Day \(Closed all day\)/);
    assert.match(await row.getByTestId('hours-portals').textContent(), /No portal/);

    const { business_hours: sets } = await apiGet(page, '/business-hours');
    assert.equal(sets.length, 1);
    const office = sets[0];
    assert.deepEqual(
      office.weekly.map((w) => [w.day, w.open, w.close]).sort(),
      [1, 2, 3, 4, 5].map((day) => [day, '09:00', '17:00']),
    );
    assert.deepEqual(
      office.special_days.map((d) => [d.date, d.name, d.closed]),
      [[today, 'QA Day', true]],
    );

    // Assign it to the demo portal "Help Desk".
    await page.getByTestId('nav-portals').click();
    await waitForText(
      portalRow(page, 'help').getByTestId('open-state'),
      /^Open now — no business hours, always open$/,
    );
    await portalRow(page, 'help').getByTestId('portal-link').click();
    const portal = page.getByTestId('portal-form');
    await portal.waitFor();
    assert.equal(await portal.locator('select[name=hours_id]').inputValue(), '0', 'always open so far');
    assert.equal(await portal.locator('select[name=time_zone]').inputValue(), ZONE);
    await portal.locator('select[name=hours_id]').selectOption({ label: 'Office hours' });
    await page.getByTestId('portal-save').click();
    await waitForText(page.getByTestId('notice'), /Portal “Help Desk” saved\./);

    // Closed for the holiday; opens at 09:00 on the next working day, shown on the portal's clock.
    const help = (await apiGet(page, '/portals')).portals.find((p) => p.slug === 'help');
    assert.equal(String(help.hours_id), String(office.id));
    const state = portalRow(page, 'help').getByTestId('open-state');
    await waitForAttribute(state, 'data-open', 'false');
    assert.equal(await state.getAttribute('data-reason'), 'holiday:QA Day');
    const answer = await apiGet(page, `/portals/${help.id}/open-state`);
    assert.equal(answer.open, false);
    assert.equal(await state.getAttribute('data-next-change'), String(answer.next_change));
    const opens = localTime(answer.next_change, ZONE);
    assert.equal(opens.time, '09:00');
    assert.ok(opens.day >= 1 && opens.day <= 5, 'opens on a working day');
    const text = await state.textContent();
    assert.match(text, /^Closed — holiday “QA Day”, opens .*09:00/);
    assert.match(text, /GMT\+1|GMT\+2|CET|CEST/, 'the time says its zone');
    assert.match(await portalRow(page, 'help').getByTestId('portal-hours-name').textContent(), /Office hours/);

    // A set open around the clock: "Pick your expert" is open with no end in sight.
    const allWeek = await apiSend(page, 'POST', '/business-hours', {
      name: 'Around the clock',
      weekly: [0, 1, 2, 3, 4, 5, 6].map((day) => ({ day, open: '00:00', close: '24:00' })),
      special_days: [],
    });
    assert.equal(allWeek.status, 201);
    const experts = (await apiGet(page, '/portals')).portals.find((p) => p.slug === 'experts');
    assert.equal((await apiSend(page, 'PUT', `/portals/${experts.id}`, { hours_id: allWeek.json.id })).status, 200);
    await page.reload();
    const expertsState = portalRow(page, 'experts').getByTestId('open-state');
    await waitForAttribute(expertsState, 'data-open', 'true');
    assert.match(await expertsState.textContent(), /^Open now/);

    // The portal's own page says the same.
    await portalRow(page, 'help').getByTestId('portal-link').click();
    const pageState = page.getByTestId('portal-open-state').getByTestId('open-state');
    await waitForAttribute(pageState, 'data-open', 'false');
    assert.match(
      await page.getByTestId('portal-open-state').textContent(),
      /Currently: Closed — holiday “QA Day”/,
    );

    // A set in use cannot be deleted: the reason is translated.
    await page.getByTestId('nav-hours').click();
    await page.locator('[data-testid=hours-row][data-name="Office hours"]').getByTestId('hours-link').click();
    await page.getByTestId('hours-form').waitFor();
    await waitForText(page.getByTestId('hours-used-by'), /Used by: Help Desk/);
    assert.deepEqual(await intervalValues(weekday(page.getByTestId('hours-form'), 3)), ['09:00-17:00']);
    await page.getByTestId('hours-delete').click();
    await page.getByTestId('confirm-ok').click();
    await waitForText(page.getByTestId('form-error'), /A portal still uses these business hours/);

    await page.screenshot({ path: SCREENSHOT, fullPage: true });

    // "Pick your expert" back to always open; then the set it used can go.
    await page.getByTestId('nav-portals').click();
    await portalRow(page, 'experts').getByTestId('portal-link').click();
    await page
      .getByTestId('portal-form')
      .locator('select[name=hours_id]')
      .selectOption({ label: '— None: always open —' });
    await page.getByTestId('portal-save').click();
    await waitForText(
      portalRow(page, 'experts').getByTestId('open-state'),
      /^Open now — no business hours, always open$/,
    );
    const expertsNow = (await apiGet(page, '/portals')).portals.find((p) => p.slug === 'experts');
    assert.equal(String(expertsNow.hours_id), '0');
    await page.getByTestId('nav-hours').click();
    await page.locator('[data-testid=hours-row][data-name="Around the clock"]').getByTestId('hours-link').click();
    await page.getByTestId('hours-delete').click();
    await page.getByTestId('confirm-ok').click();
    await waitForText(page.getByTestId('notice'), /Business hours “Around the clock” deleted\./);
    await page.locator('[data-testid=hours-row][data-name="Office hours"]').waitFor();
    assert.equal(await page.locator('[data-testid=hours-row][data-name="Around the clock"]').count(), 0);

    // German: the state with the holiday, the week's summary and the weekday names.
    await page.getByRole('button', { name: 'Deutsch' }).click();
    await waitForText(page.getByTestId('nav-hours'), /^Geschäftszeiten$/);
    await page.getByTestId('nav-portals').click();
    await waitForText(
      portalRow(page, 'help').getByTestId('open-state'),
      /^Geschlossen — Feiertag „QA Day“, öffnet .*09:00/,
    );
    await page.getByTestId('nav-hours').click();
    await waitForText(
      page.locator('[data-testid=hours-row][data-name="Office hours"]').getByTestId('hours-week'),
      /^Mo\.?–Fr\.? 09:00–17:00$/,
    );
    await page.locator('[data-testid=hours-row][data-name="Office hours"]').getByTestId('hours-link').click();
    await waitForText(weekday(page.getByTestId('hours-form'), 1), /^Montag/);
    assert.match(await page.getByTestId('copy-monday').textContent(), /^Montag auf Dienstag bis Freitag übertragen$/);

    assert.deepEqual(
      unexpected([
        { status: 401, path: '/api/v1/auth/me' },
        { status: 409, path: `/api/v1/business-hours/${office.id}` },
      ]),
      [],
    );
  } finally {
    await context.close();
  }
});

test('portal customer form: add, check, reorder and remove fields', { timeout: 90_000 }, async () => {
  const { context, page, unexpected } = await openPage(browser);
  try {
    await page.goto(`${node.publicUrl}/manage/#/portals`);
    await login(page, COMPANY);
    await portalRow(page, 'button').getByTestId('portal-link').click();
    const form = page.getByTestId('portal-form');
    await form.waitFor();
    const editor = form.getByTestId('customer-fields');
    const rows = editor.getByTestId('customer-field');
    const keys = () => rows.evaluateAll((els) => els.map((e) => e.dataset.key));
    assert.deepEqual(await keys(), ['name', 'email', 'problem'], 'the server’s default fields');

    // A new field: the key follows the label until typed by hand.
    await page.getByTestId('customer-field-add').click();
    const added = rows.nth(3);
    await added.locator('input[name="fields[3].label"]').fill('Problem área');
    await waitForValue(added.locator('input[name="fields[3].key"]'), 'problem_area');
    await added.locator('select[name="fields[3].type"]').selectOption('skill');
    await added.locator('input[name="fields[3].required"]').check();

    // A skill field without choices, and a key used twice: said here, nothing sent.
    await added.locator('input[name="fields[3].key"]').fill('email');
    await page.getByTestId('portal-save').click();
    await waitForText(page.getByTestId('form-error'), /Please correct the customer form/);
    await waitForText(
      added.locator('[data-testid=field-error][data-field="fields[3].choices"]'),
      /Enter 1 to 50 skills/,
    );
    await waitForText(
      added.locator('[data-testid=field-error][data-field="fields[3].key"]'),
      /Another field already uses this key/,
    );
    await added.locator('input[name="fields[3].key"]').fill('area');
    await added.locator('input[name="fields[3].choices"]').fill('windows, printers,');

    // Up one place, then the old "problem" field (now last) goes.
    await rows.nth(3).getByTestId('customer-field-up').click();
    assert.deepEqual(await keys(), ['name', 'email', 'area', 'problem']);
    assert.equal(await rows.nth(0).getByTestId('customer-field-up').isDisabled(), true);
    assert.equal(await rows.nth(3).getByTestId('customer-field-down').isDisabled(), true);
    await rows.nth(3).getByTestId('customer-field-remove').click();
    assert.deepEqual(await keys(), ['name', 'email', 'area']);

    await page.getByTestId('portal-save').click();
    await waitForText(page.getByTestId('notice'), /Portal “Website button” saved\./);
    const saved = (await apiGet(page, '/portals')).portals.find((p) => p.slug === 'button');
    assert.deepEqual(saved.fields, [
      { key: 'name', label: 'Your name', type: 'text', required: true },
      { key: 'email', label: 'Your e-mail', type: 'email', required: true },
      { key: 'area', label: 'Problem área', type: 'skill', required: true, choices: ['windows', 'printers'] },
    ]);

    // Opened again, in the saved order.
    await portalRow(page, 'button').getByTestId('portal-link').click();
    await page.getByTestId('portal-form').waitFor();
    assert.deepEqual(await keys(), ['name', 'email', 'area']);
    assert.equal(await rows.nth(2).locator('input[name="fields[2].choices"]').inputValue(), 'windows, printers');

    // A new portal starts with the usual three fields.
    await page.goto(`${node.publicUrl}/manage/#/portals/new`);
    await page.getByTestId('portal-form').waitFor();
    assert.deepEqual(await keys(), ['name', 'email', 'problem']);

    assert.deepEqual(unexpected([{ status: 401, path: '/api/v1/auth/me' }]), []);
  } finally {
    await context.close();
  }
});

test('validation messages are built from the server’s rule in the UI’s language', { timeout: 60_000 }, async () => {
  const { context, page, unexpected } = await openPage(browser);
  try {
    await page.goto(`${node.publicUrl}/manage/#/portals`);
    await login(page, COMPANY);
    await portalRow(page, 'help').getByTestId('portal-link').click();
    const form = page.getByTestId('portal-form');
    await form.waitFor();
    const nameError = form.locator('[data-testid=field-error][data-field=name]');

    // The real server: {"rule":"length","min":1,"max":100}.
    await form.locator('input[name=name]').fill('x'.repeat(101));
    await page.getByTestId('portal-save').click();
    await waitForText(nameError, /^must be 1 to 100 characters$/);
    assert.equal(await form.locator('input[name=name]').getAttribute('aria-invalid'), 'true');

    await page.getByRole('button', { name: 'Deutsch' }).click();
    await waitForText(page.getByTestId('portal-save'), /^Speichern$/);
    await page.getByTestId('portal-save').click();
    await waitForText(nameError, /^muss 1 bis 100 Zeichen lang sein$/);

    // Other rules, answered here instead of by the server.
    const answers = [];
    await page.route('**/api/v1/portals/*', (route) => {
      if (route.request().method() !== 'PUT') return route.continue();
      return route.fulfill({ status: 400, contentType: 'application/json', body: JSON.stringify(answers.shift()) });
    });
    await form.locator('input[name=name]').fill('Help Desk');

    answers.push({
      error: {
        code: 'bad_field',
        field: 'features.max_sessions',
        rule: 'range',
        min: 1,
        max: 50,
        message: 'features.max_sessions: must be 1 to 50',
      },
    });
    await page.getByTestId('portal-save').click();
    await waitForText(
      form.locator('[data-testid=field-error][data-field="features.max_sessions"]'),
      /^muss zwischen 1 und 50 liegen$/,
    );

    // A field the form does not show: above the form, with the field's name.
    answers.push({
      error: { code: 'bad_field', field: 'owner', rule: 'unknown', message: 'owner: no such user' },
    });
    await page.getByTestId('portal-save').click();
    await waitForText(page.getByTestId('form-error'), /^owner: verweist auf einen Eintrag, den es nicht gibt$/);

    // No rule: the server's own words.
    answers.push({
      error: { code: 'bad_field', field: 'slug', message: 'slug: lower-case letters, digits and -' },
    });
    await page.getByTestId('portal-save').click();
    await waitForText(
      form.locator('[data-testid=field-error][data-field=slug]'),
      /^lower-case letters, digits and -$/,
    );
    await page.unroute('**/api/v1/portals/*');

    const help = (await apiGet(page, '/portals')).portals.find((p) => p.slug === 'help');
    assert.equal(help.name, 'Help Desk', 'nothing was saved');
    assert.deepEqual(
      unexpected([
        { status: 401, path: '/api/v1/auth/me' },
        { status: 400, path: `/api/v1/portals/${help.id}` },
      ]),
      [],
    );
  } finally {
    await context.close();
  }
});
