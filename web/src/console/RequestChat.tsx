// A request's chat in the detail pane: the technician who has the active
// request writes (also private notes, which only technicians see) and sends
// files; everyone else who sees the request reads. Files download with the login.
// Colleagues in the session (docs/sessions.md, "Collaboration") write too with
// full rights; with view-only rights the input is there but disabled. A hidden
// colleague's lines are private notes (the customer sees nothing of them).
import { useId, useRef, useState } from 'preact/hooks';
import { emptyChat, technicianIsOwn, type ChatState, type ShownLine } from '../shared/chat';
import { ChatBox } from '../shared/ChatBox';
import { getRequestFile, type ChatFile } from '../shared/files';
import { FileSend } from '../shared/FileSend';
import { useI18n } from '../shared/i18n';
import { sameId, sendFile, type Me, type SupportRequest } from './api';
import type { ConsoleChats } from './chats';
import { TranscriptLink } from './TranscriptLink';

interface RequestChatProps {
  request: SupportRequest;
  me: Me;
  chat?: ChatState;
  chats: ConsoleChats;
  /** The technician has the request and it is active (or I am a colleague in the session). */
  writable: boolean;
  /** A colleague who only watches: the input is shown disabled. */
  viewOnly?: boolean;
  /** A colleague the customer does not see: every line is a private note. */
  hidden?: boolean;
  /** `owner`, `colleague` or `reader`, for tests. */
  role: 'owner' | 'colleague' | 'reader';
  offline: boolean;
  onError: (text: string) => void;
}

export function RequestChat({
  request,
  me,
  chat,
  chats,
  writable,
  viewOnly = false,
  hidden = false,
  role,
  offline,
  onError,
}: RequestChatProps) {
  const { t } = useI18n();
  const privateId = useId();
  const [wantPrivate, setPrivate] = useState(false);
  const isPrivate = wantPrivate || hidden;
  const id = request.id;
  const state = chat ?? emptyChat();
  const fallbackName = (line: ShownLine) =>
    line.from === 'customer' ? request.customer.name || t('chat.customer') : t('chat.technician');
  const notice = viewOnly
    ? t('chat.viewOnly')
    : request.status === 'active'
      ? t('chat.readOnly')
      : request.status === 'waiting'
        ? undefined
        : t('chat.ended');
  const canWrite = writable && !viewOnly;
  const section = useRef<HTMLElement>(null);

  return (
    <section
      ref={section}
      class="request-chat"
      data-testid="chat"
      data-open={canWrite ? 'true' : 'false'}
      data-role={role}
      data-view-only={viewOnly ? 'true' : 'false'}
      aria-labelledby="chat-title"
    >
      <header class="request-chat-head">
        <h3 id="chat-title">{t('chat.title')}</h3>
        <TranscriptLink requestId={id} onError={onError} />
      </header>
      <ChatBox
        chat={state}
        self={{ from: 'technician', name: me.name, technician_id: me.id }}
        isOwn={technicianIsOwn(me.id)}
        showName={(line) => line.from === 'customer' || !sameId(line.technician_id, me.id)}
        fallbackName={fallbackName}
        empty={chat?.synced || chat?.lines.length ? t('chat.empty') : t('common.loading')}
        typingFallback={t('chat.typingCustomer')}
        writable={writable}
        inputDisabled={viewOnly}
        inputNote={writable && hidden ? t('chat.hiddenColleague') : undefined}
        notice={notice}
        offline={offline}
        syncing={!state.synced}
        privateNote={isPrivate}
        sendFile={viewOnly ? undefined : (file) => sendFile(id, file)}
        onSend={(text) => {
          chats.send(id, text, isPrivate);
          // A private note is one line: the next is for the customer again.
          setPrivate(false);
        }}
        onRetry={(clientId) => chats.retry(id, clientId)}
        onTyping={(typing) => {
          // Private notes are not the customer's business.
          if (!isPrivate || !typing) chats.typing(id, typing);
        }}
        draft={chats.draft(id)}
        onDraft={(text) => chats.setDraft(id, text)}
        openFile={(file: ChatFile) => getRequestFile(id, file.id)}
        inputExtras={
          <>
            <label class="chat-private" for={privateId} title={t('chat.privateHint')}>
              <input
                id={privateId}
                type="checkbox"
                data-testid="chat-private"
                checked={isPrivate}
                disabled={viewOnly || hidden}
                onChange={(e) => setPrivate(e.currentTarget.checked)}
              />
              {t('chat.private')}
            </label>
            <FileSend send={(file) => sendFile(id, file)} disabled={viewOnly} />
          </>
        }
      />
    </section>
  );
}

