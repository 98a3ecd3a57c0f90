// The request this tab follows, per portal, in sessionStorage: it survives a
// reload but not the closing of the tab. Its chat is kept there too, so that
// a reload shows it at once and asks the server only for newer lines.
import {
  emptyChat,
  lineOf,
  withConnectionLost,
  withLines,
  type ChatState,
  type PendingLine,
} from '../shared/chat';

export interface StoredRequest {
  request_id: string;
  token: string;
}

const key = (account: string, slug: string) => `openassist.request.${account}/${slug}`;
const chatKey = (account: string, slug: string) => `openassist.chat.${account}/${slug}`;

export function loadRequest(account: string, slug: string): StoredRequest | undefined {
  try {
    const raw = sessionStorage.getItem(key(account, slug));
    if (raw === null) return undefined;
    const value: unknown = JSON.parse(raw);
    if (typeof value !== 'object' || value === null) return undefined;
    const { request_id, token } = value as Record<string, unknown>;
    const idOk = typeof request_id === 'string' || typeof request_id === 'number';
    if (!idOk || typeof token !== 'string') return undefined;
    return { request_id: String(request_id), token };
  } catch {
    return undefined; // storage disabled or damaged
  }
}

export function saveRequest(account: string, slug: string, request: StoredRequest): void {
  try {
    sessionStorage.setItem(key(account, slug), JSON.stringify(request));
  } catch {
    // storage disabled: the request is followed until the page reloads
  }
}

export function clearRequest(account: string, slug: string): void {
  try {
    sessionStorage.removeItem(key(account, slug));
    sessionStorage.removeItem(chatKey(account, slug));
  } catch {
    // storage disabled
  }
}

interface StoredChat {
  request_id: string;
  lines: unknown[];
  pending: PendingLine[];
}

function pendingOf(value: unknown): PendingLine | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const p = value as Partial<PendingLine>;
  if (typeof p.client_id !== 'string' || typeof p.text !== 'string') return undefined;
  const seq = typeof p.seq === 'number' && p.seq > 0 ? p.seq : undefined;
  const acked = p.acked === true && seq !== undefined;
  return {
    client_id: p.client_id,
    text: p.text,
    private: false,
    time: typeof p.time === 'number' ? p.time : Date.now(),
    afterSeq: typeof p.afterSeq === 'number' ? p.afterSeq : 0,
    state: p.state === 'failed' ? 'failed' : 'sending',
    seq,
    acked,
    error: typeof p.error === 'string' ? p.error : undefined,
  };
}

/** The chat of this request as this tab last saw it; what was being sent is "not sent" now. */
export function loadChat(account: string, slug: string, requestId: string): ChatState | undefined {
  try {
    const raw = sessionStorage.getItem(chatKey(account, slug));
    if (raw === null) return undefined;
    const value = JSON.parse(raw) as Partial<StoredChat> | null;
    if (!value || String(value.request_id) !== requestId) return undefined;
    const lines = (Array.isArray(value.lines) ? value.lines : []).flatMap((l) => lineOf(l) ?? []);
    const pending = (Array.isArray(value.pending) ? value.pending : []).flatMap((p) => pendingOf(p) ?? []);
    const chat = withLines(emptyChat(), lines, () => false);
    return withConnectionLost({ ...chat, pending });
  } catch {
    return undefined; // storage disabled or damaged
  }
}

export function saveChat(account: string, slug: string, requestId: string, chat: ChatState): void {
  const value: StoredChat = { request_id: requestId, lines: chat.lines, pending: chat.pending };
  try {
    sessionStorage.setItem(chatKey(account, slug), JSON.stringify(value));
  } catch {
    // Storage disabled or full: what is stored is older but still right (a
    // reload asks for every line after it).
  }
}
