// The support app from the customer's page (docs/remote-control.md), in the
// browser against the real node with its demo account; Anna's console and the
// app are raw WebSockets of the test.
//   A customer in a session gets a code for the app: grouped for reading, the
//   link, the command line, the download and a countdown; refusals in words;
//   an expired code offers a new one. The app joins with the code once (a
//   second join is 404). The join page (/app/join/<code>) says how to start
//   the app with it. After the session no code is given (409).
//   Remote control: the app joins and attaches, Anna asks for control, the app
//   accepts, the page shows who controls the mouse and keyboard, the customer
//   stops it and the app is told.
// Run: OA_BIN=build/test/node/openassist OA_WEB_DIR=web/dist node --test tests/browser/app_code.test.mjs
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, waitForText } from './helpers.mjs';
import { assertNoProblems, startIntake, waitForStatus } from './intake_helpers.mjs';
import { waitForLine } from './chat_helpers.mjs';
import { activeWithAnna, appCode, appJoin, openApp } from './app_helpers.mjs';

let intake;
const sockets = [];

before(async () => {
  intake = await startIntake();
});

afterEach(async () => {
  while (sockets.length > 0) sockets.pop().ws?.terminate();
  await intake?.closeAll();
});

after(async () => {
  await intake?.stop();
});

const grouped = (code) => `${code.slice(0, 3)} ${code.slice(3, 6)} ${code.slice(6)}`;

test('a code for the app: grouped, joins once, expires; the join page explains it', { timeout: 120_000 }, async () => {
  const { node } = intake;
  const { customer, anna, id, token } = await activeWithAnna(intake, 'Apollonia', sockets);
  const page = customer.page;
  const panel = page.getByTestId('support-app');
  await panel.waitFor();
  assert.match(await panel.textContent(), /shares your whole desktop/);
  const codePath = `/api/v1/public/portals/demo/help/requests/${id}/app-code`;

  // A refusal is said in words (here a 429 the test puts in the server's place).
  await page.route(`**${codePath}`, (route) =>
    route.fulfill({
      status: 429,
      contentType: 'application/json',
      body: JSON.stringify({ error: { code: 'rate_limited', message: 'too many codes' } }),
    }),
  );
  await page.getByTestId('app-code-get').click();
  await waitForText(page.getByTestId('app-code-error'), /^Too many codes were asked for\. Please wait a minute/);
  await page.unroute(`**${codePath}`);

  // The real code.
  await page.getByTestId('app-code-get').click();
  const shown = page.getByTestId('app-code');
  await shown.waitFor();
  assert.equal(await page.getByTestId('app-code-error').count(), 0, 'the error went');
  const code = await shown.getAttribute('data-code');
  assert.match(code, /^\d{10}$/, 'ten digits');
  assert.equal(await shown.textContent(), grouped(code), 'grouped for reading');
  const link = await page.getByTestId('app-code-link').getAttribute('href');
  assert.match(link, new RegExp(`^https?://[^/]+/app/join/${code}$`), 'the link names the code');
  assert.equal(await page.getByTestId('app-code-command').textContent(), `openassist-agent ${link}`);
  assert.equal(await page.getByTestId('app-code-download').getAttribute('href'), '/downloads/');
  const left = Number(await page.getByTestId('app-code-expires').getAttribute('data-seconds'));
  assert.ok(left > 590 && left <= 600, `valid for about 10 minutes, shows ${left} s`);
  await waitForText(page.getByTestId('app-code-expires'), /^Valid for (10:00|9:\d\d), for one connection\.$/);

  // Copy puts the command line on the clipboard.
  await customer.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: node.publicUrl });
  await page.getByTestId('app-code-copy').click();
  await waitForText(page.getByTestId('app-code-copied'), /^Copied to the clipboard\.$/);
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), `openassist-agent ${link}`);

  // The app joins with it, once.
  const joined = await appJoin(node, code);
  assert.equal(joined.status, 200, `join: ${joined.text}`);
  assert.equal(joined.json.account, 'demo');
  assert.equal(String(joined.json.request_id), id);
  assert.equal(typeof joined.json.token, 'string');
  assert.ok(joined.json.token.length > 0, 'a token');
  const again = await appJoin(node, code);
  assert.equal(again.status, 404, `second join: ${again.text}`);
  assert.equal(again.json?.error?.code, 'not_found');

  // The server's own refusals: a wrong token is 404.
  const wrong = await appCode(node, id, `${token}x`);
  assert.equal(wrong.status, 404, `wrong token: ${wrong.text}`);
  assert.equal(wrong.json?.error?.code, 'not_found');

  // An expired code offers a new one (the test shortens the next code's life to 2 s).
  await page.route(`**${codePath}`, async (route) => {
    const response = await route.fetch();
    const json = await response.json();
    await route.fulfill({ response, json: { ...json, expires_in_s: 2 } });
  });
  await page.getByTestId('app-code-new').click();
  await page.getByTestId('app-code-expired').waitFor({ timeout: 10_000 });
  assert.equal(await page.getByTestId('app-code').count(), 0, 'an expired code is not shown');
  assert.match(await page.getByTestId('app-code-expired').textContent(), /This code has expired\./);
  await page.unroute(`**${codePath}`);
  await page.getByTestId('app-code-expired').getByTestId('app-code-new').click();
  await shown.waitFor();
  const fresh = await shown.getAttribute('data-code');
  assert.match(fresh, /^\d{10}$/);
  assert.notEqual(fresh, code, 'a new code');

  // The join page of the new code.
  const visitor = await openPage(intake.browser);
  try {
    await visitor.page.goto(`${node.publicUrl}/app/join/${fresh}`);
    const join = visitor.page.getByTestId('join');
    await join.waitFor();
    assert.equal(await join.getAttribute('data-code'), fresh);
    assert.equal(await visitor.page.getByTestId('join-code').textContent(), grouped(fresh));
    const command = `openassist-agent ${node.publicUrl}/app/join/${fresh}`;
    assert.equal(await visitor.page.getByTestId('join-command').textContent(), command);
    assert.equal(await visitor.page.getByTestId('join-download').getAttribute('href'), '/downloads/');
    assert.equal(await visitor.page.title(), 'Start the support app');
    await visitor.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: node.publicUrl });
    await visitor.page.getByTestId('join-copy').click();
    await waitForText(visitor.page.getByTestId('join-copied'), /^Copied to the clipboard\.$/);
    assert.equal(await visitor.page.evaluate(() => navigator.clipboard.readText()), command);
    // The page does not use the code: the app still can.
    const used = await appJoin(node, fresh);
    assert.equal(used.status, 200, `join after the page was opened: ${used.text}`);

    // An address without a code says so.
    await visitor.page.goto(`${node.publicUrl}/app/join/12345`);
    await visitor.page.getByTestId('join-bad').waitFor();
    assert.deepEqual(visitor.unexpected(), []);
  } finally {
    await visitor.context.close();
  }

  // Once the session is over the panel goes, and the server gives no more codes (409).
  assert.equal((await anna.command('request.close', { request_id: id })).type, 'ack', 'Anna closes');
  await waitForStatus(customer, 'closed');
  await panel.waitFor({ state: 'detached' });
  const late = await appCode(node, id, token);
  assert.equal(late.status, 409, `after the end: ${late.text}`);
  assert.equal(late.json?.error?.code, 'chat_not_open');

  assertNoProblems([customer], [{ status: 429, path: codePath }]);
});

