// A dashboard monitor stops by itself after its run time (docs/dashboards.md),
// in headless Chromium at 1366×768 against the real node with its demo account
// and a run time of 10 seconds (--dashboards.monitor-run-s=10, the test clock);
// each person in a browser context of their own:
//   The company manager adds a "technicians" monitor: it runs until 10 s from
//   now, and says so. The team manager (another manager, Dashboards page open
//   before the add) sees it without a refresh (the list of monitors is
//   pushed), running, with live rows (Anna's
//   status changes in her console show on both pages). At its stop time both
//   pages get `dashboard.stopped` "timeout" and say, without a reload and
//   within 2 s, that it stopped by itself after running for 10 s, with a
//   Restart; no row comes any more (Anna's next status change reaches neither
//   socket). The label in German. The company manager restarts it: it runs
//   until 10 s from then with live rows again; the team manager's page shows
//   the restart by itself (pushed), live too, and both pages see it stop again
//   at its new stop time.
// Run: OA_BIN=build/test/node/openassist OA_WEB_DIR=web/dist node --test tests/browser/dashboards_timeout.test.mjs
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startNode } from '../harness/node.mjs';
import { COMPANY, TEAMLEAD, apiGet, launchBrowser, waitForAttribute, waitForText, waitForValue } from './helpers.mjs';
import { assertNoProblems, openConsole, openManager, setStatus } from './intake_helpers.mjs';

/** The run time the node is started with. */
const RUN_MS = 10_000;
/** How late after its stop time a page may say a monitor stopped. */
const STOP_SHOWN_WITHIN_MS = 2_000;

let intake;

// What openManager and this test need of startIntake (which cannot pass the
// node more options): the node with its demo account and the short run time,
// Chromium, and the people opened (closed after each test).
before(async () => {
  const node = await startNode({ args: ['--node.demo', `--dashboards.monitor-run-s=${RUN_MS / 1000}`] });
  let browser;
  try {
    browser = await launchBrowser();
  } catch (e) {
    await node.stop();
    throw e;
  }
  const people = [];
  intake = {
    node,
    browser,
    people,
    async console(who) {
      const c = await openConsole(browser, node, who);
      people.push(c);
      return c;
    },
    async closeAll() {
      while (people.length > 0) await people.pop().close();
    },
  };
});

afterEach(async () => {
  await intake?.closeAll();
});

after(async () => {
  if (!intake) return;
  await intake.browser.close().catch(() => {});
  const exit = await intake.node.stop();
  assert.deepEqual(exit, { code: 0, signal: null }, `openassist exited badly:\n${intake.node.output()}`);
});

/**
 * The Management Center on the Dashboards page with its socket open; `frames`
 * collects the dashboard messages its WebSockets receive, each with the time
 * it came (the recorder is in place before the page's socket opens).
 */
async function openDashboards(who) {
  const manager = await openManager(intake, who);
  const { page } = manager;
  manager.frames = [];
  page.on('websocket', (ws) => {
    ws.on('framereceived', ({ payload }) => {
      let message;
      try {
        message = JSON.parse(String(payload));
      } catch {
        return;
      }
      if (String(message.type).startsWith('dashboard.')) manager.frames.push({ at: Date.now(), ...message });
    });
  });
  const nav = page.getByTestId('nav-dashboards');
  await nav.click();
  await waitForAttribute(nav, 'aria-current', 'page');
  await page.locator('[data-testid=monitors], [data-testid=dashboards-none]').first().waitFor();
  await waitForAttribute(page.getByTestId('dashboards-connection'), 'data-state', 'open');
  return manager;
}

const monitor = (page, name) => page.locator(`[data-testid=monitor][data-name="${name}"]`);
const techRow = (card, id) => card.locator(`[data-testid=dashboard-row][data-technician-id="${id}"]`);
const frameMonitor = (f) => String(f.monitor_id);
const literally = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Waits until the card is live again after `what` (done at `since`); a failure
 * says what the page's socket had since then and what the card shows.
 */
async function liveAgain(manager, card, since, what) {
  try {
    await waitForAttribute(card, 'data-state', 'live');
  } catch (e) {
    const frames = manager.frames
      .filter((f) => f.at >= since)
      .map(({ at, rows, ...f }) => ({ after_ms: at - since, ...f, rows: rows?.length }));
    throw new Error(
      `${manager.who}: ${e.message} after ${what}; its socket had ${JSON.stringify(frames)}; the card says ${JSON.stringify(await card.textContent())}`,
    );
  }
}

