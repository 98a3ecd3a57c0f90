// One session (#/sessions/<id>): the request's customer, problem, source,
// technician, times and how it ended (resolution, notes, the customer's
// rating and comment), the computer's details the customer's support app
// sent (when it sent any), its chat as the transcript (private notes marked),
// which can also be downloaded, and its recording with the replay and the
// video export. A technician in their limited Management Center (their own
// sessions) gets the recording of the sessions they handled themselves
// (with the passphrase, as managers), not the live watching.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { DiagnosticsView } from '../../shared/Diagnostics';
import { saveFile } from '../../shared/download';
import { useI18n, type MessageKey } from '../../shared/i18n';
import { RatingStars, resolutionText } from '../../shared/session_end';
import {
  getSession,
  getSessionDiagnostics,
  getSessionTranscript,
  isTechnician,
  sessionTranscriptUrl,
  type SessionRow,
  type User,
} from '../api';
import { LoadState, PageHeader } from '../components/Status';
import { errorText } from '../errors';
import { useLoad } from '../hooks';
import { deviceLabel, requestStatusLabel } from '../labels';
import { href } from '../router';
import { formatTime } from './AuditPage';
import { LiveMonitor } from './LiveMonitor';
import { SessionRecording } from './SessionRecording';

/** The customer's fields shown on their own; the others are listed after them. */
const NAMED_FIELDS = new Set(['name', 'email', 'company', 'problem']);

function Facts({ testid, children }: { testid: string; children: ComponentChildren }) {
  return (
    <dl class="facts" data-testid={testid}>
      {children}
    </dl>
  );
}

function Fact({ label, testid, pre, children }: { label: string; testid?: string; pre?: boolean; children: ComponentChildren }) {
  return (
    <div class="fact">
      <dt>{label}</dt>
      <dd class={pre ? 'pre-line' : undefined} data-testid={testid}>
        {children}
      </dd>
    </div>
  );
}

export function SessionPage({ id, user, live = false }: { id: string; user: User; live?: boolean }) {
  const { t } = useI18n();
  const { load, reload } = useLoad((signal) => getSession(id, signal), [id]);
  // Opened to watch (a dashboard's "View"): the live monitoring starts at once when the session is active.
  const manager = !isTechnician(user);
  const [watching, setWatching] = useState(live && manager);

  if (load.state !== 'ok') return <LoadState load={load} onRetry={reload} />;
  const session = load.data;

  if (!session) {
    return (
      <section>
        <PageHeader title={t('sessions.notFound')}>
          <a class="btn" href={href({ page: 'sessions' })}>
            {t('common.back')}
          </a>
        </PageHeader>
        <div class="card">
          <p data-testid="session-missing">{t('sessions.notFoundText')}</p>
        </div>
      </section>
    );
  }

  return (
    <section
      aria-labelledby="session-title"
      data-testid="session-detail"
      data-request-id={session.id}
      data-status={session.status}
    >
      <PageHeader id="session-title" title={t('sessions.detail.title', { id: session.id })}>
        {manager && session.status === 'active' && (
          <button
            type="button"
            class={watching ? 'btn' : 'btn btn-primary'}
            data-testid="watch-live"
            aria-pressed={watching}
            onClick={() => setWatching((w) => !w)}
          >
            {watching ? t('sessions.live.close') : t('sessions.live.watch')}
          </button>
        )}
        <a class="btn" href={href({ page: 'sessions' })} data-testid="session-back">
          {t('common.back')}
        </a>
      </PageHeader>
      {manager && watching && session.status === 'active' && (
        <LiveMonitor requestId={session.id} customerName={session.customer.name ?? ''} />
      )}
      <div class="columns">
        <div class="column">
          <SessionFacts session={session} user={user} />
          <CustomerFacts session={session} />
          <ComputerDetails id={session.id} user={user} />
        </div>
        <div class="column">
          <Transcript id={session.id} />
        </div>
      </div>
      {(manager || String(session.technician_id) === String(user.id)) && (
        <SessionRecording id={session.id} user={user} />
      )}
    </section>
  );
}

function SessionFacts({ session: s, user }: { session: SessionRow; user: User }) {
  const { t, lang } = useI18n();
  const status: MessageKey | undefined = requestStatusLabel[s.status];
  const time = (ms: number) => formatTime(ms, lang, user.time_zone);
  return (
    <div class="card">
      <h2>{t('sessions.detail.session')}</h2>
      <Facts testid="session-facts">
        <Fact label={t('sessions.detail.status')} testid="session-status">
          {status ? t(status) : s.status}
        </Fact>
        <Fact label={t('console.detail.portal')} testid="session-portal">
          {s.portal_name || '—'}
        </Fact>
        <Fact label={t('console.detail.technician')} testid="session-technician">
          {s.technician_name || '—'}
        </Fact>
        <Fact label={t('console.detail.created')} testid="session-created">
          {time(s.created_at)}
        </Fact>
        <Fact label={t('console.detail.updated')} testid="session-updated">
          {time(s.updated_at)}
        </Fact>
        {s.resolution && (
          <Fact label={t('console.detail.resolution')} testid="session-resolution">
            {resolutionText(t, s.resolution)}
          </Fact>
        )}
        {s.notes && (
          <Fact label={t('console.detail.notes')} testid="session-notes" pre>
            {s.notes}
          </Fact>
        )}
        {s.rating > 0 && (
          <Fact label={t('console.detail.rating')} testid="session-rating">
            <RatingStars rating={s.rating} />
          </Fact>
        )}
        {s.comment && (
          <Fact label={t('console.detail.comment')} testid="session-comment" pre>
            {s.comment}
          </Fact>
        )}
      </Facts>
    </div>
  );
}

