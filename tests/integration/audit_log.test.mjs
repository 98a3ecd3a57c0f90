// The audit log over real HTTP (issue 10): entries name people and things in
// words and say what changed; filters by person, kind and date range are
// validated and paginate with next_before.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { get, startNode, tempDir } from '../harness/node.mjs';
import { rmSync } from 'node:fs';
import { join } from 'node:path';

const MANAGER = ['manager@demo.openassist.example', 'demo-manager-1'];
const ANNA = ['anna.berg@demo.openassist.example', 'anna-berg-pw-1'];

let node;
let work;
let boss;
let anna;
let annaId;
before(async () => {
  work = tempDir('oa-audit-');
  node = await startNode({ dataDir: join(work, 'data'), args: ['--node.demo'] });
  boss = await login(MANAGER);
  const created = await boss.call('POST', '/managers', {
    email: ANNA[0],
    first_name: 'Anna',
    last_name: 'Berg',
    role: 'company_manager',
    password: ANNA[1],
  });
  assert.equal(created.status, 201, created.text);
  annaId = created.json.id;
  anna = await login(ANNA);
});
after(async () => {
  await node?.stop();
  rmSync(work, { recursive: true, force: true });
});

async function login([email, password]) {
  const res = await get(`${node.publicUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ kind: 'manager', email, password }),
  });
  assert.equal(res.status, 200, `${email}: ${res.text}`);
  const session = res.headers.get('set-cookie').split(';')[0];
  const call = (method, path, body) =>
    get(`${node.publicUrl}/api/v1${path}`, {
      method,
      headers: {
        Cookie: session,
        'X-CSRF-Token': res.json.csrf_token,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  return { user: res.json.user, call };
}

const day = (offsetDays) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

test('a portal change names its author, the portal and what changed', async () => {
  const hours = await anna.call('POST', '/business-hours', {
    name: 'Office',
    weekly: [{ day: 1, open: '09:00', close: '17:00' }],
  });
  assert.equal(hours.status, 201, hours.text);
  const portals = await anna.call('GET', '/portals');
  const help = portals.json.portals.find((p) => p.slug === 'help');
  const changed = await anna.call('PUT', `/portals/${help.id}`, {
    hours_id: hours.json.id,
    features: { recording: true },
  });
  assert.equal(changed.status, 200, changed.text);

  const audit = await boss.call('GET', '/audit?limit=5');
  assert.equal(audit.status, 200, audit.text);
  const entry = audit.json.entries.find((e) => e.action === 'portal.update' && e.target === `portal/${help.id}`);
  assert.ok(entry, JSON.stringify(audit.json.entries.map((e) => e.action)));
  assert.equal(entry.actor_name, 'Anna Berg');
  assert.equal(entry.target_name, 'Help Desk');
  assert.deepEqual([...entry.changes].sort(), ['features.recording', 'hours_id']);
  const created = audit.json.entries.find((e) => e.action === 'hours.create');
  assert.equal(created.target_name, 'Office');
  assert.deepEqual(created.changes, [], 'a creation lists no changed settings');
});

test('filters by person, kind and date range', async () => {
  const team = await boss.call('POST', '/teams', { name: 'Audit night shift' });
  assert.equal(team.status, 201, team.text);

  const byAnna = await boss.call('GET', `/audit?actor=${annaId}`);
  assert.equal(byAnna.status, 200, byAnna.text);
  assert.ok(byAnna.json.entries.length >= 2);
  assert.ok(byAnna.json.entries.every((e) => e.actor_id === annaId && e.actor_name === 'Anna Berg'));
  assert.equal(byAnna.json.next_before, null);

  const portalsOnly = await boss.call('GET', '/audit?kind=portal');
  assert.ok(portalsOnly.json.entries.length >= 6, 'the demo portals and Anna’s change');
  assert.ok(portalsOnly.json.entries.every((e) => e.action.startsWith('portal.')));

  const both = await boss.call('GET', `/audit?actor=${annaId}&kind=team`);
  assert.deepEqual(both.json.entries, [], 'Anna changed no team');
  const teams = await boss.call('GET', '/audit?kind=team');
  assert.equal(teams.json.entries[0].target_name, 'Audit night shift');

  // Dates are days in the caller's time zone (UTC here), both ends included.
  const today = await boss.call('GET', `/audit?from=${day(-1)}&to=${day(1)}`);
  assert.ok(today.json.entries.length > 10);
  const tomorrow = await boss.call('GET', `/audit?from=${day(2)}`);
  assert.deepEqual(tomorrow.json.entries, []);
  assert.equal(tomorrow.json.next_before, null);
  const yesterday = await boss.call('GET', `/audit?to=${day(-2)}`);
  assert.deepEqual(yesterday.json.entries, []);
});

test('filtered pages go on with next_before, once each and newest first', async () => {
  for (const name of ['Paged A', 'Paged B', 'Paged C']) {
    assert.equal((await anna.call('POST', '/teams', { name })).status, 201);
  }
  const seen = [];
  let before = '';
  for (let i = 0; i < 10; i++) {
    const page = await boss.call('GET', `/audit?limit=1&kind=team&actor=${annaId}${before}`);
    assert.equal(page.status, 200, page.text);
    assert.ok(page.json.entries.length <= 1);
    seen.push(...page.json.entries.map((e) => e.target_name));
    if (page.json.next_before === null) break;
    before = `&before=${page.json.next_before}`;
  }
  assert.deepEqual(seen, ['Paged C', 'Paged B', 'Paged A']);

  // Unfiltered pages are as before: `limit` entries below `before`.
  const first = await boss.call('GET', '/audit?limit=3');
  assert.equal(first.json.entries.length, 3);
  const next = await boss.call('GET', `/audit?limit=3&before=${first.json.next_before}`);
  assert.equal(next.json.entries[0].seq, first.json.entries[2].seq - 1);
});

test('bad filter values are refused with a clear error', async () => {
  for (const [query, field] of [
    ['actor=anna', 'actor'],
    ['actor=-1', 'actor'],
    ['kind=everything', 'kind'],
    ['kind=Portal', 'kind'],
    ['from=2024-13-01', 'from'],
    ['from=yesterday', 'from'],
    ['to=2024-02-30', 'to'],
    [`from=${day(1)}&to=${day(-1)}`, 'to'],
    ['before=x', 'before'],
  ]) {
    const res = await boss.call('GET', `/audit?${query}`);
    assert.equal(res.status, 400, `${query}: ${res.text}`);
    assert.equal(res.json.error.code, 'bad_field', query);
    assert.equal(res.json.error.field, field, query);
    assert.equal(typeof res.json.error.message, 'string');
  }
  const tech = await get(`${node.publicUrl}/api/v1/audit?kind=team`);
  assert.equal(tech.status, 401);
});
