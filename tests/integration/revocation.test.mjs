// A password reset or change ends every login and bearer token of that user
// (docs/api.md, "Logins"): other browser sessions and API tokens stop
// working at once; other users' logins stay.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { get, startNode } from '../harness/node.mjs';
import { startSmtp } from '../harness/smtp.mjs';
import { login, managerCall, post } from '../harness/intake.mjs';

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

const me = (session) => managerCall(node, session, 'GET', '/auth/me');
const bearerMe = (token) => get(`${node.publicUrl}/api/v1/auth/me`, { headers: { Authorization: `Bearer ${token}` } });

async function token(email, password) {
  const res = await post(`${node.publicUrl}/api/v1/auth/token`, { kind: 'manager', email, password });
  assert.equal(res.status, 200, res.text);
  return res.json.token;
}

test('a password reset ends the other browser sessions and bearer tokens of that user', async () => {
  const email = 'api@demo.openassist.example';
  const first = await login(node, 'manager', email, 'demo-api-1');
  const second = await login(node, 'manager', email, 'demo-api-1');
  const bearer = await token(email, 'demo-api-1');
  const other = await login(node, 'technician', 'carla@demo.openassist.example', 'demo-tech-1');
  assert.equal((await me(first)).status, 200);
  assert.equal((await me(second)).status, 200);
  assert.equal((await bearerMe(bearer)).status, 200);

  assert.equal((await post(`${node.publicUrl}/api/v1/auth/password-reset`, { kind: 'manager', email })).status, 202);
  const [, resetToken] = await smtp.waitForMail(/reset\?token=([A-Za-z0-9_-]{43})/);
  const done = await post(`${node.publicUrl}/api/v1/auth/password-reset/confirm`, {
    token: resetToken,
    password: 'api-reset-pass-1',
  });
  assert.equal(done.status, 204, done.text);

  assert.equal((await me(first)).status, 401, 'first browser session ended');
  assert.equal((await me(second)).status, 401, 'second browser session ended');
  assert.equal((await bearerMe(bearer)).status, 401, 'bearer token ended');
  assert.equal((await me(other)).status, 200, "another user's login stays");
  // The new password opens a new session that works.
  const fresh = await login(node, 'manager', email, 'api-reset-pass-1');
  assert.equal((await me(fresh)).status, 200);
});

test('changing the password in my settings ends my other logins', async () => {
  const email = 'ben@demo.openassist.example';
  const here = await login(node, 'technician', email, 'demo-tech-1');
  const elsewhere = await login(node, 'technician', email, 'demo-tech-1');
  const changed = await managerCall(node, here, 'PUT', '/me/settings', {
    current_password: 'demo-tech-1',
    new_password: 'ben-new-pass-1',
  });
  assert.equal(changed.status, 200, changed.text);
  assert.equal((await me(elsewhere)).status, 401, 'the other session ended');
  const fresh = await login(node, 'technician', email, 'ben-new-pass-1');
  assert.equal((await me(fresh)).status, 200);
});

test('a manager setting a technician password ends that technician\'s logins', async () => {
  const tech = await login(node, 'technician', 'david@demo.openassist.example', 'demo-tech-1');
  const mgr = await login(node, 'manager', 'manager@demo.openassist.example', 'demo-manager-1');
  const list = await managerCall(node, mgr, 'GET', '/technicians');
  const david = (list.json.technicians ?? list.json).find((t) => t.email === 'david@demo.openassist.example');
  const set = await managerCall(node, mgr, 'PUT', `/technicians/${david.id}`, { password: 'david-new-pass-1' });
  assert.equal(set.status, 200, set.text);
  assert.equal((await me(tech)).status, 401);
  assert.equal((await me(mgr)).status, 200, "the manager's own login stays");
});

test('the CSRF token is still required and checked', async () => {
  const s = await login(node, 'manager', 'teamlead@demo.openassist.example', 'demo-teamlead-1');
  const wrong = await get(`${node.publicUrl}/api/v1/auth/logout`, {
    method: 'POST',
    headers: { Cookie: s.cookie, 'X-CSRF-Token': `${s.csrf.slice(0, -1)}x` },
  });
  assert.equal(wrong.status, 403);
  const short = await get(`${node.publicUrl}/api/v1/auth/logout`, {
    method: 'POST',
    headers: { Cookie: s.cookie, 'X-CSRF-Token': s.csrf.slice(0, 10) },
  });
  assert.equal(short.status, 403);
  assert.equal((await me(s)).status, 200);
});
