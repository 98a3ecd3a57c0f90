// Forgotten password: the reset e-mail arrives at a real SMTP server on
// loopback (Debian's python3-aiosmtpd) and its link works once, then never.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { get, startNode } from '../harness/node.mjs';
import { startSmtp } from '../harness/smtp.mjs';

let smtp;
let node;

before(async () => {
  smtp = await startSmtp();
  node = await startNode({ args: ['--node.demo', `--mail.smtp-url=${smtp.url}`] });
});
after(async () => {
  await node?.stop();
  smtp?.stop();
});

const post = (path, body) =>
  get(`${node.publicUrl}/api/v1${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });

test('the reset link arrives by e-mail and works exactly once', async () => {
  const email = 'ben@demo.openassist.example';
  const unknown = await post('/auth/password-reset', { kind: 'technician', email: 'nobody@demo.openassist.example' });
  const known = await post('/auth/password-reset', { kind: 'technician', email });
  assert.equal(unknown.status, 202);
  assert.equal(known.status, 202);
  assert.deepEqual(unknown.json, known.json, 'no hint whether the user exists');
  const [, token] = await smtp.waitForMail(/reset\?token=([A-Za-z0-9_-]{43})/);
  assert.match(smtp.mails(), /Subject: openassist: reset your password/);
  assert.match(smtp.mails(), new RegExp(`To: <${email}>`));
  assert.ok(!smtp.mails().includes('nobody@demo.openassist.example'), 'no mail for unknown users');

  const weak = await post('/auth/password-reset/confirm', { token, password: 'short' });
  assert.equal(weak.status, 400);
  assert.equal(weak.json.error.field, 'password');
  const done = await post('/auth/password-reset/confirm', { token, password: 'brand-new-pass-1' });
  assert.equal(done.status, 204, done.text);
  const again = await post('/auth/password-reset/confirm', { token, password: 'another-pass-2' });
  assert.equal(again.status, 400);
  assert.equal(again.json.error.code, 'invalid_token');

  const login = (password) => post('/auth/login', { kind: 'technician', email, password });
  assert.equal((await login('brand-new-pass-1')).status, 200);
  assert.equal((await login('demo-tech-1')).status, 401);
  const forged = await post('/auth/password-reset/confirm', { token: 'x'.repeat(43), password: 'forged-pass-1' });
  assert.equal(forged.status, 400);
});
