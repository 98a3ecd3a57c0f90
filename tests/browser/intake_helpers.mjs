// Shared by the intake browser tests: the real node with its demo account,
// technician consoles (/console/) and customer portal pages (/p/demo/<slug>),
// each in its own browser context (one per person), and the manager's REST API.
import assert from 'node:assert/strict';
import { startNode } from '../harness/node.mjs';
import { DEMO_MANAGER, DEMO_TECH_PASSWORD, login as apiLogin, managerCall } from '../harness/intake.mjs';
import { launchBrowser, login, openPage, waitForAttribute } from './helpers.mjs';

export const ACCOUNT = 'demo';

/** The demo technicians (and ones the tests add) by first name. */
export const TECH_NAMES = {
  anna: 'Anna Berger',
  ben: 'Ben Okafor',
  carla: 'Carla Diaz',
  david: 'David Kim',
  solo: 'Sam Solo',
};

/** What customers see of them (docs/sessions.md): the screen name, by default the first name. */
export const SCREEN_NAMES = {
  anna: 'Anna',
  ben: 'Ben',
  carla: 'Carla',
  david: 'David',
  solo: 'Sam',
};

/** The 401 from GET /auth/me before signing in (console and Management Center) is expected. */
const CONSOLE_ALLOWED = [{ status: 401, path: '/api/v1/auth/me' }];

/**
 * A session's page in the Management Center asks for the computer's details
 * the customer's support app sent; the 404 when it sent none is expected.
 */
const MANAGER_ALLOWED = [...CONSOLE_ALLOWED, { status: 404, pathPattern: /^\/api\/v1\/requests\/\d+\/diagnostics$/ }];

/**
 * Starts the node (demo account, no per-address intake limit, and the options
 * in `args`) and Chromium, signs the company manager in over the API.
 * `mc(method, path, body)` is the manager's API call; it fails the test on
 * any status >= 300.
 */
export async function startIntake({ args = [] } = {}) {
  const node = await startNode({ args: ['--node.demo', '--intake.per-address-per-min=0', ...args] });
  let browser;
  let manager;
  try {
    browser = await launchBrowser();
    manager = await apiLogin(node, 'manager', ...DEMO_MANAGER);
  } catch (e) {
    await browser?.close();
    await node.stop();
    throw e;
  }
  const mc = async (method, path, body) => {
    const res = await managerCall(node, manager, method, path, body);
    assert.ok(res.status < 300, `${method} ${path}: ${res.status} ${res.text}`);
    return res.json;
  };
  /** Consoles and customer pages that are closed together (one scope per test). */
  const scope = () => {
    const people = [];
    return {
      people,
      /** A technician's console, signed in and showing the desk's state. */
      async console(who, options) {
        const c = await openConsole(browser, node, who, options);
        people.push(c);
        return c;
      },
      /** A customer's portal page, loaded. */
      async customer(slug, label = slug, options) {
        const c = await openPortal(browser, node, slug, label, options);
        people.push(c);
        return c;
      },
      /** Closes every context opened so far (one per person). */
      async closeAll() {
        while (people.length > 0) await people.pop().close();
      },
    };
  };
  return {
    node,
    browser,
    mc,
    scope,
    ...scope(),
    /** Ids of the account's teams and technicians by name / first part of the e-mail. */
    async directory() {
      const teams = {};
      const techs = {};
      for (const t of (await mc('GET', '/teams')).teams) teams[t.name] = t.id;
      for (const t of (await mc('GET', '/technicians')).technicians) techs[t.email.split('@')[0]] = t.id;
      return { teams, techs };
    },
    /** Closes Chromium and stops the node, which must exit cleanly (no sanitizer report). */
    async stop() {
      await browser?.close().catch(() => {});
      const exit = await node.stop();
      assert.deepEqual(exit, { code: 0, signal: null }, `openassist exited badly:\n${node.output()}`);
    },
  };
}

/**
 * A technician's console in a fresh context: signs in through the login form
 * and waits until the WebSocket is open and the desk's state is shown.
 */
