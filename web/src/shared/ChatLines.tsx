// The lines of a chat, oldest first: one's own on the right, the other side's
// on the left with their name, system lines centred. Stays scrolled to the
// newest line unless the reader scrolled up, also when the list gets
// shorter. A file line is a link that downloads it. System lines with a code are shown in the reader's language
// (docs/sessions.md, "System lines"); those without one show their text.
import { useEffect, useLayoutEffect, useRef } from 'preact/hooks';
import type { ShownLine } from './chat';
import { FileLink } from './FileLink';
import type { ChatFile } from './files';
import { formatChatTime, formatDateTime } from './format';
import { isMessageKey, useI18n, type Translate } from './i18n';
import { useNow } from './useNow';

/** How close to the bottom (px) still counts as "at the newest line". */
const STICK_PX = 48;

export interface ChatLinesProps {
  lines: ShownLine[];
  /** Shown on the right. */
  isOwn: (line: ShownLine) => boolean;
  /** The name above the text (for lines not on the right, and others' on the right). */
  showName: (line: ShownLine) => boolean;
  /** What a line without a name is called (e.g. "Technician"). */
  fallbackName: (line: ShownLine) => string;
  /** Resend a line that was not sent; without it no retry is offered. */
  onRetry?: (clientId: string) => void;
  /** Not connected: retrying waits. */
  offline?: boolean;
  empty: string;
  /** Fetches a file of the chat; without it files are listed, but not offered for download. */
  openFile?: (file: ChatFile) => Promise<Blob>;
}

export function ChatLines({ lines, isOwn, showName, fallbackName, onRetry, offline, empty, openFile }: ChatLinesProps) {
  const { t } = useI18n();
  const list = useRef<HTMLOListElement>(null);
  const atBottom = useRef(true);
  const last = lines.length > 0 ? lines[lines.length - 1] : undefined;
  const now = useNow(60_000);

  useLayoutEffect(() => {
    const el = list.current;
    if (!el) return;
    if (atBottom.current || (last && last.pending === 'sending')) el.scrollTop = el.scrollHeight;
  }, [lines.length, last?.key]);

  // The list's height as last seen: a scroll event that comes in the frame in
  // which the list got shorter (the screen opened, a form) is judged against
  // the height the reader was looking at, so that the resize below still
  // keeps the newest line in view.
  const seenHeight = useRef(0);
  const onScroll = () => {
    const el = list.current;
    if (el) atBottom.current = el.scrollHeight - el.scrollTop - (seenHeight.current || el.clientHeight) <= STICK_PX;
  };

  const hasLines = lines.length > 0;
  useEffect(() => {
    const el = list.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    seenHeight.current = el.clientHeight;
    const observer = new ResizeObserver(() => {
      if (atBottom.current) el.scrollTop = el.scrollHeight;
      seenHeight.current = el.clientHeight;
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [hasLines]);

  if (lines.length === 0) {
    return (
      <p class="chat-empty muted" data-testid="chat-empty">
        {empty}
      </p>
    );
  }

  return (
    <ol class="chat-lines" ref={list} role="log" aria-label={t('chat.lines')} onScroll={onScroll}>
      {lines.map((line) => (
        <ChatLineItem
          key={line.key}
          line={line}
          own={isOwn(line)}
          named={showName(line)}
          fallbackName={fallbackName}
          now={now}
          onRetry={onRetry}
          offline={offline}
          openFile={openFile}
        />
      ))}
    </ol>
  );
}

/** What a line says: a system line's code in the reader's language, else its text. */
export function lineText(line: Pick<ShownLine, 'from' | 'text' | 'code' | 'params'>, t: Translate): string {
  if (line.from !== 'system' || !line.code) return line.text;
  const key = `system.${line.code}`;
  return isMessageKey(key) ? t(key, line.params ?? {}) : line.text;
}

interface ChatLineItemProps {
  line: ShownLine;
  own: boolean;
  named: boolean;
  fallbackName: (line: ShownLine) => string;
  now: number;
  onRetry?: (clientId: string) => void;
  offline?: boolean;
  openFile?: (file: ChatFile) => Promise<Blob>;
}

function ChatLineItem({ line, own, named, fallbackName, now, onRetry, offline, openFile }: ChatLineItemProps) {
  const { t, lang } = useI18n();
  const system = line.from === 'system';
  const side = system ? 'system' : own ? 'own' : 'other';
  const classes = ['chat-line', `chat-line-${side}`];
  if (line.private) classes.push('chat-line-private');
  if (line.pending) classes.push(`chat-line-${line.pending}`);
  const clientId = line.client_id;

  return (
    <li
      class={classes.join(' ')}
      data-testid="chat-line"
      data-seq={line.pending ? undefined : line.seq}
      data-from={line.from}
      data-pending={line.pending}
      data-private={line.private ? 'true' : undefined}
      data-file={line.file ? 'true' : undefined}
      data-code={system && line.code ? line.code : undefined}
    >
      {!system && (named || line.private) && (
        <div class="chat-meta">
          {named && <span class="chat-name">{line.name || fallbackName(line)}</span>}
          {line.private && (
            <span class="chat-badge" data-testid="chat-private-badge">
              {t('chat.privateBadge')}
            </span>
          )}
        </div>
      )}
      {line.file ? (
        <FileLink file={line.file} open={openFile} />
      ) : (
        <p class="chat-text" data-testid="chat-text">
          {lineText(line, t)}
        </p>
      )}
      <div class="chat-foot">
        <time class="chat-time" dateTime={new Date(line.time).toISOString()} title={formatDateTime(lang, line.time)}>
          {formatChatTime(lang, line.time, now)}
        </time>
        {line.pending === 'sending' && <span class="chat-state">{t('chat.sending')}</span>}
        {line.pending === 'failed' && (
          <>
            <span class="chat-state chat-state-failed" role="alert">
              {line.error && onRetry ? `${t('chat.notSent')} ${line.error}` : t('chat.notSent')}
            </span>
            {onRetry && clientId !== undefined && (
              <button
                type="button"
                class="chat-retry"
                data-testid="chat-retry"
                disabled={offline}
                onClick={() => onRetry(clientId)}
              >
                {t('chat.retry')}
              </button>
            )}
          </>
        )}
      </div>
    </li>
  );
}