test('remote control: the page shows who controls, the customer stops it', { timeout: 120_000 }, async () => {
  const { node, mc } = intake;
  // Remote control is off by default: on for Anna and for the help portal.
  const { techs } = await intake.directory();
  await mc('PUT', `/technicians/${techs.anna}`, { features: { remote_control: true } });
  const help = (await mc('GET', '/portals')).portals.find((p) => p.slug === 'help');
  await mc('PUT', `/portals/${help.id}`, { features: { remote_control: true } });

  const { customer, anna, id, chat } = await activeWithAnna(intake, 'Ramona', sockets);
  const page = customer.page;
  await page.getByTestId('app-code-get').click();
  const code = await page.getByTestId('app-code').getAttribute('data-code');
  const joined = await appJoin(node, code);
  assert.equal(joined.status, 200, `join: ${joined.text}`);
  const app = await openApp(node, joined.json, sockets);
  const appState = await anna.waitFor((m) => m.type === 'app.state' && m.connected === true);
  assert.equal(String(appState.request_id), id);
  assert.equal(appState.may_control, true, `Anna may control: ${JSON.stringify(appState)}`);

  // Nobody controls yet: no banner.
  assert.equal(await page.getByTestId('control-banner').count(), 0);

  const asked = await anna.command('control.request', { request_id: id });
  assert.notEqual(asked.type, 'error', `control.request: ${JSON.stringify(asked)}`);
  const requested = await app.waitFor((m) => m.type === 'control.requested');
  assert.equal(requested.technician, 'Anna');
  const accepted = await app.command('control.accept');
  assert.notEqual(accepted.type, 'error', `control.accept: ${JSON.stringify(accepted)}`);

  const banner = page.getByTestId('control-banner');
  await banner.waitFor();
  await waitForText(banner, /^Anna controls your mouse and keyboard/);
  await waitForLine(chat, 'Anna controls the mouse and keyboard');
  // Pinned to the top of the window while the page is scrolled.
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  const top = await banner.evaluate((el) => el.getBoundingClientRect().top);
  assert.ok(top >= 0 && top < 5, `the banner stays in sight (top ${top})`);

  const from = app.messages.length;
  await page.getByTestId('control-stop').click();
  const ended = await app.waitFor((m) => m.type === 'control.state', 10_000, { fromIndex: from });
  assert.equal(ended.controlling, false, `the app is told: ${JSON.stringify(ended)}`);
  await banner.waitFor({ state: 'detached' });
  await anna.waitFor((m) => m.type === 'control.state' && m.controlling === false);
  await waitForLine(chat, 'Remote control ended');

  assertNoProblems([customer]);
});