export async function openConsole(browser, node, who, { droppable = false } = {}) {
  const { context, page, unexpected } = await openPage(browser);
  const network = droppable ? await socketSwitch(context) : undefined;
  const email = `${who}@demo.openassist.example`;
  await page.goto(`${node.publicUrl}/console/`);
  const form = page.getByTestId('login-form');
  await form.waitFor();
  await form.getByLabel('E-mail').fill(email);
  await form.getByLabel('Password').fill(DEMO_TECH_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('console').waitFor();
  await waitForAttribute(page.getByTestId('connection-state'), 'data-state', 'open');
  // Shown once console.state is there.
  await page.getByTestId('status-select').waitFor();
  await page.locator('[data-testid=requests-table], [data-testid=requests-empty]').first().waitFor();
  return {
    who,
    name: TECH_NAMES[who],
    /** The name customers (and the chat) see. */
    screenName: SCREEN_NAMES[who],
    context,
    page,
    network,
    /** The alert card for a request (none when not alerted). */
    alert: (id) => page.locator(`[data-testid=alert][data-request-id="${id}"]`),
    /** The request's row in the list (of the tab shown). */
    row: (id) => page.locator(`[data-testid=request-row][data-request-id="${id}"]`),
    /** Problems seen, less the expected 401 before signing in. */
    problems: (allowed = []) => unexpected([...CONSOLE_ALLOWED, ...allowed]),
    close: () => context.close(),
  };
}

/** The laptop window the Management Center tests use unless they say otherwise. */
const LAPTOP = { width: 1366, height: 768 };

/**
 * The Management Center (/manage/) in a fresh context, signed in through the
 * login form as `who` ({email, password}, e.g. COMPANY or TEAMLEAD), and added
 * to `intake.people` so that assertNoProblems sees it and closeAll closes it.
 * `section`: the navigation entry (nav-<section>) to open, waiting until it is
 * the current page; `locale`: the browser's language (openPage's default when
 * not given); `viewport`: the window size set before loading, 1366x768 unless
 * given (null keeps openPage's own size).
 */
export async function openManager(intake, who, { section, locale, viewport = LAPTOP } = {}) {
  const { context, page, unexpected } = await openPage(intake.browser, { locale });
  if (viewport) await page.setViewportSize(viewport);
  await page.goto(`${intake.node.publicUrl}/manage/`);
  await login(page, who);
  const manager = {
    who: who.email,
    context,
    page,
    /** Problems seen, less the expected 401 before signing in and 404s of sessions without computer details. */
    problems: (allowed = []) => unexpected([...MANAGER_ALLOWED, ...allowed]),
    close: () => context.close(),
  };
  intake.people.push(manager);
  if (section !== undefined) {
    const nav = page.getByTestId(`nav-${section}`);
    await nav.click();
    await waitForAttribute(nav, 'aria-current', 'page');
  }
  return manager;
}

/**
 * Lets a test cut the context's WebSockets to /ws/v1 (a real close, on both
 * sides) and refuse new ones until `restore()`: the page's own WebSocket goes
 * through a Playwright route to the server. (`context.setOffline(true)` makes
 * Chromium fail new connections, but an open WebSocket just stalls: the page
 * would only notice through its 40-second watchdog.)
 */
export async function socketSwitch(context) {
  let up = true;
  const routes = new Set();
  await context.routeWebSocket(/\/ws\/v1(\?[^/]*)?$/, (ws) => {
    if (!up) {
      ws.close({ code: 4000, reason: 'test: network down' }).catch(() => {});
      return;
    }
    routes.add({ page: ws, server: ws.connectToServer() });
  });
  return {
    /** Closes every open WebSocket; new ones are refused until restore(). */
    async drop() {
      up = false;
      const open = [...routes];
      routes.clear();
      const close = (side) => side.close({ code: 4000, reason: 'test: network down' }).catch(() => {});
      await Promise.all(open.flatMap(({ page, server }) => [close(server), close(page)]));
    },
    restore() {
      up = true;
    },
  };
}

/** The list's tab (all, new, active, closed, mine). */
export async function showTab(tech, tab) {
  await tech.page.getByTestId(`tab-${tab}`).click();
  await waitForAttribute(tech.page.getByTestId(`tab-${tab}`), 'aria-selected', 'true');
}

/** Sets the technician's status in the console header and waits until the server reports it. */
export async function setStatus(tech, status) {
  const select = tech.page.getByTestId('status-select');
  await select.selectOption(status);
  await waitForAttribute(select, 'data-status', status);
}

/**
 * Selects a request in the list and runs a detail action (join, close, assign-me, unassign).
 * Closing goes through the close form: `resolution` and `notes` are filled in
 * when given (else the defaults stay), then it is confirmed and the form goes away.
 */
export async function act(tech, id, action, { resolution, notes } = {}) {
  await showTab(tech, 'all');
  await tech.row(id).click();
  const detail = tech.page.locator(`[data-testid=request-detail][data-request-id="${id}"]`);
  await detail.waitFor();
  await detail.getByTestId(`action-${action}`).click();
  if (action === 'close') {
    const form = detail.getByTestId('close-form');
    await form.waitFor();
    if (resolution !== undefined) await form.getByTestId('close-resolution').selectOption(resolution);
    if (notes !== undefined) await form.getByTestId('close-notes').fill(notes);
    await form.getByTestId('close-submit').click();
    await form.waitFor({ state: 'detached' });
  }
  return detail;
}

/** A customer's portal page in a fresh context, loaded (form or closed notice). */
export async function openPortal(browser, node, slug, label = slug, { droppable = false } = {}) {
  const { context, page, unexpected } = await openPage(browser);
  const network = droppable ? await socketSwitch(context) : undefined;
  const url = `${node.publicUrl}/p/${ACCOUNT}/${slug}`;
  await page.goto(url);
  await page.locator('[data-testid=request-form], [data-testid=portal-closed]').first().waitFor();
  const customer = {
    label,
    slug,
    url,
    context,
    page,
    network,
    form: page.getByTestId('request-form'),
    status: page.getByTestId('request-status'),
    /** Problems seen on the page (console errors, CSP violations, HTTP errors …). */
    problems: (allowed = []) => unexpected(allowed),
    close: () => context.close(),
    /**
     * Fills the form (fields by key; skill fields and the technician are
     * selects), submits and waits for the live view; resolves to the request id.
     */
    async submit(fields, { technician, code } = {}) {
      const form = customer.form;
      if (code !== undefined) await form.getByTestId('code-input').fill(code);
      if (technician !== undefined) await form.getByTestId('technician-choice').selectOption({ label: technician });
      for (const [key, value] of Object.entries(fields)) {
        const input = form.locator(`[name="${key}"]`);
        if ((await input.evaluate((el) => el.tagName)) === 'SELECT') await input.selectOption(value);
        else await input.fill(value);
      }
      await page.getByTestId('submit-request').click();
      const live = page.getByTestId('live-view');
      await live.waitFor();
      customer.requestId = await live.getAttribute('data-request-id');
      return customer.requestId;
    },
  };
  return customer;
}

/** name, email and problem for a customer called `name`. */
export function fields(name) {
  return {
    name,
    email: `${name.toLowerCase().replace(/[^a-z]/g, '')}@example.com`,
    problem: `${name} needs help`,
  };
}

/** Waits until the customer's page shows the request's status. */
export function waitForStatus(customer, status, timeout = 10_000) {
  return waitForAttribute(customer.status, 'data-status', status, timeout);
}

/** Fails with every page's problems (console errors, CSP violations, page errors, HTTP errors). */
export function assertNoProblems(people, allowed = []) {
  const all = [];
  for (const p of people) for (const text of p.problems(allowed)) all.push(`${p.who ?? p.label}: ${text}`);
  assert.deepEqual(all, []);
}
