// The chats the console holds (docs/sessions.md), one per request: loaded
// (resumed) when the technician opens a request and for every active request
// of theirs, resumed again after every reconnect with the last seq each has.
// Also counts the customer's lines the technician has not seen yet.
import { useRef, useState } from 'preact/hooks';
import type { Id } from '../shared/api';
import {
  chatCommandOf,
  emptyChat,
  lineOf,
  newClientId,
  presenceOf,
  resumeId,
  sendId,
  seqOf,
  technicianIsOwn,
  TYPING_ID,
  withAck,
  withConnectionLost,
  withFailed,
  withLines,
  withPending,
  withPresence,
  withRetry,
  withSynced,
  withTyping,
  type ChatState,
} from '../shared/chat';
import { socketErrorText } from '../shared/errors';
import { useI18n } from '../shared/i18n';
import type { ClientMessage, ServerMessage } from '../shared/socket';
import { collaboratorOf, hasTechnician, sameId, type SupportRequest } from './api';

export const CHAT_ERROR_PREFIXES = ['chat.error.', 'console.error.', 'error.'];

/** Requests whose chat can be read: there is (or was) a session. */
export const hasChat = (r: SupportRequest) => r.status === 'active' || r.status === 'closed' || r.status === 'abandoned';

/**
 * Active sessions I am in, as their technician or as a colleague
 * (docs/sessions.md, "Collaboration"): their chats are followed all the time.
 */
export const isMyActive = (r: SupportRequest, me: Id) =>
  r.status === 'active' && ((hasTechnician(r) && sameId(r.technician_id, me)) || collaboratorOf(r, me) !== undefined);

const READ_KEY = 'openassist.console.read';
const RESUME_RETRY_MS = 3000;
const TRANSIENT = new Set(['unavailable', 'storage_unavailable', 'busy', 'timeout']);

function loadRead(): Record<string, number> {
  try {
    const value: unknown = JSON.parse(sessionStorage.getItem(READ_KEY) ?? '{}');
    return typeof value === 'object' && value !== null ? (value as Record<string, number>) : {};
  } catch {
    return {};
  }
}

function saveRead(read: Record<string, number>): void {
  try {
    sessionStorage.setItem(READ_KEY, JSON.stringify(read));
  } catch {
    // storage disabled: unread counts start again after a reload
  }
}

export interface ChatError {
  text: string;
  code?: string;
}

export interface ConsoleChats {
  get: (requestId: string) => ChatState | undefined;
  /** The customer's lines after the last one the technician saw. */
  unread: (requestId: string) => number;
  markRead: (requestId: string) => void;
  /**
   * Handles a chat message: undefined when it is not one; `error` when the
   * server refused a chat command the user should hear about.
   */
  handle: (message: ServerMessage) => { error?: ChatError } | undefined;
  /** Loads the chat (once; a reconnect resumes it by itself). */
  open: (requestId: string) => void;
  /** After `console.state`: resumes every loaded chat still listed and every active request of mine. */
  resumeAll: (requests: readonly SupportRequest[], me: Id) => void;
  /** The connection dropped (or a new one starts). */
  lost: () => void;
  send: (requestId: string, text: string, isPrivate: boolean) => void;
  retry: (requestId: string, clientId: string) => void;
  typing: (requestId: string, typing: boolean) => void;
  draft: (requestId: string) => string;
  setDraft: (requestId: string, text: string) => void;
}

