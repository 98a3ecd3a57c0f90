// Clients of intake for tests and benchmarks: a technician console and a
// customer, over the real HTTP API and WebSocket (docs/intake.md).
import { WebSocket, get, sleep } from './node.mjs';

export const DEMO_TECH_PASSWORD = 'demo-tech-1';
export const DEMO_MANAGER = ['manager@demo.openassist.example', 'demo-manager-1'];

export function post(url, body, headers = {}) {
  return get(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

/** Logs in and returns {cookie, csrf}. */
export async function login(node, kind, email, password) {
  const res = await fetch(`${node.publicUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ kind, email, password }),
  });
  const body = await res.json();
  if (res.status !== 200) throw new Error(`login ${email}: ${res.status} ${JSON.stringify(body)}`);
  const cookie = res.headers.get('set-cookie').split(';')[0];
  return { cookie, csrf: body.csrf_token };
}

/** A manager's authenticated JSON call. */
export async function managerCall(node, session, method, path, body) {
  return get(`${node.publicUrl}/api/v1${path}`, {
    method,
    headers: {
      'Content-Type': 'application/json',
      Cookie: session.cookie,
      'X-CSRF-Token': session.csrf,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** A WebSocket that collects every message and lets tests wait for one. */
export class Client {
  constructor(url, headers = {}) {
    this.url = url;
    this.headers = headers;
    this.messages = [];
    this.waiters = [];
    this.nextId = 1;
  }

  async open() {
    this.ws = new WebSocket(this.url, { headers: this.headers });
    this.closed = new Promise((r) => this.ws.on('close', (code) => r(code)));
    this.frames = 0;
    this.batches = 0;
    this.ws.on('message', (data, isBinary) => {
      if (isBinary) return; // screen frames: tests read them themselves
      const parsed = JSON.parse(data.toString());
      this.frames += 1;
      // A batch (a client that asked with ?batch=1): its messages in order.
      if (Array.isArray(parsed)) this.batches += 1;
      for (const msg of Array.isArray(parsed) ? parsed : [parsed]) {
        this.messages.push(msg);
        for (const w of [...this.waiters]) {
          if (w.pred(msg)) {
            this.waiters.splice(this.waiters.indexOf(w), 1);
            w.resolve(msg);
          }
        }
      }
    });
    await new Promise((resolve, reject) => {
      this.ws.once('open', resolve);
      this.ws.once('error', reject);
    });
    await this.waitFor((m) => m.type === 'welcome');
    return this;
  }

  send(msg) {
    this.ws.send(JSON.stringify(msg));
  }

  /** Resolves with the first message (already received or future) matching. */
  waitFor(pred, timeoutMs = 10_000, { fromIndex = 0 } = {}) {
    const seen = this.messages.slice(fromIndex).find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const w = { pred, resolve };
      this.waiters.push(w);
      setTimeout(() => {
        const i = this.waiters.indexOf(w);
        if (i >= 0) {
          this.waiters.splice(i, 1);
          reject(new Error(`${this.url}: no matching message within ${timeoutMs} ms; got ${JSON.stringify(this.messages.slice(-5))}`));
        }
      }, timeoutMs);
    });
  }

  /** Waits for a message that arrives from now on. */
  next(pred, timeoutMs = 10_000) {
    return this.waitFor(pred, timeoutMs, { fromIndex: this.messages.length });
  }

  /** Sends a command with an id; resolves with its ack or error message. */
  async command(type, fields = {}) {
    const id = this.nextId++;
    const from = this.messages.length;
    this.send({ type, id, ...fields });
    return this.waitFor((m) => m.id === id, 10_000, { fromIndex: from });
  }

  close() {
    this.ws.close();
  }

  /** Cuts the TCP connection without a close handshake. */
  drop() {
    this.ws.terminate();
  }
}

/** A technician's console: logged in, attached, state received. */
export async function openConsole(node, email, password = DEMO_TECH_PASSWORD) {
  const session = await login(node, 'technician', email, password);
  const c = new Client(node.wsUrl, { Cookie: session.cookie });
  c.session = session;
  await c.open();
  const state = await c.command('console.hello');
  if (state.type !== 'console.state') throw new Error(`console.hello: ${JSON.stringify(state)}`);
  c.state = state;
  return c;
}

/** The latest view of a request a console has seen. */
export function latestRequest(client, id) {
  for (let i = client.messages.length - 1; i >= 0; i--) {
    const m = client.messages[i];
    if (m.type === 'request.updated' && m.request.id === id) return m.request;
    if (m.type === 'console.state') {
      const r = m.requests.find((x) => x.id === id);
      if (r) return r;
    }
  }
  return undefined;
}

/** A customer: submits a request and follows it over the WebSocket. */
export async function openCustomer(node, account, slug, body, headers = {}) {
  const res = await post(`${node.publicUrl}/api/v1/public/portals/${account}/${slug}/requests`, body, headers);
  if (res.status !== 201) {
    const err = new Error(`intake: ${res.status} ${res.text}`);
    err.response = res;
    throw err;
  }
  const c = new Client(node.wsUrl);
  c.request = res.json;
  c.account = account;
  await c.open();
  const state = await c.command('customer.attach', {
    account,
    request_id: res.json.request_id,
    token: res.json.token,
  });
  if (state.type !== 'request.state') throw new Error(`attach: ${JSON.stringify(state)}`);
  return c;
}

export function customerFields(name) {
  return { name, email: `${name.toLowerCase().replace(/[^a-z]/g, '')}@example.com`, problem: `${name} needs help` };
}

/** Polls `fn` until it returns a truthy value. */
export async function eventually(fn, timeoutMs = 10_000, what = 'condition') {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}