/** "Runs until …" as the card words it: date and minute in the manager's time zone. */
function runsUntilText(page, stopsAt) {
  return page.evaluate(async (ms) => {
    const me = await (await fetch('/api/v1/auth/me', { credentials: 'same-origin' })).json();
    const options = { dateStyle: 'medium', timeStyle: 'short', timeZone: me.user.time_zone || undefined };
    return `Runs until ${new Intl.DateTimeFormat(navigator.language, options).format(ms)}`;
  }, stopsAt);
}

/** Checks the card runs until about `RUN_MS` after [from, to] (Unix ms) and says so; resolves to its stop time. */
async function assertRunsFor(page, card, from, to) {
  const stopsAt = Number(await card.getByTestId('monitor-stops-at').getAttribute('data-stops-at'));
  assert.ok(
    stopsAt >= from + RUN_MS - 1000 && stopsAt <= to + RUN_MS + 1000,
    `stops at ${new Date(stopsAt).toISOString()}, started between ${new Date(from).toISOString()} and ${new Date(to).toISOString()}`,
  );
  await waitForText(card.getByTestId('monitor-stops-at'), new RegExp(`^${literally(await runsUntilText(page, stopsAt))}$`));
  assert.equal(await card.getAttribute('data-running'), 'true');
  return stopsAt;
}

/**
 * Waits (no reload) until the card says it stopped by itself; it must not be
 * before `stopsAt` nor later than STOP_SHOWN_WITHIN_MS after it, and the page's
 * socket must have had `dashboard.stopped` "timeout" for it. Resolves to when
 * that message came.
 */
async function seesStop(manager, name, id, stopsAt) {
  const card = monitor(manager.page, name);
  await manager.page
    .locator(`[data-testid=monitor][data-name="${name}"][data-state=stopped]`)
    .waitFor({ timeout: Math.max(1, stopsAt + STOP_SHOWN_WITHIN_MS + 5000 - Date.now()) });
  const shown = Date.now();
  assert.ok(shown <= stopsAt + STOP_SHOWN_WITHIN_MS, `${manager.who}: shown stopped ${shown - stopsAt} ms after its stop time`);
  const stopped = manager.frames.filter((f) => f.type === 'dashboard.stopped' && frameMonitor(f) === id && f.at >= stopsAt - 1000);
  assert.equal(stopped.length, 1, `${manager.who}: one dashboard.stopped: ${JSON.stringify(stopped)}`);
  assert.equal(stopped[0].reason, 'timeout');
  assert.ok(stopped[0].at >= stopsAt, `${manager.who}: stopped ${stopsAt - stopped[0].at} ms before its stop time`);
  assert.equal(await card.getAttribute('data-running'), 'false');
  await waitForText(card.getByTestId('monitor-stopped-text'), /^Stopped by itself after running for 10 s\.$/);
  await waitForText(card.getByTestId('monitor-restart'), /^Restart$/);
  assert.equal(await card.getByTestId('monitor-stops-at').count(), 0, 'no "Runs until" any more');
  assert.equal(await card.locator('[data-testid=dashboard-row]').count(), 0, 'no live rows any more');
  return stopped[0].at;
}