function CustomerFacts({ session: s }: { session: SessionRow }) {
  const { t } = useI18n();
  const c = s.customer;
  const others = Object.entries(c.fields ?? {}).filter(
    ([key, value]) => !NAMED_FIELDS.has(key) && typeof value === 'string' && value !== '',
  );
  const source = s.source ?? {};
  const device = source.device ? (deviceLabel[source.device] ? t(deviceLabel[source.device]) : source.device) : '';
  return (
    <>
      <div class="card">
        <h2>{t('sessions.detail.customer')}</h2>
        <Facts testid="session-customer">
          {c.name && (
            <Fact label={t('console.detail.name')} testid="session-customer-name">
              {c.name}
            </Fact>
          )}
          {c.email && (
            <Fact label={t('console.detail.email')} testid="session-customer-email">
              {c.email}
            </Fact>
          )}
          {c.company && (
            <Fact label={t('console.detail.company')} testid="session-customer-company">
              {c.company}
            </Fact>
          )}
          {c.problem && (
            <Fact label={t('sessions.detail.problem')} testid="session-problem" pre>
              {c.problem}
            </Fact>
          )}
          {others.map(([key, value]) => (
            <Fact key={key} label={key} testid="session-field">
              {value}
            </Fact>
          ))}
          {s.skills && s.skills.length > 0 && (
            <Fact label={t('console.detail.skills')} testid="session-skills">
              {s.skills.join(', ')}
            </Fact>
          )}
        </Facts>
      </div>
      <div class="card">
        <h2>{t('sessions.detail.source')}</h2>
        <Facts testid="session-source">
          {source.ip && (
            <Fact label={t('console.detail.ip')} testid="session-ip">
              {source.ip}
            </Fact>
          )}
          {device && (
            <Fact label={t('console.detail.device')} testid="session-device">
              {device}
            </Fact>
          )}
          {source.os && (
            <Fact label={t('console.detail.os')} testid="session-os">
              {source.os}
            </Fact>
          )}
          {source.browser && (
            <Fact label={t('console.detail.browser')} testid="session-browser">
              {source.browser}
            </Fact>
          )}
        </Facts>
      </div>
    </>
  );
}

/**
 * What the customer's support app reported about the computer (the console's
 * view of it); nothing at all when it sent no details (or while loading).
 */
function ComputerDetails({ id, user }: { id: string; user: User }) {
  const { t, lang } = useI18n();
  const { load, reload } = useLoad((signal) => getSessionDiagnostics(id, signal), [id]);
  if (load.state === 'loading') return null;
  if (load.state === 'error') {
    return (
      <div class="card" data-testid="session-diagnostics-error">
        <h2>{t('diag.title')}</h2>
        <div class="form-error" role="alert">
          <p>{t('sessions.detail.diagnosticsFailed', { message: errorText(t, load.error) })}</p>
          <button type="button" class="btn btn-small" onClick={reload}>
            {t('common.retry')}
          </button>
        </div>
      </div>
    );
  }
  if (!load.data) return null;
  return (
    <DiagnosticsView
      diagnostics={load.data}
      level={2}
      class="card"
      formatAt={(ms) => formatTime(ms, lang, user.time_zone)}
    />
  );
}

/** The chat as the server's transcript: shown as text, and saved as chat-<id>.txt from what was loaded. */
function Transcript({ id }: { id: string }) {
  const { t } = useI18n();
  const { load, reload } = useLoad((signal) => getSessionTranscript(id, signal), [id]);
  const filename = `chat-${id}.txt`;

  const download = (e: MouseEvent) => {
    if (load.state !== 'ok') return;
    e.preventDefault();
    saveFile(new Blob([load.data], { type: 'text/plain;charset=utf-8' }), filename);
  };

  return (
    <div class="card" data-testid="session-chat">
      <div class="card-head">
        <h2>{t('sessions.detail.transcript')}</h2>
        {load.state === 'ok' && load.data !== '' && (
          <a
            class="btn btn-small"
            href={sessionTranscriptUrl(id)}
            download={filename}
            data-testid="session-transcript-download"
            onClick={download}
          >
            {t('sessions.detail.download')}
          </a>
        )}
      </div>
      {load.state === 'loading' ? (
        <LoadState load={load} />
      ) : load.state === 'error' ? (
        <div class="form-error" role="alert" data-testid="session-transcript-error">
          <p>{t('sessions.detail.transcriptFailed', { message: errorText(t, load.error) })}</p>
          <button type="button" class="btn btn-small" onClick={reload}>
            {t('common.retry')}
          </button>
        </div>
      ) : load.data === '' ? (
        <p class="muted" data-testid="session-transcript-empty">
          {t('sessions.detail.noChat')}
        </p>
      ) : (
        <pre class="transcript" data-testid="session-transcript">
          {load.data}
        </pre>
      )}
    </div>
  );
}
