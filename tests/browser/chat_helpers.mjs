// Shared by the chat browser tests (docs/sessions.md): a customer whose
// request a technician has joined, the chat as each side shows it (the
// data-seq / data-from / data-pending / data-private of every line and its
// text), writing, waiting for lines, transcripts as downloaded, and a switch
// on the customer's WebSocket that can also lose frames in one direction.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { waitForAttribute } from './helpers.mjs';
import { SCREEN_NAMES, act, fields, showTab, waitForStatus } from './intake_helpers.mjs';

/** The chat on the customer's page. */
export const customerChat = (customer) => customer.page.getByTestId('chat');

/** The chat of a request in the technician's detail pane (there while the request is selected). */
export const consoleChat = (tech, id) =>
  tech.page.locator(`[data-testid=request-detail][data-request-id="${id}"] [data-testid=chat]`);

/**
 * The lines a chat shows, in order: {seq (null while not stored), from,
 * private, pending (null, 'sending' or 'failed'), text, time (ISO)}.
 */
export function shownLines(chat) {
  return chat.locator('[data-testid=chat-line]').evaluateAll((items) =>
    items.map((li) => ({
      seq: li.dataset.seq === undefined ? null : Number(li.dataset.seq),
      from: li.dataset.from,
      private: li.dataset.private === 'true',
      pending: li.dataset.pending ?? null,
      text: li.querySelector('[data-testid=chat-text]')?.textContent ?? '',
      time: li.querySelector('time')?.getAttribute('datetime') ?? '',
    })),
  );
}

/** `seq:text` of each line (private notes marked), for comparing two sides. */
export const summary = (lines) => lines.map((l) => `${l.seq}:${l.private ? '(private) ' : ''}${l.text}`);

/** Waits until the chat's lines satisfy `check(lines)`; resolves to them. */
export async function waitForLines(chat, check, what = 'the lines', timeout = 10_000) {
  const deadline = Date.now() + timeout;
  let lines = [];
  for (;;) {
    lines = await shownLines(chat).catch(() => []);
    if (check(lines)) return lines;
    if (Date.now() > deadline) throw new Error(`${what} never shown; the chat shows ${JSON.stringify(lines, null, 1)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits until a stored line (numbered, not pending) with this text is shown; resolves to it. */
export async function waitForLine(chat, text, timeout = 10_000) {
  const lines = await waitForLines(
    chat,
    (ls) => ls.some((l) => l.text === text && l.seq !== null && l.pending === null),
    `the line ${JSON.stringify(text)}`,
    timeout,
  );
  return lines.find((l) => l.text === text && l.seq !== null && l.pending === null);
}

/**
 * Writes a line and sends it (Enter, or the Send button with `button`), and
 * waits until it is stored (numbered on this side) unless `stored: false`.
 * Resolves to the line as shown.
 */
export async function say(chat, text, { button = false, stored = true } = {}) {
  const input = chat.getByTestId('chat-input');
  await input.fill(text);
  // A chat that is still catching up after a join or reconnect keeps the
  // text and does not send yet (Send is disabled): wait until it may.
  await waitForSendable(chat.getByTestId('chat-send'));
  if (button) await chat.getByTestId('chat-send').click();
  else await input.press('Enter');
  await waitForValueEmpty(input);
  return stored ? waitForLine(chat, text) : undefined;
}

async function waitForSendable(send, timeout = 10_000) {
  const deadline = Date.now() + timeout;
  while (!(await send.isEnabled())) {
    if (Date.now() > deadline) throw new Error('the chat never let the line be sent');
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function waitForValueEmpty(input, timeout = 10_000) {
  const deadline = Date.now() + timeout;
  while ((await input.inputValue()) !== '') {
    if (Date.now() > deadline) throw new Error('the chat input was not emptied by sending');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Each line exactly once: no seq twice, none pending, ascending. */
export function assertWellFormed(lines, who) {
  const seqs = lines.map((l) => l.seq);
  assert.ok(
    lines.every((l) => l.seq !== null && l.pending === null),
    `${who}: lines still pending ${JSON.stringify(lines)}`,
  );
  assert.deepEqual(seqs, [...new Set(seqs)].sort((a, b) => a - b), `${who}: each seq once, in order`);
}

/**
 * A customer on /p/demo/help whose request `tech` accepts (from the alert) and
 * joins in the console; resolves once both sides show the "joined" system line.
 * `before(customer)` runs after the page is open and before the form is sent.
 */
export async function joinedChat(intake, tech, name, { before } = {}) {
  const customer = await intake.customer('help', name);
  await before?.(customer);
  const id = await customer.submit(fields(name));
  await waitForStatus(customer, 'waiting');
  await tech.alert(id).waitFor();
  await tech.alert(id).getByTestId('alert-accept').click();
  await waitForAttribute(tech.row(id), 'data-status', 'assigned');
  await act(tech, id, 'join');
  await waitForStatus(customer, 'active');
  const joined = `${SCREEN_NAMES[tech.who]} joined the session`;
  const isJoined = (ls) => ls.some((l) => l.from === 'system' && l.text === joined && l.seq !== null);
  const chat = customerChat(customer);
  const desk = consoleChat(tech, id);
  await waitForLines(chat, isJoined, `"${joined}" on the customer's page`);
  await waitForLines(desk, isJoined, `"${joined}" in the console`);
  await waitForAttribute(chat, 'data-open', 'true');
  await waitForAttribute(desk, 'data-open', 'true');
  return { customer, id, chat, desk };
}

/** Selects a request in the technician's list (tab "all"); resolves to its chat. */
export async function selectRequest(tech, id) {
  await showTab(tech, 'all');
  await tech.row(id).click();
  await waitForAttribute(tech.row(id), 'aria-selected', 'true');
  const chat = consoleChat(tech, id);
  await chat.waitFor();
  return chat;
}

/** Clicks `trigger` and resolves to the file it downloads: {name, text}. */
export async function downloaded(page, trigger) {
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 15_000 }), trigger.click()]);
  const failure = await download.failure();
  assert.equal(failure, null, `download failed: ${failure}`);
  const text = await readFile(await download.path(), 'utf8');
  return { name: download.suggestedFilename(), text };
}

