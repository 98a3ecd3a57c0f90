// A session's chat as one page holds it (docs/sessions.md): the stored lines
// in seq order, each exactly once, plus the lines this page is sending. Pure
// functions on an immutable state, the same for the customer page (one chat)
// and the technician console (one per request).
import { sameId, type Id } from './api';
import { fileOf, type ChatFile } from './files';

/** Texts are limited to this many characters (code points, see `chatChars`) by the server. */
export const MAX_CHAT_TEXT = 4000;

/**
 * Characters as the server counts them: code points, so an emoji is one
 * (`text.length` counts UTF-16 units, two for it).
 */
export function chatChars(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i += 1) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i += 1;
    }
    n += 1;
  }
  return n;
}

export type ChatFrom = 'customer' | 'technician' | 'system';

/** A stored chat line (`Line` in docs/sessions.md). */
export interface ChatLine {
  seq: number;
  /** Server time, ms. */
  time: number;
  from: ChatFrom | string;
  name: string;
  technician_id: Id;
  text: string;
  private: boolean;
  /** A file sent in the chat (`text` is its name then). */
  file?: ChatFile;
  /**
   * A system line's code (docs/sessions.md, "System lines"): shown in the
   * reader's language with `params`; `text` is the English wording (and all
   * that lines stored before codes have).
   */
  code?: string;
  params?: Record<string, string>;
}

/** Whether the customer's page is in the session (`session.presence`, consoles only). */
export interface CustomerPresence {
  here: boolean;
  /** Since when (server time, ms); 0 when the page was not seen since the session started on its node. */
  since: number;
  /** Screen sharing ended because the page went. */
  screenEnded: boolean;
}

/**
 * A line this page sent (or tries to). `seq` is set by its `chat.ack`
 * (`acked`), or tentatively when a line of ours with the same text arrived
 * before the ack: the server does not echo `client_id` in `chat.line`.
 */
export interface PendingLine {
  client_id: string;
  text: string;
  private: boolean;
  /** Local time, ms, when it was written. */
  time: number;
  /** The highest seq this page had when it was written: only later lines can be it. */
  afterSeq: number;
  state: 'sending' | 'failed';
  seq?: number;
  acked: boolean;
  /** Why the server refused it, in the user's language. */
  error?: string;
}

export interface RemoteTyping {
  from: string;
  name: string;
  /** Local time, ms, after which the indicator goes even without a `typing: false`. */
  until: number;
}

export interface ChatState {
  /** Stored lines, ascending by seq, no seq twice. */
  lines: ChatLine[];
  pending: PendingLine[];
  /** The highest seq among `lines` (0 without lines): what `chat.resume` asks after. */
  lastSeq: number;
  /** A `chat.synced` arrived on the current connection. */
  synced: boolean;
  typing?: RemoteTyping;
  /** The customer's presence as the session last told it. */
  presence?: CustomerPresence;
}

export const emptyChat = (): ChatState => ({ lines: [], pending: [], lastSeq: 0, synced: false });

/** Whose lines count as "mine" (to match them with pending ones). */
export type IsOwn = (line: ChatLine) => boolean;

/** A `Line` as received, or undefined when it is not one. */
export function lineOf(value: unknown): ChatLine | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const seq = typeof v.seq === 'number' ? v.seq : Number(v.seq);
  if (!Number.isInteger(seq) || seq <= 0 || typeof v.text !== 'string') return undefined;
  const technician = v.technician_id;
  const file = fileOf(v.file);
  const params = paramsOf(v.params);
  return {
    seq,
    time: typeof v.time === 'number' ? v.time : Date.now(),
    from: typeof v.from === 'string' ? v.from : 'system',
    name: typeof v.name === 'string' ? v.name : '',
    technician_id: typeof technician === 'string' || typeof technician === 'number' ? technician : 0,
    text: v.text,
    private: v.private === true,
    ...(file ? { file } : {}),
    ...(typeof v.code === 'string' && v.code !== '' ? { code: v.code, params } : {}),
  };
}

/** A system line's parameters: string values only. */
function paramsOf(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof value !== 'object' || value === null) return out;
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) if (typeof v === 'string') out[key] = v;
  return out;
}

