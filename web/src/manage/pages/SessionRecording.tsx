// A session's recording (docs/recording.md, "Replay"): whether it was
// recorded, its size and dates, and the replay: the portal's replay passphrase
// decrypts it on the server, the player shows it. With the same passphrase the
// node makes a WebM video of the shared screen, which is downloaded. Nothing
// decrypted is kept beyond this component.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../../shared/api';
import { saveFile } from '../../shared/download';
import { formatBytes } from '../../shared/format';
import { useI18n, type Translate } from '../../shared/i18n';
import { exportRecording, getRecording, replayRecording, type RecordingInfo, type User } from '../api';
import { TextField } from '../components/Fields';
import { LoadState } from '../components/Status';
import { errorText } from '../errors';
import { useLoad } from '../hooks';
import { parseReplay, replayOf, ReplayFormatError, type Replay } from '../replay';
import { formatTime } from './AuditPage';
import { ReplayPlayer } from './ReplayPlayer';

export function SessionRecording({ id, user }: { id: string; user: User }) {
  const { t } = useI18n();
  const { load, reload } = useLoad((signal) => getRecording(id, signal), [id]);
  const recorded = load.state === 'ok' ? String(load.data.recorded) : undefined;

  return (
    <div class="card" data-testid="session-recording" data-recorded={recorded}>
      <h2>{t('recording.title')}</h2>
      {load.state === 'loading' ? (
        <LoadState load={load} />
      ) : load.state === 'error' ? (
        <div class="form-error" role="alert" data-testid="recording-load-error">
          <p>{t('recording.loadFailed', { message: errorText(t, load.error) })}</p>
          <button type="button" class="btn btn-small" onClick={reload}>
            {t('common.retry')}
          </button>
        </div>
      ) : !load.data.recorded ? (
        <p class="muted" data-testid="recording-none">
          {t('recording.none')}
        </p>
      ) : (
        <>
          <RecordingFacts info={load.data} user={user} />
          {/* Keyed: another session's page starts with an empty form. */}
          <Replayer key={id} id={id} />
        </>
      )}
    </div>
  );
}

function RecordingFacts({ info, user }: { info: RecordingInfo; user: User }) {
  const { t, lang } = useI18n();
  const time = (ms: number | undefined) => (ms ? formatTime(ms, lang, user.time_zone) : '—');
  return (
    <>
      <dl class="facts" data-testid="recording-facts">
        <div class="fact">
          <dt>{t('recording.size')}</dt>
          <dd data-testid="recording-size" data-bytes={info.bytes ?? 0}>
            {formatBytes(lang, info.bytes ?? 0)}
          </dd>
        </div>
        <div class="fact">
          <dt>{t('recording.started')}</dt>
          <dd data-testid="recording-started">{time(info.started_ms)}</dd>
        </div>
        {!info.recording && (
          <div class="fact">
            <dt>{t('recording.ended')}</dt>
            <dd data-testid="recording-ended">{time(info.ended_ms)}</dd>
          </div>
        )}
        <div class="fact">
          <dt>{t('recording.expires')}</dt>
          <dd data-testid="recording-expires">{time(info.expires_ms)}</dd>
        </div>
      </dl>
      {info.recording && (
        <p class="notice notice-info" data-testid="recording-ongoing">
          {t('recording.ongoing')}
        </p>
      )}
      {info.truncated && (
        <p class="warning" data-testid="recording-truncated">
          {t('recording.truncated')}
        </p>
      )}
    </>
  );
}

/** Why the server (or the stream) refused the replay, in the user's language where the code is known. */
function refusalText(t: Translate, error: unknown): string {
  if (error instanceof ReplayFormatError) return t('recording.unreadable');
  if (error instanceof ApiError) {
    if (error.code === 'too_many_attempts') return t('recording.tooManyAttempts');
    if (error.status === 403 || error.status === 404) return t('recording.refused', { message: error.message });
  }
  return errorText(t, error);
}