export function useConsoleChats(transport: (message: ClientMessage) => boolean): ConsoleChats {
  const { t } = useI18n();
  const [, setVersion] = useState(0);
  const stores = useRef(new Map<string, ChatState>());
  /** Requests whose chat this console has asked for. */
  const loaded = useRef(new Set<string>());
  const read = useRef<Record<string, number>>();
  if (read.current === undefined) read.current = loadRead();
  const drafts = useRef(new Map<string, string>());
  /** Who "me" is, from the last `console.state`. */
  const meRef = useRef<Id>();

  const update = (requestId: string, change: (state: ChatState) => ChatState) => {
    const before = stores.current.get(requestId) ?? emptyChat();
    const after = change(before);
    if (after === before && stores.current.has(requestId)) return;
    stores.current.set(requestId, after);
    setVersion((v) => v + 1);
  };

  const resume = (requestId: string) => {
    loaded.current.add(requestId);
    const after = stores.current.get(requestId)?.lastSeq ?? 0;
    transport({ type: 'chat.resume', request_id: requestId, after_seq: after, id: resumeId(requestId) });
  };

  const isOwn = (line: Parameters<ReturnType<typeof technicianIsOwn>>[0]) =>
    meRef.current !== undefined && technicianIsOwn(meRef.current)(line);

  const requestOf = (message: ServerMessage) =>
    message.request_id === undefined || message.request_id === null ? undefined : String(message.request_id);

  const withClient = (clientId: string) => {
    for (const [requestId, state] of stores.current)
      if (state.pending.some((p) => p.client_id === clientId)) return requestId;
    return undefined;
  };

  const handle: ConsoleChats['handle'] = (message) => {
    switch (message.type) {
      case 'chat.line': {
        const requestId = requestOf(message);
        const line = lineOf(message.line);
        if (requestId !== undefined && line) update(requestId, (c) => withLines(c, [line], isOwn));
        return {};
      }
      case 'chat.ack': {
        const seq = seqOf(message.seq);
        const clientId = message.client_id;
        if (typeof clientId !== 'string' || seq === undefined || seq <= 0) return {};
        const requestId = requestOf(message) ?? withClient(clientId);
        if (requestId !== undefined) update(requestId, (c) => withAck(c, clientId, seq));
        return {};
      }
      case 'chat.synced': {
        const requestId = requestOf(message);
        if (requestId !== undefined) update(requestId, withSynced);
        return {};
      }
      case 'chat.revoked': {
        // No longer in the session (transfer, hand-over, leave): what arrived
        // as a member is dropped.
        const requestId = requestOf(message);
        if (requestId !== undefined) {
          const wasOpen = loaded.current.delete(requestId);
          stores.current.delete(requestId);
          setVersion((v) => v + 1);
          // Read on as any technician who sees the request may: without
          // private notes (the server refuses if not even that is allowed).
          if (wasOpen) resume(requestId);
        }
        return {};
      }
      case 'session.presence': {
        // Whether the customer's page is there (shown by Presence.tsx).
        const requestId = requestOf(message);
        const presence = presenceOf(message);
        if (requestId !== undefined && presence) update(requestId, (c) => withPresence(c, presence));
        return {};
      }
      case 'chat.typing': {
        const requestId = requestOf(message);
        const from = typeof message.from === 'string' ? message.from : '';
        if (requestId === undefined || from !== 'customer') return {};
        const name = typeof message.name === 'string' ? message.name : '';
        update(requestId, (c) => withTyping(c, from, name, message.typing === true));
        return {};
      }
      case 'error': {
        const command = chatCommandOf(message.id);
        if (!command) return undefined;
        const code = (message.error as { code?: unknown } | undefined)?.code;
        const error = {
          text: socketErrorText(t, message.error, CHAT_ERROR_PREFIXES),
          code: typeof code === 'string' ? code : undefined,
        };
        switch (command.kind) {
          case 'send': {
            const requestId = withClient(command.clientId);
            if (requestId !== undefined) update(requestId, (c) => withFailed(c, command.clientId, error.text));
            return { error };
          }
          case 'resume':
            if (error.code !== undefined && TRANSIENT.has(error.code)) {
              setTimeout(() => {
                if (loaded.current.has(command.requestId)) resume(command.requestId);
              }, RESUME_RETRY_MS);
              return {};
            }
            // Nothing to read yet (or any more) is no news.
            return error.code === 'chat_not_open' ? {} : { error };
          case 'typing':
            return {};
        }
        return {};
      }
      default:
        return undefined;
    }
  };

  const open = (requestId: string) => {
    if (!loaded.current.has(requestId)) resume(requestId);
  };

  const resumeAll = (requests: readonly SupportRequest[], me: Id) => {
    meRef.current = me;
    const listed = new Set(requests.map((r) => r.id));
    for (const id of [...loaded.current]) if (!listed.has(id)) loaded.current.delete(id);
    for (const r of requests) {
      if (loaded.current.has(r.id) || isMyActive(r, me)) resume(r.id);
    }
  };

  const lost = () => {
    let changed = false;
    for (const [requestId, state] of stores.current) {
      const after = withConnectionLost(state);
      if (after !== state) {
        stores.current.set(requestId, after);
        changed = true;
      }
    }
    if (changed) setVersion((v) => v + 1);
  };

  const transmit = (requestId: string, clientId: string, text: string, isPrivate: boolean) => {
    const sent = transport({
      type: 'chat.send',
      request_id: requestId,
      text,
      client_id: clientId,
      ...(isPrivate ? { private: true } : {}),
      id: sendId(clientId),
    });
    if (!sent) update(requestId, (c) => withFailed(c, clientId));
  };

  const send = (requestId: string, text: string, isPrivate: boolean) => {
    const clientId = newClientId();
    update(requestId, (c) =>
      withPending(c, {
        client_id: clientId,
        text,
        private: isPrivate,
        time: Date.now(),
        afterSeq: c.lastSeq,
        state: 'sending',
        acked: false,
      }),
    );
    transmit(requestId, clientId, text, isPrivate);
  };

  const retry = (requestId: string, clientId: string) => {
    const line = stores.current.get(requestId)?.pending.find((p) => p.client_id === clientId);
    if (!line || line.acked) return;
    update(requestId, (c) => withRetry(c, clientId));
    transmit(requestId, clientId, line.text, line.private);
  };

  const unread = (requestId: string) => {
    const state = stores.current.get(requestId);
    if (!state) return 0;
    const seen = read.current?.[requestId] ?? 0;
    return state.lines.filter((l) => l.from === 'customer' && l.seq > seen).length;
  };

  const markRead = (requestId: string) => {
    const last = stores.current.get(requestId)?.lastSeq ?? 0;
    const marks = read.current ?? {};
    if ((marks[requestId] ?? 0) >= last) return;
    read.current = { ...marks, [requestId]: last };
    saveRead(read.current);
    setVersion((v) => v + 1);
  };

  return {
    get: (requestId) => stores.current.get(requestId),
    unread,
    markRead,
    handle,
    open,
    resumeAll,
    lost,
    send,
    retry,
    typing: (requestId, typing) => {
      transport({ type: 'chat.typing', request_id: requestId, typing, id: TYPING_ID });
    },
    draft: (requestId) => drafts.current.get(requestId) ?? '',
    setDraft: (requestId, text) => {
      drafts.current.set(requestId, text);
    },
  };
}
