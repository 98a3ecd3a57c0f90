// A file in the chat: its name and size; a click fetches it (so that a
// failure can be said next to it) and saves it under its name. The file is
// never shown inside the page (docs/sessions.md, "Files").
import { useState } from 'preact/hooks';
import { saveFile } from './download';
import { errorText } from './errors';
import type { ChatFile } from './files';
import { formatBytes } from './format';
import { useI18n } from './i18n';

export interface FileLinkProps {
  file: ChatFile;
  /** Fetches the file; without it the name is shown, but cannot be downloaded here. */
  open?: (file: ChatFile) => Promise<Blob>;
}

export function FileLink({ file, open }: FileLinkProps) {
  const { t, lang } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const label = t('chat.file.label', { name: file.name, size: formatBytes(lang, file.size) });

  const download = async () => {
    if (!open || busy) return;
    setBusy(true);
    setError(undefined);
    try {
      saveFile(await open(file), file.name);
    } catch (err) {
      setError(t('chat.file.downloadFailed', { message: errorText(t, err) }));
    }
    setBusy(false);
  };

  return (
    <p class="chat-text chat-file-line">
      {open ? (
        <button
          type="button"
          class="chat-file"
          data-testid="chat-file"
          data-file-id={file.id}
          title={t('chat.file.download')}
          aria-busy={busy}
          onClick={download}
        >
          {label}
        </button>
      ) : (
        <span class="chat-file" data-testid="chat-file" data-file-id={file.id}>
          {label}
        </span>
      )}
      {error && (
        <span class="chat-file-error" role="alert" data-testid="chat-file-error">
          {error}
        </span>
      )}
    </p>
  );
}
