// The node supervisor (docs/ARCHITECTURE.md, "Supervision"): a service actor
// that dies is restarted behind its stable handle, or, where a restart is
// not safe, /readyz says why. Services are killed through the admin port's
// test hooks (--node.test-hooks), as a crash would end them.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { get, metric, startNode } from '../harness/node.mjs';
import { DEMO_MANAGER, eventually, login, managerCall } from '../harness/intake.mjs';

let node;
before(async () => {
  node = await startNode({ args: ['--node.demo', '--node.test-hooks', '--memory.trim-s=1'] });
});
after(async () => {
  await node?.stop();
});

const kill = (service) =>
  get(`${node.adminUrl}/debug/kill`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ service }),
  });
const services = async () => (await get(`${node.adminUrl}/debug/services`)).json;

test('the test hooks exist only with --node.test-hooks', async () => {
  const plain = await startNode();
  try {
    assert.equal((await get(`${plain.adminUrl}/debug/services`)).status, 404);
  } finally {
    await plain.stop();
  }
});

test('a killed auth service is restarted; logins made before and after keep working', async () => {
  const before = await login(node, 'manager', ...DEMO_MANAGER);
  assert.equal((await get(`${node.adminUrl}/readyz`)).status, 200);
  const killed = await kill('auth');
  assert.equal(killed.status, 200, killed.text);
  await eventually(async () => (await services()).auth?.restarts === 1 && (await services()).auth.up, 10_000, 'auth restarted');
  assert.equal(await metric(node, 'openassist_service_restarts_total{service="auth"}'), 1);
  // The handles the gateways hold still reach it (through the proxy).
  const me = await managerCall(node, before, 'GET', '/auth/me');
  assert.equal(me.status, 200, me.text);
  const again = await login(node, 'manager', ...DEMO_MANAGER);
  assert.ok(again.cookie);
  await eventually(async () => (await get(`${node.adminUrl}/readyz`)).status === 200, 10_000, 'ready again');
});

test('killed hashers, mailer, keyring, blobs, sweeper and memory keeper come back', async () => {
  // A worker of the hasher pool: the pool replaces it itself.
  assert.equal((await kill('hasher-worker')).status, 200);
  await eventually(
    async () => (await metric(node, 'openassist_service_restarts_total{service="hasher-worker"}')) === 1,
    10_000,
    'hasher worker replaced',
  );
  for (const service of ['hasher', 'mailer', 'keyring', 'blobs', 'sweeper', 'memory_keeper']) {
    const killed = await kill(service);
    assert.equal(killed.status, 200, `${service}: ${killed.text}`);
  }
  await eventually(
    async () => {
      const s = await services();
      return ['hasher', 'mailer', 'keyring', 'blobs', 'sweeper', 'memory_keeper'].every((n) => s[n].up && s[n].restarts >= 1);
    },
    15_000,
    'services restarted',
  );
  // The new memory keeper trims (every second here).
  const trims = await metric(node, 'openassist_memory_trims_total');
  await eventually(async () => (await metric(node, 'openassist_memory_trims_total')) > trims, 10_000, 'trims again');
  // Password checks run on the new pool.
  const s = await login(node, 'technician', 'anna@demo.openassist.example', 'demo-tech-1');
  assert.ok(s.cookie);
  // The keyring answers through its proxy.
  const mgr = await login(node, 'manager', ...DEMO_MANAGER);
  const portals = await managerCall(node, mgr, 'GET', '/portals');
  const portal = (portals.json.portals ?? portals.json)[0];
  const keys = await managerCall(node, mgr, 'GET', `/portals/${portal.id}/replay-keys`);
  assert.equal(keys.status, 200, keys.text);
});

test('an unknown service is 404', async () => {
  assert.equal((await kill('nothing')).status, 404);
});

// Last: the node does not come back from this.
test('a dead directory is not restarted: /readyz is 503 with the reason, and the log says so', async () => {
  const killed = await kill('directory');
  assert.equal(killed.status, 200, killed.text);
  const ready = await eventually(async () => {
    const r = await get(`${node.adminUrl}/readyz`);
    return r.status === 503 ? r : null;
  }, 10_000, 'not ready');
  assert.equal(ready.json.error.code, 'not_ready');
  assert.match(ready.json.error.message, /directory stopped/);
  assert.match(ready.json.error.message, /restart the node/);
  assert.equal(await metric(node, 'openassist_service_up{service="directory"}'), 0);
  await eventually(async () => /service directory stopped .*not restarted/.test(node.output()), 10_000, 'log line');
  // The process lives on and answers (health is not readiness).
  assert.equal((await get(`${node.adminUrl}/healthz`)).status, 200);
});
