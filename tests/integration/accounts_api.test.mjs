// Accounts, people and portals over the real REST API: logins, CSRF,
// throttling, provisioning with a bearer token, an authorization walk over
// every route with every role and a second account, durability.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { get, startNode, tempDir } from '../harness/node.mjs';
import { rmSync } from 'node:fs';
import { join } from 'node:path';

const DEMO = {
  manager: ['manager@demo.openassist.example', 'demo-manager-1'],
  teamlead: ['teamlead@demo.openassist.example', 'demo-teamlead-1'],
  api: ['api@demo.openassist.example', 'demo-api-1'],
  technician: ['anna@demo.openassist.example', 'demo-tech-1'],
};
const OTHER = ['boss@other.example', 'other-boss-pw-1'];

let node;
let work;
before(async () => {
  work = tempDir('oa-acct-');
  node = await startNode({ dataDir: join(work, 'data'), args: ['--node.demo'] });
  const created = await post(`${node.adminUrl}/accounts`, {
    id: 'other',
    name: 'Other Corp',
    manager_email: OTHER[0],
    manager_password: OTHER[1],
  });
  assert.equal(created.status, 201, created.text);
});
after(async () => {
  await node?.stop();
  rmSync(work, { recursive: true, force: true });
});

function post(url, body, headers = {}) {
  return get(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

/** A logged-in browser-like client: cookie plus CSRF header. */
async function login(kind, [email, password]) {
  const res = await post(`${node.publicUrl}/api/v1/auth/login`, { kind, email, password });
  assert.equal(res.status, 200, `${email}: ${res.text}`);
  const cookie = res.headers.get('set-cookie');
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Strict/);
  const session = cookie.split(';')[0];
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
  return { user: res.json.user, csrf: res.json.csrf_token, session, call };
}

test('logins: manager and technician identities are separate', async () => {
  const m = await login('manager', DEMO.manager);
  assert.equal(m.user.role, 'company_manager');
  assert.equal(m.user.password_hash, undefined);
  const t = await login('technician', DEMO.technician);
  assert.equal(t.user.role, 'technician');
  const wrongKind = await post(`${node.publicUrl}/api/v1/auth/login`, {
    kind: 'manager',
    email: DEMO.technician[0],
    password: DEMO.technician[1],
  });
  assert.equal(wrongKind.status, 401);
  const me = await m.call('GET', '/auth/me');
  assert.equal(me.status, 200);
  assert.equal(me.json.user.email, DEMO.manager[0]);
});

test('wrong passwords are refused alike and throttled', async () => {
  const david = ['david@demo.openassist.example', 'demo-tech-1'];
  const attempt = (email) =>
    post(`${node.publicUrl}/api/v1/auth/login`, { kind: 'technician', email, password: 'not-the-password' });
  const unknown = await attempt('nobody@demo.openassist.example');
  const known = await attempt(david[0]);
  assert.equal(unknown.status, 401);
  assert.equal(known.status, 401);
  assert.deepEqual(unknown.json, known.json, 'no hint whether the user id exists');
  for (let i = 0; i < 4; i++) await attempt(david[0]);
  const blocked = await attempt(david[0]);
  assert.equal(blocked.status, 429);
  assert.equal(blocked.json.error.code, 'too_many_attempts');
  // Even the right password is refused while throttled.
  const right = await post(`${node.publicUrl}/api/v1/auth/login`, {
    kind: 'technician',
    email: david[0],
    password: david[1],
  });
  assert.equal(right.status, 429);
});

test('browser sessions need the CSRF token; logout ends them', async () => {
  const m = await login('manager', DEMO.manager);
  const noCsrf = await get(`${node.publicUrl}/api/v1/teams`, {
    method: 'POST',
    headers: { Cookie: m.session, 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'Sneaky' }),
  });
  assert.equal(noCsrf.status, 403);
  assert.equal(noCsrf.json.error.code, 'csrf');
  assert.equal((await m.call('POST', '/auth/logout')).status, 204);
  assert.equal((await m.call('GET', '/teams')).status, 401);
  assert.equal((await get(`${node.publicUrl}/api/v1/teams`)).status, 401);
});

