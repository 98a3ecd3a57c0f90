// What the dashboards' integration tests share (docs/dashboards.md): the error
// and Monitor shapes, watching a monitor on a manager's socket, and the rows a
// client has been sent.
import assert from 'node:assert/strict';
import { Client, managerCall } from './intake.mjs';

const TWELVE_HOURS = 12 * 60 * 60 * 1000;

/** Asserts an error answer: status, {"error":{"code","message"}} and, if given, the field it names. */
export function assertError(res, status, code, field, what = '') {
  const label = `${what} ${res.status} ${res.text}`;
  assert.equal(res.status, status, label);
  assert.ok(res.json && typeof res.json.error === 'object', `error body: ${label}`);
  assert.equal(res.json.error.code, code, label);
  assert.equal(typeof res.json.error.message, 'string', label);
  assert.ok(res.json.error.message.length > 0, `a message: ${label}`);
  if (field !== undefined) assert.equal(res.json.error.field, field, `names the field: ${label}`);
}

/** Asserts a Monitor as docs/dashboards.md describes it. */
export function assertMonitor(m, { name, kind, createdBy }) {
  assert.deepEqual(
    Object.keys(m).sort(),
    ['created_by', 'id', 'kind', 'name', 'running', 'started_at', 'stops_at'],
    JSON.stringify(m),
  );
  assert.ok(m.id !== undefined && m.id !== null && String(m.id) !== '', JSON.stringify(m));
  if (name !== undefined) assert.equal(m.name, name);
  if (kind !== undefined) assert.equal(m.kind, kind);
  if (createdBy !== undefined) assert.equal(String(m.created_by), String(createdBy), JSON.stringify(m));
  assert.equal(typeof m.started_at, 'number');
  assert.ok(Math.abs(m.started_at - Date.now()) < 5 * 60_000, `started_at is Unix ms: ${m.started_at}`);
  assert.equal(m.stops_at, m.started_at + TWELVE_HOURS, 'stops_at = started_at + 12 h');
  assert.equal(m.running, true);
}

/** Sends a command and waits (generously) for its answer: a refused watch may take a moment. */
export async function commandWithin(client, type, fields, timeoutMs) {
  const id = client.nextId++;
  const from = client.messages.length;
  client.send({ type, id, ...fields });
  const started = Date.now();
  const answer = await client.waitFor((m) => m.id === id, timeoutMs, { fromIndex: from });
  answer.ms = Date.now() - started;
  return answer;
}

export async function watch(client, monitorId, timeoutMs = 20_000) {
  return commandWithin(client, 'dashboard.watch', { monitor_id: String(monitorId) }, timeoutMs);
}

/** A watch that must be refused with `code`. */
export async function assertWatchRefused(client, monitorId, code, what) {
  const answer = await watch(client, monitorId);
  assert.equal(answer.type, 'error', `${what}: ${JSON.stringify(answer)}`);
  assert.equal(answer.error.code, code, `${what}: answered after ${answer.ms} ms: ${JSON.stringify(answer)}`);
  assert.equal(typeof answer.error.message, 'string', `${what}: ${JSON.stringify(answer)}`);
}

export async function assertPing(client, what) {
  const pong = await client.command('ping');
  assert.equal(pong.type, 'pong', `${what}: the connection still answers a ping: ${JSON.stringify(pong)}`);
}

export const isUpdate = (monitorId) => (m) => m.type === 'dashboard.update' && m.monitor_id === String(monitorId);

/** The newest row with this key a client has been sent for a monitor (state then updates), or undefined. */
export function latestRow(client, monitorId, key) {
  let row;
  for (const m of client.messages) {
    if (m.monitor_id !== String(monitorId)) continue;
    if (m.type === 'dashboard.state') row = m.rows.find((r) => r.key === key);
    if (m.type === 'dashboard.update') {
      const changed = m.rows.find((r) => r.key === key);
      if (changed) row = changed;
      if (m.removed?.includes(key)) row = undefined;
    }
  }
  return row;
}

/**
 * The calls that need the node (`getNode()`, read at each call: the node
 * starts in the test's before hook); sockets opened go to `track` so the test
 * can close them.
 */
export function dashboardCalls(getNode, track) {
  const call = (session, method, path, body) => managerCall(getNode(), session, method, path, body);
  return {
    call,
    async createMonitor(session, name, kind) {
      const res = await call(session, 'POST', '/monitors', { name, kind });
      assert.equal(res.status, 201, `POST /monitors ${name} ${kind}: ${res.status} ${res.text}`);
      return res.json;
    },
    async listMonitors(session) {
      const res = await call(session, 'GET', '/monitors');
      assert.equal(res.status, 200, res.text);
      assert.ok(Array.isArray(res.json.monitors), res.text);
      return res.json.monitors;
    },
    /** A manager's Management Center socket (the login cookie). */
    async managerSocket(session) {
      return track(await new Client(getNode().wsUrl, { Cookie: session.cookie }).open());
    },
    intakeUrl: (slug) => `${getNode().publicUrl}/api/v1/public/portals/demo/${slug}/requests`,
  };
}