/** Why the video could not be made, in the user's language where the code is known. */
function exportFailureText(t: Translate, error: unknown): string {
  if (error instanceof ApiError) {
    switch (error.code) {
      case 'no_screen':
        return t('recording.exportNoScreen');
      case 'busy':
        return t('recording.exportBusy');
      case 'too_large':
        return t('recording.exportTooLarge');
      case 'too_many_attempts':
        return t('recording.tooManyAttempts');
      case 'export_failed':
        return t('recording.exportFailed', { message: error.message });
    }
    if (error.status === 403 || error.status === 404) return t('recording.exportRefused', { message: error.message });
  }
  return errorText(t, error);
}

/** The video export: not started, being made, downloaded (its name and size), or refused. */
type ExportState =
  | { phase: 'idle' }
  | { phase: 'running' }
  | { phase: 'done'; filename: string; bytes: number }
  | { phase: 'failed'; error: unknown };

const isAbort = (error: unknown) => error instanceof DOMException && error.name === 'AbortError';

/**
 * The passphrase form with its two actions, replay (the player once the
 * recording is decrypted) and the video export (a download), and the player.
 */
function Replayer({ id }: { id: string }) {
  const { t, lang } = useI18n();
  const [passphrase, setPassphrase] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [replay, setReplay] = useState<Replay>();
  const [exported, setExported] = useState<ExportState>({ phase: 'idle' });
  // The export under way, stopped when the page goes (or shows another session).
  const exportCall = useRef<AbortController>();
  useEffect(
    () => () => {
      exportCall.current?.abort();
      exportCall.current = undefined;
    },
    [id],
  );
  const exporting = exported.phase === 'running';

  const submit = async (e: Event) => {
    e.preventDefault();
    if (passphrase === '' || busy || exporting) return;
    setBusy(true);
    setError(undefined);
    setExported({ phase: 'idle' });
    try {
      const opened = replayOf(parseReplay(await replayRecording(id, passphrase)));
      setPassphrase('');
      setReplay(opened);
    } catch (err) {
      setError(refusalText(t, err));
    } finally {
      setBusy(false);
    }
  };

  const exportVideo = async () => {
    if (passphrase === '' || busy || exporting) return;
    const call = new AbortController();
    exportCall.current = call;
    setError(undefined);
    setExported({ phase: 'running' });
    try {
      const video = await exportRecording(id, passphrase, call.signal);
      if (call.signal.aborted) return;
      const filename = `session-${id}.webm`;
      saveFile(video, filename);
      setPassphrase('');
      setExported({ phase: 'done', filename, bytes: video.size });
    } catch (err) {
      if (isAbort(err) || call.signal.aborted) return;
      setExported({ phase: 'failed', error: err });
    } finally {
      if (exportCall.current === call) exportCall.current = undefined;
    }
  };

  if (replay) return <ReplayPlayer replay={replay} requestId={id} onClose={() => setReplay(undefined)} />;

  const status =
    exported.phase === 'running'
      ? t('recording.exporting')
      : exported.phase === 'done'
        ? t('recording.exported', { name: exported.filename, size: formatBytes(lang, exported.bytes) })
        : '';

  return (
    <form class="form replay-form" data-testid="replay-form" onSubmit={submit} aria-busy={busy || exporting}>
      {error && (
        <div class="form-error" role="alert" data-testid="replay-error">
          {error}
        </div>
      )}
      {exported.phase === 'failed' && (
        <div class="form-error" role="alert" data-testid="recording-export-error">
          {exportFailureText(t, exported.error)}
        </div>
      )}
      <div class="form-inline">
        <TextField
          name="replay_passphrase"
          type="password"
          autoComplete="off"
          label={t('recording.passphrase')}
          value={passphrase}
          onValue={setPassphrase}
          required
        />
        <button
          type="submit"
          class="btn btn-primary"
          data-testid="replay-submit"
          disabled={busy || exporting || passphrase === ''}
        >
          {busy ? t('recording.decrypting') : t('recording.replay')}
        </button>
        <button
          type="button"
          class="btn"
          data-testid="recording-export"
          disabled={busy || exporting || passphrase === ''}
          onClick={() => void exportVideo()}
        >
          {t('recording.export')}
        </button>
      </div>
      <p
        class={exported.phase === 'done' ? 'notice replay-export-status' : 'notice notice-info replay-export-status'}
        role="status"
        data-testid="recording-export-status"
        data-state={exported.phase}
      >
        {status}
      </p>
    </form>
  );
}
