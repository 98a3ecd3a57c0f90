// Where a chat line is written: Enter sends, Shift+Enter starts a new line;
// at most 4,000 characters. Tells the other side while the user types.
import type { ComponentChildren } from 'preact';
import { useId, useRef, useState } from 'preact/hooks';
import { MAX_CHAT_TEXT, sendableText } from './chat';
import { useI18n } from './i18n';
import { useTypingSender } from './useTypingSender';

/** The "characters left" hint appears this close to the limit. */
const SHOW_LEFT_FROM = MAX_CHAT_TEXT - 500;

export interface ChatInputProps {
  /** Not connected: the user may write, but not send. */
  offline: boolean;
  /** Sends the text (already trimmed, never empty). */
  onSend: (text: string) => void;
  onTyping: (typing: boolean) => void;
  /** What was typed before (e.g. in another request's chat). */
  draft?: string;
  onDraft?: (text: string) => void;
  /** More controls next to the Send button (the console's "private note"). */
  children?: ComponentChildren;
}

export function ChatInput({ offline, onSend, onTyping, draft = '', onDraft, children }: ChatInputProps) {
  const { t } = useI18n();
  const id = useId();
  const [text, setText] = useState(draft);
  const typing = useTypingSender(onTyping);
  const area = useRef<HTMLTextAreaElement>(null);
  const sendable = sendableText(text);

  const change = (value: string) => {
    setText(value);
    onDraft?.(value);
    typing.input(value);
  };

  const send = () => {
    if (offline || sendable === '') return;
    onSend(sendable);
    typing.stop();
    setText('');
    onDraft?.('');
    area.current?.focus();
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== 'Enter' || e.shiftKey || e.isComposing || e.keyCode === 229) return;
    e.preventDefault();
    send();
  };

  return (
    <form
      class="chat-input"
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
      <label class="sr-only" for={id}>
        {t('chat.input')}
      </label>
      <textarea
        id={id}
        ref={area}
        name="chat_text"
        data-testid="chat-input"
        rows={2}
        maxLength={MAX_CHAT_TEXT}
        placeholder={t('chat.placeholder')}
        title={t('chat.enterHint')}
        aria-describedby={text.length >= SHOW_LEFT_FROM ? `${id}-left` : undefined}
        value={text}
        onInput={(e) => change(e.currentTarget.value)}
        onKeyDown={onKeyDown}
      />
      <div class="chat-input-bar">
        {children}
        {text.length >= SHOW_LEFT_FROM && (
          <span class="chat-left muted small" id={`${id}-left`} data-testid="chat-left">
            {t('chat.charsLeft', { n: Math.max(0, MAX_CHAT_TEXT - text.length) })}
          </span>
        )}
        <button
          type="submit"
          class="btn btn-primary btn-small chat-send"
          data-testid="chat-send"
          disabled={offline || sendable === ''}
        >
          {t('chat.send')}
        </button>
      </div>
    </form>
  );
}
