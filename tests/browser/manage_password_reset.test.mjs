// Forgotten password in the Management Center: the request form, the link
// from the e-mail (caught by a real SMTP server on loopback, Debian's
// python3-aiosmtpd) and the new-password page, which works exactly once.
// Run: OA_BIN=build/test/node/openassist OA_WEB_DIR=web/dist node --test tests/browser/
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { get, sleep, startNode } from '../harness/node.mjs';
import { startSmtp } from '../harness/smtp.mjs';
import { launchBrowser, openPage, waitForText } from './helpers.mjs';

const TECHNICIAN = 'anna@demo.openassist.example';
const NEW_PASSWORD = 'anna-reset-pass-1';
const LINK = /(\S+\/manage\/#\/reset\?token=[A-Za-z0-9_-]{43})/;

let smtp;
let node;
let browser;

before(async () => {
  smtp = await startSmtp();
  node = await startNode({ args: ['--node.demo', `--mail.smtp-url=${smtp.url}`] });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await node?.stop();
  smtp?.stop();
});

const technicianLogin = (password) =>
  get(`${node.publicUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ kind: 'technician', email: TECHNICIAN, password }),
  });

test('a technician resets the password through the e-mailed link, which works once', { timeout: 90_000 }, async () => {
  const first = await openPage(browser);
  try {
    const { page } = first;
    await page.goto(`${node.publicUrl}/manage/`);
    await page.getByTestId('login-form').waitFor();
    await page.getByTestId('forgot-link').click();

    const form = page.getByTestId('forgot-form');
    await form.waitFor();
    // The title follows the route once the page has rendered.
    await page.waitForFunction(() => /Reset your password/.test(document.title));
    await form.getByLabel('Login type').selectOption('technician');
    await form.getByLabel('E-mail (user id)').fill(TECHNICIAN);
    await page.getByTestId('forgot-submit').click();
    await waitForText(page.getByTestId('forgot-sent'), /^If this user id exists, a reset link is on its way\.$/);

    // The e-mail carries the link to the reset page of this node.
    const [, link] = await smtp.waitForMail(LINK);
    assert.match(smtp.mails(), new RegExp(`To: <${TECHNICIAN}>`));
    const url = new URL(link);
    assert.equal(url.pathname, '/manage/');
    const resetUrl = `${node.publicUrl}${url.pathname}${url.hash}`;

    await page.goto(resetUrl);
    const reset = page.getByTestId('reset-form');
    await reset.waitFor();
    await page.waitForFunction(() => /Choose a new password/.test(document.title));

    // The two passwords differ: said here, nothing sent.
    await reset.getByLabel(/^New password\b/).fill(NEW_PASSWORD);
    await reset.getByLabel('Repeat new password').fill(`${NEW_PASSWORD}x`);
    await page.getByTestId('reset-submit').click();
    await waitForText(
      reset.locator('[data-testid=field-error][data-field=repeat_password]'),
      /The two new passwords differ/,
    );

    // Too short: the server's bad_field for `password`, next to that input.
    await reset.getByLabel(/^New password\b/).fill('short');
    await reset.getByLabel('Repeat new password').fill('short');
    await page.getByTestId('reset-submit').click();
    await waitForText(reset.locator('[data-testid=field-error][data-field=password]'), /8 characters/);

    await reset.getByLabel(/^New password\b/).fill(NEW_PASSWORD);
    await reset.getByLabel('Repeat new password').fill(NEW_PASSWORD);
    await page.getByTestId('reset-submit').click();
    await waitForText(page.getByTestId('reset-done'), /Your password has been changed/);
    assert.equal(await page.getByTestId('reset-sign-in').getAttribute('href'), '#/teams');

    assert.equal((await technicianLogin(NEW_PASSWORD)).status, 200, 'the new password works');
    assert.equal((await technicianLogin('demo-tech-1')).status, 401, 'the old one does not');

    // The sign-in link leads to the (manager) sign-in form.
    await page.getByTestId('reset-sign-in').click();
    await page.getByTestId('login-form').waitFor();

    assert.deepEqual(
      first.unexpected([
        { status: 401, path: '/api/v1/auth/me' },
        { status: 400, path: '/api/v1/auth/password-reset/confirm' },
      ]),
      [],
    );
  } finally {
    await first.context.close();
  }

  // The same link a second time: the form still shows (the page cannot know),
  // and submitting it says the link is used up, in English and German.
  const second = await openPage(browser);
  try {
    const { page } = second;
    const [, link] = smtp.mails().match(LINK);
    const url = new URL(link);
    await page.goto(`${node.publicUrl}${url.pathname}${url.hash}`);
    const reset = page.getByTestId('reset-form');
    await reset.waitFor();
    await reset.getByLabel(/^New password\b/).fill('anna-reset-pass-2');
    await reset.getByLabel('Repeat new password').fill('anna-reset-pass-2');
    await page.getByTestId('reset-submit').click();
    const invalid = page.getByTestId('reset-invalid');
    await waitForText(invalid, /^This link is invalid, has already been used or has expired\.$/);
    assert.equal(await invalid.getAttribute('data-code'), 'invalid_token');
    assert.equal(await page.getByTestId('reset-form').count(), 0);
    assert.equal(await page.getByTestId('reset-request-new').getAttribute('href'), '#/forgot');

    await page.getByRole('button', { name: 'Deutsch' }).click();
    await waitForText(invalid, /^Dieser Link ist ungültig, wurde bereits verwendet oder ist abgelaufen\.$/);

    // "Request a new link" opens the request form again, in German now.
    await page.getByTestId('reset-request-new').click();
    const form = page.getByTestId('forgot-form');
    await form.waitFor();
    await form.getByLabel('Art der Anmeldung').selectOption('manager');
    await form.getByLabel('E-Mail (Benutzerkennung)').fill('nobody@demo.openassist.example');
    await page.getByTestId('forgot-submit').click();
    // Unknown users get the same answer, and no mail.
    await waitForText(
      page.getByTestId('forgot-sent'),
      /^Falls diese Benutzerkennung existiert, ist ein Link zum Zurücksetzen unterwegs\.$/,
    );
    await sleep(500);
    assert.ok(!smtp.mails().includes('nobody@demo.openassist.example'), 'no mail for an unknown user');

    assert.equal((await technicianLogin(NEW_PASSWORD)).status, 200, 'the used link changed nothing');
    assert.deepEqual(
      second.unexpected([
        { status: 401, path: '/api/v1/auth/me' },
        { status: 400, path: '/api/v1/auth/password-reset/confirm' },
      ]),
      [],
    );
  } finally {
    await second.context.close();
  }
});
