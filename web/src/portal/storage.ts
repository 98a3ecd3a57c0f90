// The request this tab follows, per portal, in sessionStorage: it survives a
// reload but not the closing of the tab. Its chat is kept there too, so that
// a reload shows it at once and asks the server only for newer lines.
//
// While the request is open it is also remembered in this browser
// (localStorage), so that a new tab on the portal resumes it instead of
// showing an empty form. That entry goes as soon as the request is over
// (also when it can still be rated: a shared computer does not show the next
// person the chat), when the server no longer knows it, and with "not you?
// start a new request". The chat's lines never go to localStorage.
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
const browserKey = (account: string, slug: string) => `openassist.resume.${account}/${slug}`;

function requestOf(raw: string | null): StoredRequest | undefined {
  if (raw === null) return undefined;
  const value: unknown = JSON.parse(raw);
  if (typeof value !== 'object' || value === null) return undefined;
  const { request_id, token } = value as Record<string, unknown>;
  const idOk = typeof request_id === 'string' || typeof request_id === 'number';
  if (!idOk || typeof token !== 'string' || token === '') return undefined;
  return { request_id: String(request_id), token };
}

/** The request this tab follows. */
export function loadRequest(account: string, slug: string): StoredRequest | undefined {
  try {
    return requestOf(sessionStorage.getItem(key(account, slug)));
  } catch {
    return undefined; // storage disabled or damaged
  }
}

/** The open request this browser remembers for the portal (started or resumed in another tab). */
export function loadBrowserRequest(account: string, slug: string): StoredRequest | undefined {
  try {
    return requestOf(localStorage.getItem(browserKey(account, slug)));
  } catch {
    return undefined; // storage disabled or damaged
  }
}

/** Follows the request in this tab and remembers it in this browser while it is open. */
export function saveRequest(account: string, slug: string, request: StoredRequest): void {
  const value = JSON.stringify({ request_id: request.request_id, token: request.token });
  try {
    sessionStorage.setItem(key(account, slug), value);
  } catch {
    // storage disabled: the request is followed until the page reloads
  }
  try {
    localStorage.setItem(browserKey(account, slug), value);
  } catch {
    // storage disabled: only this tab follows the request
  }
}

/** This browser no longer resumes the request (it is over, or unknown); the tab keeps following it. */
export function forgetInBrowser(account: string, slug: string, requestId: string): void {
  try {
    // Only this request's entry: another tab may have started a newer one.
    if (loadBrowserRequest(account, slug)?.request_id === requestId)
      localStorage.removeItem(browserKey(account, slug));
  } catch {
    // storage disabled
  }
}

/** Forgets the request in this tab and in this browser. */
export function clearRequest(account: string, slug: string): void {
  const followed = loadRequest(account, slug);
  try {
    sessionStorage.removeItem(key(account, slug));
    sessionStorage.removeItem(chatKey(account, slug));
  } catch {
    // storage disabled
  }
  try {
    const remembered = loadBrowserRequest(account, slug);
    if (!followed || !remembered || remembered.request_id === followed.request_id)
      localStorage.removeItem(browserKey(account, slug));
  } catch {
    // storage disabled
  }
}

/**
 * A resume link's request (`#request=<id>&token=<token>`, from the
 * confirmation mail): the id and token ride in the fragment, which the
 * browser never sends to the server.
 */
export function requestFromHash(hash: string): StoredRequest | undefined {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const id = params.get('request') ?? '';
  const token = params.get('token') ?? '';
  if (!/^\d{1,18}$/.test(id) || !/^[A-Za-z0-9_-]{16,128}$/.test(token)) return undefined;
  return { request_id: id, token };
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
