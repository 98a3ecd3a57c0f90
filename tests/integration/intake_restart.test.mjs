// Restarts: the node is killed (SIGKILL) with customers waiting, a request
// assigned, alerts out and a connection code open; after the restart the queue
// order, positions, assignments, presence choices and codes are as before; the
// consoles still list the recent closed requests, and an intake retried with
// its Idempotency-Key after the restart gets the request it created before.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { startNode, tempDir } from '../harness/node.mjs';
import {
  Client,
  DEMO_MANAGER,
  customerFields,
  login,
  managerCall,
  openConsole,
  openCustomer,
  post,
} from '../harness/intake.mjs';

const work = tempDir('oa-restart-');
const dataDir = join(work, 'data');
const sockets = [];
let node = null;
after(async () => {
  for (const c of sockets) c.ws?.terminate();
  await node?.stop().catch(() => {});
  rmSync(work, { recursive: true, force: true });
});

async function lastState(c) {
  return [...c.messages].reverse().find((m) => m.type === 'request.state').request;
}

test('SIGKILL mid-queue: queue order, assignments and codes survive; clients reattach', async () => {
  const args = ['--intake.per-address-per-min=0'];
  node = await startNode({ dataDir, args: [...args, '--node.demo'] });
  const manager = await login(node, 'manager', ...DEMO_MANAGER);
  const mc = async (method, path, body) => {
    const res = await managerCall(node, manager, method, path, body);
    assert.ok(res.status < 300, `${method} ${path}: ${res.text}`);
    return res.json;
  };
  const team = await mc('POST', '/teams', { name: 'Solo' });
  const solo = await mc('POST', '/technicians', {
    email: 'solo@demo.openassist.example',
    first_name: 'Sam',
    last_name: 'Solo',
    team_id: team.id,
    password: 'demo-tech-1',
  });
  await mc('PUT', `/technicians/${solo.id}`, { features: { max_sessions: 1 } });
  await mc('POST', '/portals', {
    name: 'Solo queue',
    slug: 'solo-queue',
    mode: 'queue',
    type: 'queue',
    time_zone: 'UTC',
    sub_portals: [{ name: 'Solo', team_ids: [team.id] }],
  });

  const sam = await openConsole(node, 'solo@demo.openassist.example');
  sockets.push(sam);
  const customers = [];
  for (const name of ['Ada', 'Ben', 'Cyd', 'Dan']) {
    const c = await openCustomer(node, 'demo', 'solo-queue', { fields: customerFields(name) });
    sockets.push(c);
    customers.push(c);
    if (name === 'Ada') {
      await c.waitFor((m) => m.request?.status === 'assigned');
      assert.equal((await sam.command('status.set', { status: 'busy' })).type, 'ack');
    }
  }
  const before = [];
  for (const c of customers) {
    const r = await lastState(c);
    before.push(r.status === 'waiting' ? r.position : `${r.status}:${r.technician.name}`);
  }
  assert.match(String(before[0]), /^assigned:Sam/); // the name customers see
  assert.deepEqual(before.slice(1), [1, 2, 3]);

  const anna = await openConsole(node, 'anna@demo.openassist.example');
  sockets.push(anna);
  const phone = anna.state.portals.find((p) => p.type === 'smartpin');
  const code = (await anna.command('code.create', { portal_id: phone.id })).code;
  const web = await openCustomer(node, 'demo', 'help', { fields: customerFields('Eve') });
  sockets.push(web);
  await anna.waitFor((m) => m.type === 'alert' && m.alert.request_id === web.request.request_id);

  // One customer gives up (the request ends: the Closed list), one intake
  // comes with an Idempotency-Key and its answer is "lost".
  const zed = await openCustomer(node, 'demo', 'help', { fields: customerFields('Zed') });
  sockets.push(zed);
  assert.equal((await zed.command('customer.cancel')).request.outcome, 'cancelled');
  await anna.waitFor((m) => m.type === 'request.updated' && m.request.id === zed.request.request_id && m.request.status === 'abandoned');
  const keyed = { fields: customerFields('Kai') };
  const first = await post(`${node.publicUrl}/api/v1/public/portals/demo/help/requests`, keyed, { 'Idempotency-Key': 'kai-retry-1' });
  assert.equal(first.status, 201, first.text);

  // Everything above was acknowledged, so it is durable: kill without mercy.
  await node.kill();
  node = await startNode({ dataDir, args });
  try {
    const after = [];
    for (const c of customers) {
      const again = new Client(node.wsUrl);
      sockets.push(again);
      await again.open();
      const st = await again.command('customer.attach', {
        account: 'demo',
        request_id: c.request.request_id,
        token: c.request.token,
      });
      assert.equal(st.type, 'request.state', JSON.stringify(st));
      const r = st.request;
      after.push(r.status === 'waiting' ? r.position : `${r.status}:${r.technician.name}`);
    }
    assert.deepEqual(after, before, 'queue order, positions and assignment as before');

    // The technician's console comes back: same status choice, same load.
    const sam2 = await openConsole(node, 'solo@demo.openassist.example');
    sockets.push(sam2);
    assert.equal(sam2.state.me.status, 'busy');
    assert.equal(sam2.state.me.active_sessions, 1);
    const mine = sam2.state.requests.find((r) => r.id === customers[0].request.request_id);
    assert.equal(mine.status, 'assigned');
    assert.deepEqual(
      sam2.state.requests.filter((r) => r.status === 'waiting').sort((a, b) => a.position - b.position).map((r) => r.customer.name),
      ['Ben', 'Cyd', 'Dan'],
    );

    // Anna's alert and code are still there.
    const anna2 = await openConsole(node, 'anna@demo.openassist.example');
    sockets.push(anna2);
    assert.ok(anna2.state.alerts.some((a) => a.request_id === web.request.request_id), 'alert restored');
    assert.ok(anna2.state.codes.some((c) => c.code === code), 'code restored');
    const ended = anna2.state.requests.find((r) => r.id === zed.request.request_id);
    assert.equal(ended?.status, 'abandoned', 'the ended request is still in the Closed list');

    // The retried intake gets the request and token of the first.
    const retry = await post(`${node.publicUrl}/api/v1/public/portals/demo/help/requests`, keyed, { 'Idempotency-Key': 'kai-retry-1' });
    assert.equal(retry.status, 201, retry.text);
    assert.equal(retry.json.request_id, first.json.request_id);
    assert.equal(retry.json.token, first.json.token);
    const other = await post(`${node.publicUrl}/api/v1/public/portals/demo/help/requests`, { fields: customerFields('Kim') }, { 'Idempotency-Key': 'kai-retry-1' });
    assert.equal(other.status, 422, other.text);
    const byCode = await post(`${node.publicUrl}/api/v1/public/portals/demo/phone/requests`, {
      fields: customerFields('Phil'),
      code,
    });
    assert.equal(byCode.status, 201, byCode.text);
    assert.equal(byCode.json.status, 'assigned');

    // The queue moves on from where it was.
    await sam2.command('request.close', { request_id: customers[0].request.request_id });
    await sam2.command('status.set', { status: 'available' });
    const ben = new Client(node.wsUrl);
    sockets.push(ben);
    await ben.open();
    await ben.command('customer.attach', {
      account: 'demo',
      request_id: customers[1].request.request_id,
      token: customers[1].request.token,
    });
    const st = await ben.waitFor((m) => m.request?.status === 'assigned');
    assert.equal(st.request.technician.name, after[0].slice('assigned:'.length));
  } finally {
    await node.stop();
    node = null;
  }
});
