// The customer's side of the chat (docs/sessions.md): the lines received so
// far (kept in sessionStorage with the request), the lines being sent, and the
// messages that change them. The page says when to resume (after every attach).
import { useEffect, useRef, useState } from 'preact/hooks';
import {
  chatCommandOf,
  customerIsOwn,
  emptyChat,
  lineOf,
  newClientId,
  resumeId,
  sendId,
  seqOf,
  TYPING_ID,
  withAck,
  withConnectionLost,
  withFailed,
  withLines,
  withPending,
  withRetry,
  withSynced,
  withTyping,
  type ChatState,
} from '../shared/chat';
import { socketErrorText } from '../shared/errors';
import { useI18n } from '../shared/i18n';
import type { ClientMessage, ServerMessage } from '../shared/socket';
import { loadChat, saveChat } from './storage';

export const CHAT_ERROR_PREFIXES = ['chat.error.', 'portal.error.', 'error.'];

/** A resume the server could not serve now is asked again after this long. */
const RESUME_RETRY_MS = 3000;
const TRANSIENT = new Set(['unavailable', 'storage_unavailable', 'busy', 'timeout']);

/** What a chat message meant for the page: `synced` and `resume-failed` end a resume. */
export type ChatEvent = 'changed' | 'synced' | 'resume-failed';

export interface CustomerChat {
  chat: ChatState;
  /** The chat as of the last message handled (`chat` is as of the last render). */
  current: () => ChatState;
  /** Resumes still unanswered on this connection. */
  resuming: () => number;
  /** Handles a chat message (undefined: not one). */
  handle: (message: ServerMessage) => ChatEvent | undefined;
  /** `chat.resume` after the last seq received. */
  resume: () => void;
  /** The connection dropped (or a new one starts). */
  lost: () => void;
  send: (text: string) => void;
  retry: (clientId: string) => void;
  typing: (typing: boolean) => void;
}

export function useCustomerChat(
  account: string,
  slug: string,
  requestId: string,
  transport: (message: ClientMessage) => boolean,
): CustomerChat {
  const { t } = useI18n();
  const [chat, setChat] = useState<ChatState>(() => loadChat(account, slug, requestId) ?? emptyChat());
  // Messages can arrive faster than renders: each change builds on the latest state.
  const latest = useRef(chat);
  const inFlight = useRef(0);
  const retryTimer = useRef<ReturnType<typeof setTimeout>>();

  const update = (change: (state: ChatState) => ChatState) => {
    const next = change(latest.current);
    if (next === latest.current) return;
    latest.current = next;
    setChat(next);
  };

  useEffect(() => {
    saveChat(account, slug, requestId, chat);
  }, [chat.lines, chat.pending]);

  useEffect(() => () => clearTimeout(retryTimer.current), []);

  const resume = () => {
    clearTimeout(retryTimer.current);
    if (transport({ type: 'chat.resume', after_seq: latest.current.lastSeq, id: resumeId(requestId) }))
      inFlight.current += 1;
  };

  const forThis = (message: ServerMessage) =>
    message.request_id === undefined || String(message.request_id) === requestId;

  const handle = (message: ServerMessage): ChatEvent | undefined => {
    switch (message.type) {
      case 'chat.line': {
        const line = lineOf(message.line);
        if (line && forThis(message)) update((c) => withLines(c, [line], customerIsOwn));
        return 'changed';
      }
      case 'chat.ack': {
        const seq = seqOf(message.seq);
        const clientId = message.client_id;
        if (typeof clientId === 'string' && seq !== undefined && seq > 0) update((c) => withAck(c, clientId, seq));
        return 'changed';
      }
      case 'chat.synced':
        inFlight.current = Math.max(0, inFlight.current - 1);
        update(withSynced);
        return 'synced';
      case 'chat.typing': {
        const from = typeof message.from === 'string' ? message.from : '';
        if (from === 'customer' || !forThis(message)) return 'changed';
        const name = typeof message.name === 'string' ? message.name : '';
        update((c) => withTyping(c, from, name, message.typing === true));
        return 'changed';
      }
      case 'error': {
        const command = chatCommandOf(message.id);
        if (!command) return undefined;
        if (command.kind === 'send') {
          update((c) => withFailed(c, command.clientId, socketErrorText(t, message.error, CHAT_ERROR_PREFIXES)));
          return 'changed';
        }
        if (command.kind === 'resume') {
          inFlight.current = Math.max(0, inFlight.current - 1);
          const code = (message.error as { code?: unknown } | undefined)?.code;
          if (typeof code === 'string' && TRANSIENT.has(code)) {
            clearTimeout(retryTimer.current);
            retryTimer.current = setTimeout(resume, RESUME_RETRY_MS);
          }
          return 'resume-failed';
        }
        return 'changed'; // typing: of no interest
      }
      default:
        return undefined;
    }
  };

  const lost = () => {
    clearTimeout(retryTimer.current);
    inFlight.current = 0;
    update(withConnectionLost);
  };

  const transmit = (clientId: string, text: string) => {
    const sent = transport({ type: 'chat.send', text, client_id: clientId, id: sendId(clientId) });
    if (!sent) update((c) => withFailed(c, clientId));
  };

  const send = (text: string) => {
    const clientId = newClientId();
    update((c) =>
      withPending(c, {
        client_id: clientId,
        text,
        private: false,
        time: Date.now(),
        afterSeq: c.lastSeq,
        state: 'sending',
        acked: false,
      }),
    );
    transmit(clientId, text);
  };

  const retry = (clientId: string) => {
    const line = latest.current.pending.find((p) => p.client_id === clientId);
    if (!line || line.acked) return;
    update((c) => withRetry(c, clientId));
    transmit(clientId, line.text);
  };

  const typing = (value: boolean) => {
    transport({ type: 'chat.typing', typing: value, id: TYPING_ID });
  };

  return {
    chat,
    current: () => latest.current,
    resuming: () => inFlight.current,
    handle,
    resume,
    lost,
    send,
    retry,
    typing,
  };
}
