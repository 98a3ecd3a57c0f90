// The customer's chat with the technician: open while the technician is
// there (files can be sent then), read-only once the request is over; the
// history can be saved, and the files in it downloaded.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { ShownLine } from '../shared/chat';
import { ChatBox } from '../shared/ChatBox';
import { saveFile } from '../shared/download';
import { errorText } from '../shared/errors';
import type { ChatFile } from '../shared/files';
import { FileSend } from '../shared/FileSend';
import { useI18n } from '../shared/i18n';
import { getFile, getTranscript, sendFile } from './api';
import type { StoredRequest } from './storage';
import type { CustomerChat } from './useCustomerChat';

interface ChatPanelProps {
  account: string;
  slug: string;
  stored: StoredRequest;
  chat: CustomerChat;
  /** The technician is there: the customer may write. */
  open: boolean;
  offline: boolean;
  /** Shown right above the message box while the customer may write (the screen-sharing question). */
  aboveInput?: ComponentChildren;
}

const CUSTOMER = { from: 'customer', name: '', technician_id: 0 } as const;

export function ChatPanel({ account, slug, stored, chat, open, offline, aboveInput }: ChatPanelProps) {
  const { t } = useI18n();
  const fallbackName = (line: ShownLine) =>
    line.from === 'customer' ? t('chat.you') : line.from === 'technician' ? t('chat.technician') : '';
  const { request_id: id, token } = stored;
  const openFile = (file: ChatFile) => getFile(account, slug, id, token, file.id);
  const send = (file: File) => sendFile(account, slug, id, token, file);

  return (
    <section class="chat-panel" data-testid="chat" data-open={open ? 'true' : 'false'} aria-labelledby="chat-title">
      <header class="chat-panel-head">
        <h2 id="chat-title">{t('chat.title')}</h2>
        <SaveHistory account={account} slug={slug} stored={stored} />
      </header>
      <ChatBox
        chat={chat.chat}
        self={CUSTOMER}
        isOwn={(line) => line.from === 'customer'}
        showName={(line) => line.from === 'technician'}
        fallbackName={fallbackName}
        empty={open ? t('chat.emptyCustomer') : t('chat.empty')}
        typingFallback={t('chat.typingTechnician')}
        writable={open}
        notice={t('chat.ended')}
        offline={offline}
        syncing={!chat.chat.synced}
        onSend={chat.send}
        onRetry={chat.retry}
        onTyping={chat.typing}
        openFile={openFile}
        aboveInput={aboveInput}
        inputExtras={<FileSend send={send} />}
        sendFile={send}
      />
    </section>
  );
}

/** "Save chat history": the server's transcript (docs/sessions.md) as chat-<id>.txt. */
function SaveHistory({ account, slug, stored }: { account: string; slug: string; stored: StoredRequest }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const save = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const text = await getTranscript(account, slug, stored.request_id, stored.token);
      saveFile(text, `chat-${stored.request_id}.txt`);
    } catch (err) {
      setError(t('chat.saveFailed', { message: errorText(t, err) }));
    }
    setBusy(false);
  };

  return (
    <div class="chat-save">
      <button type="button" class="btn btn-ghost btn-small" data-testid="chat-save" disabled={busy} onClick={save}>
        {busy ? t('chat.saving') : t('chat.save')}
      </button>
      {error && (
        <p class="field-error" role="alert" data-testid="chat-save-error">
          {error}
        </p>
      )}
    </div>
  );
}