/** A `session.presence` message's news, or undefined when it is not one. */
export function presenceOf(message: Record<string, unknown>): CustomerPresence | undefined {
  if (message.customer !== 'here' && message.customer !== 'gone') return undefined;
  const since = typeof message.since === 'number' && Number.isFinite(message.since) ? message.since : 0;
  return { here: message.customer === 'here', since, screenEnded: message.screen_ended === true };
}

export function withPresence(state: ChatState, presence: CustomerPresence): ChatState {
  return { ...state, presence };
}

/** A fresh client_id (unique in this tab; crypto.randomUUID needs a secure context). */
export function newClientId(): string {
  const bytes = new Uint8Array(8);
  crypto.getRandomValues(bytes);
  return `c${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** The text to send: no blank lines in front, no white space at the end; '' means nothing to send. */
export function sendableText(text: string): string {
  return text.replace(/^(?:[ \t]*\r?\n)+/, '').trimEnd();
}

/** A file line is never a text line being sent, even with the same text. */
const samePending = (p: PendingLine, line: ChatLine) =>
  p.seq === undefined && !line.file && p.text === line.text && p.private === line.private && p.afterSeq < line.seq;

/**
 * With `incoming` lines merged in (each seq once; a line already there is
 * kept). A new line of ours settles the pending line it is: by the seq its ack
 * named, else the oldest unmatched one with the same text (tentatively while it
 * is still being sent, for good when it was marked as failed: it did arrive).
 */
export function withLines(state: ChatState, incoming: readonly ChatLine[], isOwn: IsOwn): ChatState {
  const known = new Set(state.lines.map((l) => l.seq));
  const fresh: ChatLine[] = [];
  for (const line of incoming) {
    if (known.has(line.seq)) continue;
    known.add(line.seq);
    fresh.push(line);
  }
  if (fresh.length === 0) return state;
  fresh.sort((a, b) => a.seq - b.seq);
  const inOrder = state.lines.length === 0 || fresh[0].seq > state.lastSeq;
  const lines = inOrder ? [...state.lines, ...fresh] : [...state.lines, ...fresh].sort((a, b) => a.seq - b.seq);

  let pending = state.pending;
  for (const line of fresh) {
    const bySeq = pending.find((p) => p.seq === line.seq);
    if (bySeq) {
      if (bySeq.acked) pending = pending.filter((p) => p !== bySeq);
      continue;
    }
    if (!isOwn(line)) continue;
    const match = pending.find((p) => samePending(p, line));
    if (!match) continue;
    pending =
      match.state === 'failed'
        ? pending.filter((p) => p !== match)
        : pending.map((p) => (p === match ? { ...p, seq: line.seq } : p));
  }

  let typing = state.typing;
  if (typing && fresh.some((l) => l.from === typing?.from)) typing = undefined;
  return { ...state, lines, pending, lastSeq: lines[lines.length - 1].seq, typing };
}

/** After `chat.ack`: the pending line is stored as `seq`. */
export function withAck(state: ChatState, clientId: string, seq: number): ChatState {
  const target = state.pending.find((p) => p.client_id === clientId);
  if (!target) return state;
  const stored = state.lines.some((l) => l.seq === seq);
  const pending = state.pending.flatMap((p): PendingLine[] => {
    if (p === target) return stored ? [] : [{ ...p, seq, acked: true, state: 'sending', error: undefined }];
    // Another pending line was matched with this seq by its text: it is still unsent.
    if (p.seq === seq && !p.acked) return [{ ...p, seq: undefined }];
    return [p];
  });
  return { ...state, pending };
}

export function withPending(state: ChatState, line: PendingLine): ChatState {
  return { ...state, pending: [...state.pending, line] };
}

/** The server refused it (or it could not be sent): shown as not sent, with a retry. */
export function withFailed(state: ChatState, clientId: string, error?: string): ChatState {
  if (!state.pending.some((p) => p.client_id === clientId && !p.acked)) return state;
  return {
    ...state,
    pending: state.pending.map((p) =>
      p.client_id === clientId && !p.acked ? { ...p, state: 'failed', seq: undefined, error } : p,
    ),
  };
}

/** Sent again (with the same client_id). */
export function withRetry(state: ChatState, clientId: string): ChatState {
  return {
    ...state,
    pending: state.pending.map((p) =>
      p.client_id === clientId && !p.acked ? { ...p, state: 'sending', error: undefined } : p,
    ),
  };
}

export function withoutPending(state: ChatState, clientId: string): ChatState {
  return { ...state, pending: state.pending.filter((p) => p.client_id !== clientId) };
}

/**
 * The connection is gone: acks for what was in flight will never come. A line
 * already seen in the chat counts as sent; the others are "not sent" (retry by hand).
 */
export function withConnectionLost(state: ChatState): ChatState {
  const pending = state.pending.flatMap((p): PendingLine[] => {
    if (p.acked || p.state === 'failed') return [p];
    if (p.seq !== undefined) return [];
    return [{ ...p, state: 'failed' }];
  });
  // The session tells the presence again when the chat is resumed.
  return { ...state, pending, synced: false, typing: undefined, presence: undefined };
}

export function withSynced(state: ChatState): ChatState {
  return state.synced ? state : { ...state, synced: true };
}

/** After `chat.typing` from the other side (an indicator lasts at most `TYPING_SHOWN_MS` without news). */
export const TYPING_SHOWN_MS = 8000;

export function withTyping(state: ChatState, from: string, name: string, typing: boolean): ChatState {
  if (!typing) return state.typing?.from === from ? { ...state, typing: undefined } : state;
  return { ...state, typing: { from, name, until: Date.now() + TYPING_SHOWN_MS } };
}

/** Who this page is, for showing its pending lines. */
export interface ChatSelf {
  from: ChatFrom;
  name: string;
  technician_id: Id;
}

/** One line as shown: a stored one, or one of ours not (known to be) stored yet. */
export interface ShownLine extends ChatLine {
  key: string;
  /** Unset for stored lines; `sending` or `failed` for ours. */
  pending?: 'sending' | 'failed';
  client_id?: string;
  error?: string;
}

/**
 * What the chat shows: the stored lines by seq, with our acknowledged lines
 * whose `chat.line` is still to come at their seq, then our unsent lines in
 * the order they were written.
 */
export function shownLines(state: ChatState, self: ChatSelf): ShownLine[] {
  const have = new Set(state.lines.map((l) => l.seq));
  const mine = (p: PendingLine) => ({
    time: p.time,
    from: self.from,
    name: self.name,
    technician_id: self.technician_id,
    text: p.text,
    private: p.private,
    client_id: p.client_id,
  });
  const stored: ShownLine[] = state.lines.map((l) => ({ ...l, key: `s${l.seq}` }));
  const acked = state.pending
    .filter((p) => p.acked && p.seq !== undefined && !have.has(p.seq))
    .map((p): ShownLine => ({ ...mine(p), seq: p.seq!, key: `s${p.seq}` }));
  const merged = acked.length === 0 ? stored : [...stored, ...acked].sort((a, b) => a.seq - b.seq);
  const unsent = state.pending
    .filter((p) => !p.acked && !(p.seq !== undefined && have.has(p.seq)))
    .map((p): ShownLine => ({ ...mine(p), seq: 0, key: `p${p.client_id}`, pending: p.state, error: p.error }));
  return [...merged, ...unsent];
}

/** Own lines: the customer's on the customer page. */
export const customerIsOwn: IsOwn = (line) => line.from === 'customer';

/** Own lines: this technician's in the console. */
export const technicianIsOwn =
  (me: Id): IsOwn =>
  (line) =>
    line.from === 'technician' && sameId(line.technician_id, me);

// Command ids: the answers to chat commands (errors) carry them back.

const SEND = 'chat.send:';
const RESUME = 'chat.resume:';
/** Errors for typing notices are of no interest: one id for all of them. */
export const TYPING_ID = 'chat.typing';

export const sendId = (clientId: string) => `${SEND}${clientId}`;
export const resumeId = (requestId: string) => `${RESUME}${requestId}`;

/** What a chat command id names: the client_id of a send, the request of a resume. */
export function chatCommandOf(
  id: unknown,
): { kind: 'send'; clientId: string } | { kind: 'resume'; requestId: string } | { kind: 'typing' } | undefined {
  if (typeof id !== 'string') return undefined;
  if (id.startsWith(SEND)) return { kind: 'send', clientId: id.slice(SEND.length) };
  if (id.startsWith(RESUME)) return { kind: 'resume', requestId: id.slice(RESUME.length) };
  if (id === TYPING_ID) return { kind: 'typing' };
  return undefined;
}

/** The seq a message carries (`chat.ack`'s, `chat.synced`'s `last_seq`), or undefined. */
export function seqOf(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}