test('an HR system provisions people with a bearer token', async () => {
  const tok = await post(`${node.publicUrl}/api/v1/auth/token`, { email: DEMO.api[0], password: DEMO.api[1] });
  assert.equal(tok.status, 200, tok.text);
  const auth = { Authorization: `Bearer ${tok.json.token}` };
  const api = (method, path, body) =>
    get(`${node.publicUrl}/api/v1${path}`, {
      method,
      headers: { ...auth, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const team = await api('POST', '/teams', { name: 'Field Service' });
  assert.equal(team.status, 201, team.text);
  const tech = await api('POST', '/technicians', {
    email: 'Hans.Meier@Demo.OpenAssist.example',
    first_name: 'Hans',
    last_name: 'Meier',
    team_id: team.json.id,
    password: 'field-pass-1',
    skills: [{ name: 'printers', rank: 1 }],
  });
  assert.equal(tech.status, 201, tech.text);
  assert.equal(tech.json.email, 'hans.meier@demo.openassist.example');
  const dup = await api('POST', '/technicians', {
    email: 'hans.meier@demo.openassist.example',
    first_name: 'H',
    last_name: 'M',
    team_id: team.json.id,
    password: 'field-pass-1',
  });
  assert.equal(dup.status, 409);
  const bulk = await api('POST', '/technicians/bulk', {
    text: [
      ', Field Service, f1@demo.openassist.example, Fe, One, field-pass-1, Fe, 1',
      ', Field Service, f2@demo.openassist.example, Fa, Two, field-pass-2, , ',
      ', Field Service, broken-line',
    ].join('\n'),
  });
  assert.equal(bulk.status, 200, bulk.text);
  assert.equal(bulk.json.added, 2);
  assert.equal(bulk.json.rejected, 1);
  const upd = await api('PUT', `/technicians/${tech.json.id}`, { features: { chat: false, max_sessions: 2 } });
  assert.equal(upd.status, 200, upd.text);
  const eff = await api('GET', `/technicians/${tech.json.id}/features`);
  assert.equal(eff.json.values.chat, false);
  assert.equal(eff.json.sources.chat, 'technician');
  const moved = await api('POST', `/technicians/${tech.json.id}/move`, { team_id: 2 });
  assert.equal(moved.status, 200, moved.text);
  // The new technician can log in.
  await login('technician', ['hans.meier@demo.openassist.example', 'field-pass-1']);
  const del = await api('DELETE', `/technicians/${tech.json.id}`);
  assert.equal(del.status, 204);
  const gone = await post(`${node.publicUrl}/api/v1/auth/login`, {
    kind: 'technician',
    email: 'hans.meier@demo.openassist.example',
    password: 'field-pass-1',
  });
  assert.equal(gone.status, 401);
  // Only API managers get tokens.
  const notApi = await post(`${node.publicUrl}/api/v1/auth/token`, {
    email: DEMO.manager[0],
    password: DEMO.manager[1],
  });
  assert.equal(notApi.status, 403);
});

test('bad input is refused with the field named and nothing saved', async () => {
  const m = await login('manager', DEMO.manager);
  const before = (await m.call('GET', '/teams')).json.teams.length;
  const cases = [
    ['POST', '/teams', { name: '' }, 400, 'name'],
    ['POST', '/teams', { name: 'X', parent_id: 99999 }, 400, 'parent_id'],
    ['POST', '/technicians', { email: 'nope', first_name: 'A', last_name: 'B', team_id: 2, password: 'password-1' }, 400, 'email'],
    ['POST', '/technicians', { email: 'a@b.example', first_name: 'A', last_name: 'B', team_id: 2, password: 'short' }, 400, 'password'],
    ['POST', '/portals', { name: 'P', slug: 'Bad Slug!' }, 400, 'slug'],
    ['PUT', '/teams/2', { parent_id: 3 }, 400, 'parent_id'],
  ];
  for (const [method, path, body, status, field] of cases) {
    const res = await m.call(method, path, body);
    assert.equal(res.status, status, `${method} ${path} ${res.text}`);
    assert.equal(res.json.error.field, field, res.text);
  }
  const raw = await get(`${node.publicUrl}/api/v1/teams`, {
    method: 'POST',
    headers: { Cookie: m.session, 'X-CSRF-Token': m.csrf, 'Content-Type': 'application/json' },
    body: '{"name": ',
  });
  assert.equal(raw.status, 400);
  assert.equal(raw.json.error.code, 'bad_json');
  const many = Array.from({ length: 1001 }, (_, i) => `, Bulk, b${i}@x.example, A, B, password-1, , `).join('\n');
  const tooMany = await m.call('POST', '/technicians/bulk', { text: many });
  assert.equal(tooMany.status, 413, tooMany.text);
  assert.equal(tooMany.json.error.field, 'text');
  const huge = await m.call('POST', '/technicians/bulk', { text: 'x'.repeat(2 * 1024 * 1024) });
  assert.equal(huge.status, 413);
  const notText = await m.call('POST', '/technicians/bulk', { text: 42 });
  assert.equal(notText.status, 400);
  const managers = (await m.call('GET', '/managers')).json.managers;
  const self = managers.find((x) => x.email === DEMO.manager[0]);
  assert.equal((await m.call('DELETE', `/managers/${self.id}`)).status, 409);
  assert.equal((await m.call('GET', '/teams')).json.teams.length, before);
});

test('authorization walk: every route, every role, two accounts', async () => {
  const clients = {
    company: await login('manager', DEMO.manager),
    team: await login('manager', DEMO.teamlead),
    technician: await login('technician', DEMO.technician),
    other: await login('manager', OTHER),
  };
  const routes = [
    ['GET', '/auth/me'],
    ['GET', '/teams'],
    ['POST', '/teams', { name: 'Walk Team' }],
    ['PUT', '/teams/2', { custom_note_ignored: true }],
    ['DELETE', '/teams/4'],
    ['GET', '/technicians'],
    ['POST', '/technicians', { email: 'walk@x.example', first_name: 'W', last_name: 'K', team_id: 3, password: 'walk-pass-1' }],
    ['PUT', '/technicians/8', { custom: 'walked' }],
    ['POST', '/technicians/8/move', { team_id: 3 }],
    ['GET', '/technicians/8/features'],
    ['POST', '/technicians/bulk', { text: '' }],
    ['GET', '/managers'],
    ['POST', '/managers', { email: 'walk-m@x.example', first_name: 'W', last_name: 'M', role: 'team_manager', password: 'walk-pass-1' }],
    ['GET', '/portals'],
    ['PUT', '/portals/12', { name: 'Renamed' }],
    ['GET', '/audit'],
    ['PUT', '/me/settings', { language: 'de' }],
  ];
  const demoMarkers = ['demo.openassist.example', 'Support EU', 'Help Desk'];
  for (const [role, client] of Object.entries(clients)) {
    for (const [method, path, body] of routes) {
      const res = await client.call(method, path, body);
      assert.ok(
        [200, 201, 204, 400, 401, 403, 404, 409].includes(res.status),
        `${role} ${method} ${path}: ${res.status} ${res.text}`,
      );
      if (role === 'other') {
        for (const marker of demoMarkers)
          assert.ok(!res.text.includes(marker), `${role} ${method} ${path} leaked ${marker}: ${res.text}`);
      }
      if (role === 'technician' && path !== '/auth/me' && path !== '/me/settings')
        assert.equal(res.status, 403, `technician ${method} ${path}`);
      if (role === 'team' && ['/managers', '/portals', '/audit'].some((p) => path.startsWith(p)))
        assert.equal(res.status, 403, `team manager ${method} ${path}`);
      if (role === 'team' && method === 'GET' && path === '/teams') {
        const names = res.json.teams.map((t) => t.name).sort();
        assert.deepEqual(names, ['Support EU', 'Tier 2']);
      }
    }
  }
  const anon = await get(`${node.publicUrl}/api/v1/teams`);
  assert.equal(anon.status, 401);
});

test('the audit log records changes with before and after', async () => {
  const m = await login('manager', DEMO.manager);
  const team = await m.call('POST', '/teams', { name: 'Audited' });
  await m.call('PUT', `/teams/${team.json.id}`, { name: 'Audited Twice' });
  const audit = await m.call('GET', '/audit?limit=5');
  assert.equal(audit.status, 200);
  const update = audit.json.entries.find((e) => e.action === 'team.update' && e.target === `team/${team.json.id}`);
  assert.ok(update, JSON.stringify(audit.json.entries.slice(0, 3)));
  assert.equal(update.before.name, 'Audited');
  assert.equal(update.after.name, 'Audited Twice');
  assert.equal(update.actor, DEMO.manager[0]);
});

test('everything survives a restart', async () => {
  const m = await login('manager', DEMO.manager);
  await m.call('POST', '/teams', { name: 'Persistent' });
  await node.stop();
  node = await startNode({ dataDir: join(work, 'data'), args: ['--node.demo'] });
  const again = await login('manager', DEMO.manager);
  const names = (await again.call('GET', '/teams')).json.teams.map((t) => t.name);
  assert.ok(names.includes('Persistent'));
  await login('manager', OTHER);
});