/**
 * The transcript (docs/sessions.md) the shown lines make:
 * `[YYYY-MM-DD HH:MM:SS UTC] Name: text`, system lines `* text`, private notes
 * `Name (private note): text`, continuation lines indented by four spaces.
 * `names` gives the name per `from` (customer lines do not show it on the page).
 */
export function transcriptOf(lines, names) {
  const rows = [];
  for (const l of lines) {
    const stamp = `[${l.time.slice(0, 19).replace('T', ' ')} UTC]`;
    const [first, ...more] = l.text.split('\n');
    const who = l.from === 'system' ? '*' : `${names[l.from]}${l.private ? ' (private note)' : ''}:`;
    rows.push(`${stamp} ${who} ${first}`, ...more.map((m) => `    ${m}`));
  }
  return rows;
}

/** A transcript's rows (without the final line break). */
export const rowsOf = (text) => text.replace(/\n$/, '').split('\n');

/**
 * A switch on the context's WebSockets to /ws/v1 (install it before the page
 * opens its socket). `drop()` closes them (on both sides) and refuses new ones
 * until `restore()`; `lose('toServer' | 'toPage')` makes the open ones lose
 * every frame in that direction (a connection that went silent) until the
 * next drop or restore; `hold(match)` keeps back the server's messages that
 * match until they are released (slow messages). Records
 * what the page was given (`received`) and how many connections were refused
 * while down (`refused`).
 */
export async function wire(context) {
  let up = true;
  const losing = { toServer: false, toPage: false };
  const routes = new Set();
  const state = { received: [], refused: 0 };
  let holding;
  await context.routeWebSocket(/\/ws\/v1(\?[^/]*)?$/, (ws) => {
    if (!up) {
      state.refused += 1;
      ws.close({ code: 4000, reason: 'test: network down' }).catch(() => {});
      return;
    }
    const server = ws.connectToServer();
    routes.add({ page: ws, server });
    ws.onMessage((message) => {
      if (!losing.toServer) server.send(message);
    });
    const give = (message) => {
      state.received.push(String(message));
      ws.send(message);
    };
    server.onMessage((frame) => {
      if (losing.toPage) return;
      // A batch (docs/websocket.md) goes to the page message by message, so
      // that each can be held or lost on its own.
      const parsed = JSON.parse(String(frame));
      for (const m of Array.isArray(parsed) ? parsed : [parsed]) {
        const message = JSON.stringify(m);
        if (holding?.match(m)) holding.held.push(() => give(message));
        else give(message);
      }
    });
  });
  return {
    get refused() {
      return state.refused;
    },
    /** The messages the page was given, parsed. */
    received: () => state.received.map((m) => JSON.parse(m)),
    lose(direction) {
      losing[direction] = true;
    },
    /**
     * Holds back the server's messages for which `match(message)` holds:
     * `held()` counts them, `release()` lets them through (and what follows).
     */
    hold(match) {
      const h = { match, held: [] };
      holding = h;
      return {
        held: () => h.held.length,
        release() {
          if (holding === h) holding = undefined;
          for (const send of h.held) send();
        },
      };
    },
    async drop() {
      up = false;
      const open = [...routes];
      routes.clear();
      const close = (side) => side.close({ code: 4000, reason: 'test: network down' }).catch(() => {});
      await Promise.all(open.flatMap(({ page, server }) => [close(server), close(page)]));
    },
    restore() {
      up = true;
      losing.toServer = false;
      losing.toPage = false;
    },
  };
}

/** Records the WebSocket messages a page receives (without routing them); install before the socket opens. */
export function recordFrames(page) {
  const frames = [];
  page.on('websocket', (ws) => {
    ws.on('framereceived', (frame) => frames.push(String(frame.payload)));
  });
  return {
    raw: () => [...frames],
    parsed: () =>
      frames.flatMap((f) => {
        try {
          const parsed = JSON.parse(f);
          return Array.isArray(parsed) ? parsed : [parsed]; // a batch
        } catch {
          return [];
        }
      }),
  };
}