test('a monitor stops by itself after its run time on every page, says so, and runs again after Restart', { timeout: 120_000 }, async () => {
  const anna = await intake.console('anna');
  await setStatus(anna, 'available');
  const boss = await openDashboards(COMPANY);
  const annaId = (await apiGet(boss.page, '/technicians')).technicians.find((t) => t.email.startsWith('anna@')).id;
  const lead = await openDashboards(TEAMLEAD);
  await waitForText(boss.page.getByTestId('dashboards-none'), /^No monitors yet\./);
  await waitForText(lead.page.getByTestId('dashboards-none'), /^No monitors yet\./);

  // The company manager adds a technicians monitor: it runs until 10 s from now.
  const form = boss.page.getByTestId('monitor-add-form');
  await form.getByLabel('Name').fill('Team');
  await form.getByLabel('Shows').selectOption('technicians');
  const adding = Date.now();
  await form.getByTestId('monitor-add-submit').click();
  await waitForText(boss.page.getByTestId('notice'), /Monitor “Team” added\./);
  await waitForValue(form.getByLabel('Name'), '');
  const card = monitor(boss.page, 'Team');
  await waitForAttribute(card, 'data-state', 'live');
  const id = await card.getAttribute('data-monitor-id');
  const stopsAt = await assertRunsFor(boss.page, card, adding, Date.now());
  await waitForAttribute(techRow(card, annaId), 'data-status', 'available');

  // The team manager sees it without a refresh (the list is pushed): running, the same stop time, live rows.
  const leadCard = monitor(lead.page, 'Team');
  await waitForAttribute(leadCard, 'data-state', 'live');
  assert.equal(await leadCard.getAttribute('data-monitor-id'), id);
  assert.equal(Number(await leadCard.getByTestId('monitor-stops-at').getAttribute('data-stops-at')), stopsAt);
  await waitForText(leadCard.getByTestId('monitor-stops-at'), new RegExp(`^${literally(await runsUntilText(lead.page, stopsAt))}$`));
  await waitForAttribute(techRow(leadCard, annaId), 'data-status', 'available');
  await setStatus(anna, 'away');
  await waitForAttribute(techRow(card, annaId), 'data-status', 'away');
  await waitForAttribute(techRow(leadCard, annaId), 'data-status', 'away');
  assert.ok(Date.now() < stopsAt - 500, `the live part took too long (${Date.now() - adding} ms of ${RUN_MS})`);
  assert.equal(await card.getAttribute('data-state'), 'live');
  assert.equal(await leadCard.getAttribute('data-state'), 'live');

  // Its run time is over: both pages say so by themselves, within 2 s.
  const [bossStopped, leadStopped] = await Promise.all([
    seesStop(boss, 'Team', id, stopsAt),
    seesStop(lead, 'Team', id, stopsAt),
  ]);

  // No row comes any more: Anna's status change reaches neither socket nor page.
  await setStatus(anna, 'available');
  await new Promise((r) => setTimeout(r, 1500));
  for (const [manager, stoppedAt] of [[boss, bossStopped], [lead, leadStopped]]) {
    const late = manager.frames.filter((f) => frameMonitor(f) === id && f.at > stoppedAt);
    assert.deepEqual(late, [], `${manager.who}: nothing for the monitor after it stopped`);
    assert.equal(await monitor(manager.page, 'Team').getAttribute('data-state'), 'stopped');
    assert.equal(await monitor(manager.page, 'Team').locator('[data-testid=dashboard-row]').count(), 0);
  }

  // The stopped state in German (the team manager's page), then back.
  await lead.page.getByRole('button', { name: 'Deutsch' }).click();
  await waitForText(leadCard.getByTestId('monitor-stopped-text'), /^Nach 10 s Laufzeit von selbst angehalten\.$/);
  await waitForText(leadCard.getByTestId('monitor-restart'), /^Neu starten$/);
  assert.equal(await leadCard.getByTestId('monitor-restart').getAttribute('aria-label'), 'Monitor „Team“ neu starten');
  await lead.page.getByRole('button', { name: 'English' }).click();
  await waitForText(leadCard.getByTestId('monitor-stopped-text'), /^Stopped by itself after running for 10 s\.$/);

  // The company manager restarts it: it runs until 10 s from now, with live rows (Anna available again).
  const restarting = Date.now();
  await card.getByTestId('monitor-restart').click();
  await liveAgain(boss, card, restarting, 'Restart');
  const restartedStopsAt = await assertRunsFor(boss.page, card, restarting, Date.now());
  assert.ok(restartedStopsAt > stopsAt);
  await waitForText(
    boss.page.getByTestId('notice'),
    new RegExp(`Monitor “Team” restarted: it runs until ${literally((await runsUntilText(boss.page, restartedStopsAt)).slice('Runs until '.length))}\\.`),
  );
  await card.getByTestId('monitor-stopped').waitFor({ state: 'detached' });
  await waitForAttribute(techRow(card, annaId), 'data-status', 'available');

  // The team manager's page follows the restart by itself (the list is pushed).
  await liveAgain(lead, leadCard, restarting, 'the restart elsewhere');
  assert.equal(Number(await leadCard.getByTestId('monitor-stops-at').getAttribute('data-stops-at')), restartedStopsAt);
  await waitForAttribute(techRow(leadCard, annaId), 'data-status', 'available');
  await setStatus(anna, 'away');
  await waitForAttribute(techRow(card, annaId), 'data-status', 'away');
  await waitForAttribute(techRow(leadCard, annaId), 'data-status', 'away');
  assert.ok(Date.now() < restartedStopsAt - 500, `the restarted live part took too long (${Date.now() - restarting} ms)`);

  // And it stops again at its new stop time, on both pages.
  await Promise.all([seesStop(boss, 'Team', id, restartedStopsAt), seesStop(lead, 'Team', id, restartedStopsAt)]);
  const [listed] = (await apiGet(boss.page, '/monitors')).monitors;
  assert.equal(listed.running, false);
  assert.equal(listed.stops_at, restartedStopsAt);

  await setStatus(anna, 'available');
  assertNoProblems([anna, boss, lead]);
});
