// A chat as both UIs show it: the lines, who is typing, and the input (or,
// when the user cannot write, why not).
import type { ComponentChildren } from 'preact';
import type { ChatSelf, ChatState, IsOwn, ShownLine } from './chat';
import { shownLines } from './chat';
import { ChatInput } from './ChatInput';
import { ChatLines } from './ChatLines';
import type { ChatFile } from './files';
import { useI18n } from './i18n';
import { TypingIndicator } from './TypingIndicator';
import './chat.css';

export interface ChatBoxProps {
  chat: ChatState;
  /** Who writes from this page (for the lines being sent). */
  self: ChatSelf;
  isOwn: IsOwn;
  showName: (line: ShownLine) => boolean;
  fallbackName: (line: ShownLine) => string;
  /** Shown without lines. */
  empty: string;
  /** "… is typing" when the other side sends no name. */
  typingFallback: string;
  /** The user may write (else `notice` says why not). */
  writable: boolean;
  /** The input is shown but disabled (with `notice` saying why): a colleague who only watches. */
  inputDisabled?: boolean;
  /** Said above the input of a writable chat (e.g. "the customer does not see you"). */
  inputNote?: string;
  notice?: string;
  /** Not connected (said below the input); sending waits. */
  offline: boolean;
  /** Connected, but the chat is not in sync yet: sending waits. */
  syncing?: boolean;
  onSend: (text: string) => void;
  onRetry: (clientId: string) => void;
  onTyping: (typing: boolean) => void;
  draft?: string;
  onDraft?: (text: string) => void;
  /** Shown right above the input of a writable chat (the customer page's screen-sharing question). */
  aboveInput?: ComponentChildren;
  /** More controls for the input (the console's "private note", "send file"). */
  inputExtras?: ComponentChildren;
  /** What is written is a private note: the input looks and says so. */
  privateNote?: boolean;
  /** The chat takes files: a text over the limit is offered to go as one. */
  sendFile?: (file: File) => Promise<unknown>;
  /** Fetches a file of the chat (file lines are download links then). */
  openFile?: (file: ChatFile) => Promise<Blob>;
}

export function ChatBox(props: ChatBoxProps) {
  const { t } = useI18n();
  const { chat, writable } = props;
  return (
    <div class="chat-box">
      <ChatLines
        lines={shownLines(chat, props.self)}
        isOwn={props.isOwn}
        showName={props.showName}
        fallbackName={props.fallbackName}
        onRetry={writable ? props.onRetry : undefined}
        offline={props.offline || props.syncing === true}
        empty={props.empty}
        openFile={props.openFile}
      />
      {writable && <TypingIndicator typing={chat.typing} fallback={props.typingFallback} />}
      {writable && props.inputNote && (
        <p class="chat-notice muted small" data-testid="chat-input-note">
          {props.inputNote}
        </p>
      )}
      {writable && props.inputDisabled && props.notice && (
        <p class="chat-notice muted small" data-testid="chat-notice">
          {props.notice}
        </p>
      )}
      {writable && props.aboveInput}
      {writable ? (
        <ChatInput
          disabled={props.inputDisabled}
          offline={props.offline || props.syncing === true}
          onSend={props.onSend}
          onTyping={props.onTyping}
          draft={props.draft}
          onDraft={props.onDraft}
          privateNote={props.privateNote}
          sendFile={props.sendFile}
        >
          {props.inputExtras}
        </ChatInput>
      ) : (
        props.notice && (
          <p class="chat-notice muted small" data-testid="chat-notice">
            {props.notice}
          </p>
        )
      )}
      {writable && props.offline && (
        <p class="chat-notice muted small" data-testid="chat-offline">
          {t('chat.offline')}
        </p>
      )}
    </div>
  );
}
