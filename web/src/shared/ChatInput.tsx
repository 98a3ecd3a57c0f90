// Where a chat line is written: Enter sends, Shift+Enter starts a new line;
// at most 4,000 characters (the server's one limit), counted as the server
// counts them (code points): near the limit it says how many are left, past it
// how many are too many (and Send waits). Nothing typed or pasted is cut off:
// a longer text can be sent as a file (message.txt) where the chat takes files.
// A paste far over the limit (a log file) is held aside instead of going into
// the input, with the choice to send it as a file, keep its first 4,000
// characters or drop it.
// In private-note mode (the console) the input, its button and a banner say so.
// Tells the other side while the user types.
import type { ComponentChildren } from 'preact';
import { useId, useRef, useState } from 'preact/hooks';
import { chatChars, MAX_CHAT_TEXT, sendableText } from './chat';
import { errorText } from './errors';
import { useI18n } from './i18n';
import { useTypingSender } from './useTypingSender';

/** The "characters left" hint appears this close to the limit. */
const SHOW_LEFT_FROM = MAX_CHAT_TEXT - 500;
/** The name of a text sent as a file. */
export const TEXT_FILE_NAME = 'message.txt';
/** A paste that would make the text longer than this (UTF-16 units) is held aside, not put in the input. */
const HOLD_PASTE_OVER = 5 * MAX_CHAT_TEXT;

/** The first `max` characters (code points, as `chatChars` counts them). */
function firstChars(text: string, max: number): string {
  let n = 0;
  for (let i = 0; i < text.length; i += 1) {
    if (n === max) return text.slice(0, i);
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i += 1;
    }
    n += 1;
  }
  return text;
}

/** A message a paste would have made, too long for the input. */
interface HeldPaste {
  text: string;
  chars: number;
}

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
  /** What is written is a private note (only technicians see it). */
  privateNote?: boolean;
  /** Sends a file in the chat: offered for a text over the limit (not for a private note). */
  sendFile?: (file: File) => Promise<unknown>;
}

