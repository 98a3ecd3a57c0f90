// Issue 10, "a customer cannot get back to their request", in headless
// Chromium (1366x768) against the real node and a real SMTP server:
// - a new tab on the portal shows the waiting request, not an empty form;
// - the confirmation mail's link (from node.public-url, id and token in the
//   fragment) reattaches in another browser, and leaves the address bar
//   without the token;
// - "not you? start a new request" forgets it there (the request stays open
//   for its owner);
// - once the request is over, a new tab shows the form again (the browser
//   forgets it); so does a remembered request the server does not know.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startNode } from '../harness/node.mjs';
import { startSmtp } from '../harness/smtp.mjs';
import { launchBrowser, openPage, waitForAttribute } from './helpers.mjs';
import { openPortal } from './intake_helpers.mjs';

const VIEWPORT = { width: 1366, height: 768 };
const RESUME_KEY = 'openassist.resume.demo/queue';

let smtp;
let node;
let browser;

before(async () => {
  smtp = await startSmtp();
  node = await startNode({ args: ['--node.demo', '--intake.per-address-per-min=0', `--mail.smtp-url=${smtp.url}`] });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  const exit = await node?.stop();
  smtp?.stop();
  assert.deepEqual(exit, { code: 0, signal: null });
});

/** Opens `url` in a new tab of `context` and waits for the form or a request. */
async function newTab(context, url) {
  const page = await context.newPage();
  await page.setViewportSize(VIEWPORT);
  await page.goto(url);
  await page.locator('[data-testid=request-form], [data-testid=live-view]').first().waitFor();
  return page;
}

const remembered = (page) => page.evaluate((key) => localStorage.getItem(key), RESUME_KEY);

test('a new tab resumes the waiting request; the mail links back to it', { timeout: 120_000 }, async () => {
  // The service queue: with nobody signed in the request waits.
  const rita = await openPortal(browser, node, 'queue', 'rita');
  const others = [];
  try {
    await rita.page.setViewportSize(VIEWPORT);
    const id = await rita.submit({ name: 'Rita Resume', email: 'rita@example.com', problem: 'The printer is on fire' });
    await waitForAttribute(rita.status, 'data-status', 'waiting');
    assert.equal(await rita.page.getByTestId('resume-notice').count(), 0, 'her own tab says nothing');

    // Rita closes the tab by mistake and opens the portal again.
    const url = rita.url;
    await rita.page.close();
    const tab = await newTab(rita.context, url);
    const live = tab.getByTestId('live-view');
    await live.waitFor();
    assert.equal(await live.getAttribute('data-request-id'), id, 'the same request, not a new form');
    assert.equal(await tab.getByTestId('request-form').count(), 0);
    await waitForAttribute(tab.getByTestId('request-status'), 'data-status', 'waiting');
    await tab.getByTestId('resume-notice').waitFor();
    assert.match(await tab.getByTestId('not-you').textContent(), /Not you\? Start a new request/);

    // The confirmation mail: a link from the node's public URL, id and token in the fragment.
    const linkPattern = new RegExp(`(${node.publicUrl.replace(/[.]/g, '\\.')}/p/demo/queue#request=${id}&token=[A-Za-z0-9_-]+)`);
    const [, link] = await smtp.waitForMail(linkPattern);
    assert.match(smtp.mails(), new RegExp(`Subject: Your support request #${id}`));

    // The link in another browser (her phone): the request, and no token left in the address bar.
    const phone = await openPage(browser);
    others.push(phone);
    await phone.page.setViewportSize(VIEWPORT);
    await phone.page.goto(link);
    const phoneLive = phone.page.getByTestId('live-view');
    await phoneLive.waitFor();
    assert.equal(await phoneLive.getAttribute('data-request-id'), id);
    await waitForAttribute(phone.page.getByTestId('request-status'), 'data-status', 'waiting');
    assert.equal(new URL(phone.page.url()).hash, '', 'the token leaves the address bar');
    await phone.page.getByTestId('resume-notice').waitFor();

    // Someone else at that computer: "not you?" forgets it here, without ending it.
    await phone.page.getByTestId('not-you').click();
    await phone.page.getByTestId('request-form').waitFor();
    assert.equal(await remembered(phone.page), null);
    const phoneAgain = await newTab(phone.context, url);
    await phoneAgain.getByTestId('request-form').waitFor();
    assert.equal(await phoneAgain.getByTestId('live-view').count(), 0, 'forgotten in that browser');
    await waitForAttribute(tab.getByTestId('request-status'), 'data-status', 'waiting');

    // Rita cancels; a new tab then shows the form (the browser forgot the request).
    assert.notEqual(await remembered(tab), null);
    await tab.getByTestId('cancel-request').click();
    await tab.getByTestId('cancel-confirm').click();
    await tab.getByTestId('request-outcome').waitFor();
    assert.equal(await remembered(tab), null, 'over: no longer remembered in this browser');
    const after = await newTab(rita.context, url);
    await after.getByTestId('request-form').waitFor();
    assert.equal(await after.getByTestId('live-view').count(), 0);

    assert.deepEqual(phone.unexpected(), []);
  } finally {
    for (const o of others) await o.context.close();
    await rita.close();
  }
});

test('a remembered request the server does not know is said once and forgotten', { timeout: 60_000 }, async () => {
  const { context, page, unexpected } = await openPage(browser);
  try {
    await page.setViewportSize(VIEWPORT);
    const url = `${node.publicUrl}/p/demo/queue`;
    await page.goto(url);
    await page.getByTestId('request-form').waitFor();
    await page.evaluate(
      (key) => localStorage.setItem(key, JSON.stringify({ request_id: '987654', token: 'x'.repeat(43) })),
      RESUME_KEY,
    );
    const tab = await newTab(context, url);
    await tab.getByTestId('request-gone').waitFor();
    assert.equal(await remembered(tab), null);
    const again = await newTab(context, url);
    await again.getByTestId('request-form').waitFor();
    assert.deepEqual(unexpected(), []);
  } finally {
    await context.close();
  }
});
