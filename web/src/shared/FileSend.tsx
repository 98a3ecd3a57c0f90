// "Send file" next to the chat input: a button that opens the file picker
// (only the names on the allowlist are offered), then sends the file and says
// so while it goes ("Sending report.pdf…"), or why the server refused it. The
// chat line (or the refusal's system line) arrives over the WebSocket by itself.
import { useRef, useState } from 'preact/hooks';
import { errorText } from './errors';
import { FILE_ACCEPT } from './files';
import { useI18n } from './i18n';

export interface FileSendProps {
  /** Uploads the file; rejects with the server's error. */
  send: (file: File) => Promise<unknown>;
  disabled?: boolean;
}

export function FileSend({ send, disabled = false }: FileSendProps) {
  const { t } = useI18n();
  const input = useRef<HTMLInputElement>(null);
  const [sending, setSending] = useState<string>();
  const [error, setError] = useState<string>();

  const pick = async (e: Event) => {
    const el = e.currentTarget as HTMLInputElement;
    const file = el.files?.[0];
    el.value = ''; // the same file can be picked again
    if (!file) return;
    setSending(file.name);
    setError(undefined);
    try {
      await send(file);
    } catch (err) {
      setError(t('chat.file.failed', { name: file.name, message: errorText(t, err) }));
    }
    setSending(undefined);
  };

  return (
    <div class="chat-file-send">
      <input
        ref={input}
        type="file"
        hidden
        accept={FILE_ACCEPT}
        data-testid="chat-file-input"
        onChange={pick}
      />
      <button
        type="button"
        class="btn btn-ghost btn-small"
        data-testid="chat-file-send"
        disabled={disabled || sending !== undefined}
        title={t('chat.file.hint')}
        onClick={() => input.current?.click()}
      >
        {t('chat.file.send')}
      </button>
      {sending !== undefined && (
        <span class="chat-file-note muted small" role="status" data-testid="chat-file-sending">
          {t('chat.file.sending', { name: sending })}
        </span>
      )}
      {error && (
        <span class="chat-file-note chat-file-error" role="alert" data-testid="chat-file-send-error">
          {error}
        </span>
      )}
    </div>
  );
}