export function ChatInput({
  offline,
  onSend,
  onTyping,
  draft = '',
  onDraft,
  children,
  disabled = false,
  privateNote = false,
  sendFile,
}: ChatInputProps) {
  const { t, lang } = useI18n();
  const id = useId();
  const [text, setText] = useState(draft);
  const typing = useTypingSender(onTyping);
  const area = useRef<HTMLTextAreaElement>(null);
  const sendable = sendableText(text);
  const chars = chatChars(text);
  const tooLong = chars > MAX_CHAT_TEXT;
  const [held, setHeld] = useState<HeldPaste>();
  const canSend = !disabled && !offline && sendable !== '' && !tooLong && held === undefined;
  const [filing, setFiling] = useState(false);
  const [fileError, setFileError] = useState<string>();
  const filesOk = sendFile !== undefined && !privateNote;
  const asFile = tooLong && filesOk && held === undefined;
  const count = (n: number) => new Intl.NumberFormat(lang === 'de' ? 'de-DE' : 'en-US').format(n);

  const change = (value: string) => {
    setText(value);
    setFileError(undefined);
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

  /** A text over the limit as message.txt; the input is emptied once the server took it. */
  const sendAsFile = async (content: string) => {
    if (!sendFile || filing) return;
    setFiling(true);
    setFileError(undefined);
    try {
      await sendFile(new File([content], TEXT_FILE_NAME, { type: 'text/plain' }));
      typing.stop();
      setHeld(undefined);
      setText('');
      onDraft?.('');
    } catch (err) {
      setFileError(t('chat.file.failed', { name: TEXT_FILE_NAME, message: errorText(t, err) }));
    }
    setFiling(false);
  };

  /** Holds a paste aside when the message it makes is far over the limit (else the browser inserts it). */
  const onPaste = (e: ClipboardEvent) => {
    const el = area.current;
    const pasted = e.clipboardData?.getData('text/plain') ?? '';
    if (!el || text.length - (el.selectionEnd - el.selectionStart) + pasted.length <= HOLD_PASTE_OVER) return;
    e.preventDefault();
    const whole = text.slice(0, el.selectionStart) + pasted + text.slice(el.selectionEnd);
    setFileError(undefined);
    setHeld({ text: whole, chars: chatChars(whole) });
  };

  const keepFirst = () => {
    if (!held) return;
    const kept = firstChars(held.text, MAX_CHAT_TEXT);
    setHeld(undefined);
    change(kept);
    area.current?.focus();
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== 'Enter' || e.shiftKey || e.isComposing || e.keyCode === 229) return;
    e.preventDefault();
    send();
  };

  return (
    <form
      class={privateNote ? 'chat-input chat-input-private' : 'chat-input'}
      data-testid="chat-form"
      data-private={privateNote ? 'true' : undefined}
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
      {privateNote && (
        <p class="chat-private-banner" id={`${id}-private`} data-testid="chat-private-banner">
          {t('chat.privateBanner')}
        </p>
      )}
      <label class="sr-only" for={id}>
        {privateNote ? t('chat.privateInput') : t('chat.input')}
      </label>
      <textarea
        id={id}
        ref={area}
        name="chat_text"
        data-testid="chat-input"
        rows={2}
        placeholder={privateNote ? t('chat.privatePlaceholder') : t('chat.placeholder')}
        title={t('chat.enterHint')}
        aria-invalid={tooLong || undefined}
        aria-describedby={
          [privateNote ? `${id}-private` : '', chars >= SHOW_LEFT_FROM ? `${id}-left` : '']
            .filter((x) => x !== '')
            .join(' ') || undefined
        }
        value={text}
        disabled={disabled}
        onInput={(e) => change(e.currentTarget.value)}
        onPaste={onPaste}
        onKeyDown={onKeyDown}
      />
      {held && (
        <div class="chat-held" role="alert" data-testid="chat-held" data-chars={held.chars}>
          <p class="chat-held-text">{t('chat.held', { count: count(held.chars) })}</p>
          <div class="chat-held-actions">
            {filesOk && (
              <button
                type="button"
                class="btn btn-primary btn-small"
                data-testid="chat-send-as-file"
                disabled={filing || offline || disabled}
                onClick={() => sendAsFile(held.text)}
              >
                {filing ? t('chat.file.sending', { name: TEXT_FILE_NAME }) : t('chat.sendAsFile')}
              </button>
            )}
            <button type="button" class="btn btn-small" data-testid="chat-held-keep" disabled={filing} onClick={keepFirst}>
              {t('chat.heldKeep')}
            </button>
            <button
              type="button"
              class="btn btn-ghost btn-small"
              data-testid="chat-held-drop"
              disabled={filing}
              onClick={() => {
                setHeld(undefined);
                area.current?.focus();
              }}
            >
              {t('chat.heldDrop')}
            </button>
          </div>
        </div>
      )}
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
              ? t('chat.charsOver', { n: chars - MAX_CHAT_TEXT, count: count(chars - MAX_CHAT_TEXT) })
              : t('chat.charsLeft', { n: MAX_CHAT_TEXT - chars })}
          </span>
        )}
        {asFile && (
          <button
            type="button"
            class="btn btn-small chat-send-as-file"
            data-testid="chat-send-as-file"
            disabled={filing || offline || disabled}
            onClick={() => sendAsFile(text)}
          >
            {filing ? t('chat.file.sending', { name: TEXT_FILE_NAME }) : t('chat.sendAsFile')}
          </button>
        )}
        <button
          type="submit"
          class="btn btn-primary btn-small chat-send"
          data-testid="chat-send"
          disabled={!canSend}
        >
          {privateNote ? t('chat.sendPrivate') : t('chat.send')}
        </button>
      </div>
      {fileError && (
        <p class="chat-file-note chat-file-error" role="alert" data-testid="chat-send-as-file-error">
          {fileError}
        </p>
      )}
    </form>
  );
}
