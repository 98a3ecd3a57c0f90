// Forgotten password: the reset e-mail arrives at a real SMTP server on
// loopback (Debian's python3-aiosmtpd) and its link works once, then never.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import net from 'node:net';
import { get, sleep, startNode } from '../harness/node.mjs';

let smtp;
let mails = '';
let node;

function freePort() {
  return new Promise((resolvePort) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolvePort(port));
    });
  });
}

async function waitForPort(port) {
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise((r) => {
      const s = net.connect(port, '127.0.0.1', () => (s.destroy(), r(true)));
      s.on('error', () => r(false));
    });
    if (ok) return;
    await sleep(100);
  }
  throw new Error(`SMTP server not listening on ${port}: ${mails}`);
}

before(async () => {
  const port = await freePort();
  smtp = spawn('/usr/bin/python3', ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${port}`], {
    env: { ...process.env, PYTHONUNBUFFERED: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  smtp.stdout.on('data', (d) => (mails += d));
  smtp.stderr.on('data', (d) => (mails += d));
  await waitForPort(port);
  node = await startNode({ args: ['--node.demo', `--mail.smtp-url=smtp://127.0.0.1:${port}`] });
});
after(async () => {
  await node?.stop();
  smtp?.kill();
});

const post = (path, body) =>
  get(`${node.publicUrl}/api/v1${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });

async function waitForMail(pattern) {
  for (let i = 0; i < 100; i++) {
    const m = mails.match(pattern);
    if (m) return m;
    await sleep(100);
  }
  throw new Error(`no mail matching ${pattern}:\n${mails}\n${node.output()}`);
}

test('the reset link arrives by e-mail and works exactly once', async () => {
  const email = 'ben@demo.openassist.example';
  const unknown = await post('/auth/password-reset', { kind: 'technician', email: 'nobody@demo.openassist.example' });
  const known = await post('/auth/password-reset', { kind: 'technician', email });
  assert.equal(unknown.status, 202);
  assert.equal(known.status, 202);
  assert.deepEqual(unknown.json, known.json, 'no hint whether the user exists');
  const [, token] = await waitForMail(/reset\?token=([A-Za-z0-9_-]{43})/);
  assert.match(mails, /Subject: openassist: reset your password/);
  assert.match(mails, new RegExp(`To: <${email}>`));
  assert.ok(!mails.includes('nobody@demo.openassist.example'), 'no mail for unknown users');

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
