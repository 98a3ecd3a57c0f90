// Shared by the browser tests: headless Chromium, a page that records every
// problem (console errors, CSP violations, failed requests, HTTP errors), and
// small waits on what the page shows.
import { chromium } from '../../web/node_modules/playwright-core/index.mjs';

export const COMPANY = { email: 'manager@demo.openassist.example', password: 'demo-manager-1' };
export const TEAMLEAD = { email: 'teamlead@demo.openassist.example', password: 'demo-teamlead-1' };

export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.OA_CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/**
 * A fresh page (English unless `locale` says otherwise) that records console errors, uncaught exceptions, CSP
 * violations, failed (not aborted) requests and HTTP errors. `unexpected(allowed)` returns
 * the problems except HTTP errors listed in `allowed` as {status, path}
 * (e.g. the 401 of GET /auth/me before login) or {status, pathPattern} (a
 * RegExp the path matches) and the console line Chromium prints for each of them.
 */
export async function openPage(browser, { locale = 'en-US' } = {}) {
  const context = await browser.newContext({ locale, viewport: { width: 1280, height: 900 } });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`);
    });
  });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push({ text: `console: ${msg.text()}`, url: msg.location()?.url ?? '' });
  });
  page.on('pageerror', (err) => problems.push({ text: `page error: ${err.message}` }));
  page.on('requestfailed', (req) => {
    // ERR_ABORTED is the app cancelling a load it no longer needs (or a reload
    // cutting one off), not a failure.
    if (req.failure()?.errorText === 'net::ERR_ABORTED') return;
    problems.push({ text: `request failed: ${req.url()} ${req.failure()?.errorText}`, url: req.url() });
  });
  page.on('response', (res) => {
    if (res.status() >= 400)
      problems.push({ text: `HTTP ${res.status()}: ${res.url()}`, url: res.url(), status: res.status() });
  });
  const unexpected = (allowed = []) =>
    problems
      .filter((p) => {
        const path = p.url ? new URL(p.url).pathname : '';
        return !allowed.some(
          (a) =>
            (a.text !== undefined && p.text.includes(a.text)) ||
            (a.pathPattern !== undefined ? a.pathPattern.test(path) : path === a.path) &&
            (p.status === a.status ||
              p.text.includes(`Failed to load resource: the server responded with a status of ${a.status}`)),
        );
      })
      .map((p) => p.text);
  return { context, page, unexpected };
}

/** Waits until the locator's text matches. */
export async function waitForText(locator, pattern, timeout = 10_000) {
  const deadline = Date.now() + timeout;
  let text = '';
  for (;;) {
    text = (await locator.textContent({ timeout }).catch(() => '')) ?? '';
    if (pattern.test(text)) return text;
    if (Date.now() > deadline) throw new Error(`text ${JSON.stringify(text)} never matched ${pattern}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits until the form control's value is `value`. */
export async function waitForValue(locator, value, timeout = 10_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const current = await locator.inputValue({ timeout }).catch(() => null);
    if (current === value) return;
    if (Date.now() > deadline) throw new Error(`value ${JSON.stringify(current)}, expected ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits until `check()` holds (polling); resolves to its last value. */
export async function until(check, what, timeout = 10_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeout} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits until the locator's attribute has the value. */
export async function waitForAttribute(locator, name, value, timeout = 10_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const current = await locator.getAttribute(name, { timeout }).catch(() => null);
    if (current === value) return;
    if (Date.now() > deadline) throw new Error(`${name}=${JSON.stringify(current)}, expected ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function login(page, { email, password }) {
  const form = page.getByTestId('login-form');
  await form.waitFor();
  // By the fields' names, not their labels: the page may be in any language.
  await form.locator('input[name=email]').fill(email);
  await form.locator('input[name=password]').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('whoami').waitFor();
}

/** The API as the page's session sees it (same origin, session cookie). */
export function apiGet(page, path) {
  return page.evaluate(async (p) => {
    const res = await fetch(`/api/v1${p}`, { credentials: 'same-origin' });
    return res.json();
  }, path);
}

/** A state-changing call with the page's session and its CSRF token; resolves to {status, json}. */
export function apiSend(page, method, path, body) {
  return page.evaluate(
    async ({ method, path, body }) => {
      const me = await (await fetch('/api/v1/auth/me', { credentials: 'same-origin' })).json();
      const res = await fetch(`/api/v1${path}`, {
        method,
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, json: text === '' ? undefined : JSON.parse(text) };
    },
    { method, path, body },
  );
}
