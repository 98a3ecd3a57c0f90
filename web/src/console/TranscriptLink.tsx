// "Transcript": the request's chat as a text file, private notes included
// (GET /api/v1/requests/:id/transcript, docs/sessions.md). A real link, fetched
// by script so that a failure shows as a toast instead of a broken download.
import { useState } from 'preact/hooks';
import { apiBlob } from '../shared/api';
import { saveFile } from '../shared/download';
import { errorText } from '../shared/errors';
import { useI18n } from '../shared/i18n';

export const transcriptUrl = (requestId: string) => `/api/v1/requests/${encodeURIComponent(requestId)}/transcript`;

export function TranscriptLink({ requestId, onError }: { requestId: string; onError: (text: string) => void }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const filename = `chat-${requestId}.txt`;

  const download = async (e: MouseEvent) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    try {
      saveFile(await apiBlob('GET', transcriptUrl(requestId)), filename);
    } catch (err) {
      onError(t('chat.transcriptFailed', { message: errorText(t, err) }));
    }
    setBusy(false);
  };

  return (
    <a
      class="transcript-link"
      href={transcriptUrl(requestId)}
      download={filename}
      data-testid="transcript"
      title={t('chat.transcriptHint')}
      aria-busy={busy}
      onClick={download}
    >
      {t('chat.transcript')}
    </a>
  );
}
