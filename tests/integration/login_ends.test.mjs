// A console whose login ends (logout elsewhere, revoked, expired) does not
// keep its open WebSocket: it re-checks the login and closes with 4401.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { get, sleep, startNode } from '../harness/node.mjs';
import { DEMO_MANAGER, login, managerCall, openConsole } from '../harness/intake.mjs';

let node;
before(async () => {
  node = await startNode({ args: ['--node.demo', '--gateway.ws-login-check-s=1'] });
});
after(async () => {
  await node?.stop();
});

test('logging out closes the console socket of that login; others stay', async () => {
  const anna = await openConsole(node, 'anna@demo.openassist.example');
  const ben = await openConsole(node, 'ben@demo.openassist.example');
  const out = await get(`${node.publicUrl}/api/v1/auth/logout`, {
    method: 'POST',
    headers: { Cookie: anna.session.cookie, 'X-CSRF-Token': anna.session.csrf },
  });
  assert.ok([200, 204].includes(out.status), `logout ${out.status}`);
  const code = await Promise.race([anna.closed, new Promise((r) => setTimeout(() => r('open'), 5000))]);
  assert.equal(code, 4401);
  assert.ok(anna.messages.some((m) => m.type === 'error' && m.error.code === 'unauthenticated'));
  // Ben's login holds: his socket stays and answers.
  const pong = await ben.command('ping');
  assert.notEqual(pong.type, 'error', JSON.stringify(pong));
  ben.ws.terminate();
});

test('deleting a technician closes their console; a manager socket is not a console', async () => {
  const mgr = await login(node, 'manager', ...DEMO_MANAGER);
  const teams = await managerCall(node, mgr, 'GET', '/teams');
  const team = (teams.json.teams ?? teams.json)[0];
  const created = await managerCall(node, mgr, 'POST', '/technicians', {
    email: 'leaving@demo.openassist.example',
    first_name: 'Lee',
    last_name: 'Ving',
    team_id: team.id,
    password: 'demo-tech-1',
  });
  assert.equal(created.status, 201, created.text);
  await sleep(1500); // the desk's copy of the organisation
  const lee = await openConsole(node, 'leaving@demo.openassist.example');
  const gone = await managerCall(node, mgr, 'DELETE', `/technicians/${created.json.id}`);
  assert.ok([200, 204].includes(gone.status), gone.text);
  const code = await Promise.race([lee.closed, new Promise((r) => setTimeout(() => r('open'), 8000))]);
  assert.equal(code, 4401);
  assert.ok(lee.messages.some((m) => m.type === 'error' && /removed/.test(m.error.message)));
});
