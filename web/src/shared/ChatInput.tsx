// Where a chat line is written: Enter sends, Shift+Enter starts a new line;
// at most 4,000 characters, counted as the server counts them (code points):
// near the limit it says how many are left, past it how many are too many
// (and Send waits). Tells the other side while the user types.
import type { ComponentChildren } from 'preact';
import { useId, useRef, useState } from 'preact/hooks';
import { chatChars, MAX_CHAT_TEXT, sendableText } from './chat';
import { useI18n } from './i18n';
import { useTypingSender } from './useTypingSender';

/** The "characters left" hint appears this close to the limit. */
const SHOW_LEFT_FROM = MAX_CHAT_TEXT - 500;
/**
 * The textarea's own cap, in the UTF-16 units the browser counts: room for
 * 4,000 characters of any kind (the limit itself is `MAX_CHAT_TEXT` characters).
 */
const MAX_UNITS = 2 * MAX_CHAT_TEXT;

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
  /** Shown, but nothing can be written (a colleague who only watches). */
  disabled?: boolean;
}

export function ChatInput({ offline, onSend, onTyping, draft = '', onDraft, children, disabled = false }: ChatInputProps) {
  const { t } = useI18n();
  const id = useId();
  const [text, setText] = useState(draft);
  const typing = useTypingSender(onTyping);
  const area = useRef<HTMLTextAreaElement>(null);
  const sendable = sendableText(text);
  const chars = chatChars(text);
  const tooLong = chars > MAX_CHAT_TEXT;
  const canSend = !disabled && !offline && sendable !== '' && !tooLong;

  const change = (value: string) => {
    setText(value);
    onDraft?.(value);
    typing.input(value);
  };

  const send = () => {
    if (!canSend) return;
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
        maxLength={MAX_UNITS}
        placeholder={t('chat.placeholder')}
        title={t('chat.enterHint')}
        aria-invalid={tooLong || undefined}
        aria-describedby={chars >= SHOW_LEFT_FROM ? `${id}-left` : undefined}
        value={text}
        disabled={disabled}
        onInput={(e) => change(e.currentTarget.value)}
        onKeyDown={onKeyDown}
      />
      <div class="chat-input-bar">
        {children}
        {chars >= SHOW_LEFT_FROM && (
          <span
            class={`chat-left small ${tooLong ? 'chat-left-over' : 'muted'}`}
            id={`${id}-left`}
            data-testid="chat-left"
            data-left={MAX_CHAT_TEXT - chars}
          >
            {tooLong
              ? t('chat.charsOver', { n: chars - MAX_CHAT_TEXT })
              : t('chat.charsLeft', { n: MAX_CHAT_TEXT - chars })}
          </span>
        )}
        <button
          type="submit"
          class="btn btn-primary btn-small chat-send"
          data-testid="chat-send"
          disabled={!canSend}
        >
          {t('chat.send')}
        </button>
      </div>
    </form>
  );
}
