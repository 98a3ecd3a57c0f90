// Reports (company, team and API managers; docs/reports.md): a report (the
// snapshot summary, the session detail, the technician performance or the
// customer feedback) of the requests created from a
// first to a last day in the manager's own time zone, narrowed by portal,
// team or technician as on the Sessions page; run on "Run report", shown as
// tables with charts, and downloadable as CSV (a plain link to the same
// report: the session cookie authenticates it).
import { useEffect, useRef, useState } from 'preact/hooks';
import { localeFor } from '../../shared/format';
import { useI18n, type Lang, type MessageKey } from '../../shared/i18n';
import type { User } from '../api';
import { DayRange, daysWrong, type Days } from '../components/DayRange';
import { PageHeader } from '../components/Status';
import { errorText } from '../errors';
import { addDays, dayOf, dayStart, knownZone } from '../days';
import {
  REPORT_KINDS,
  isReportKind,
  reportCsvUrl,
  runReport,
  type Report,
  type ReportKind,
  type ReportQuery,
} from '../reports/reportsApi';
import { CustomerFeedbackReport } from '../reports/CustomerFeedbackReport';
import { SessionDetailReport } from '../reports/SessionDetailReport';
import { SnapshotReport } from '../reports/SnapshotReport';
import { TechnicianPerformanceReport } from '../reports/TechnicianPerformanceReport';
import { formatTime } from './AuditPage';
import { ScopeSelects, useScopeChoices, type Scope } from './SessionFilters';
import '../reports/reports.css';

const kindLabel: Record<ReportKind, MessageKey> = {
  snapshot: 'reports.kind.snapshot',
  sessions: 'reports.kind.sessions',
  technicians: 'reports.kind.technicians',
  feedback: 'reports.kind.feedback',
};

/** The default range: the last 7 days, today included. */
const DEFAULT_DAYS = 7;

interface Shown {
  kind: ReportKind;
  days: Required<Days>;
  query: ReportQuery;
  report: Report;
}

/** A day (YYYY-MM-DD) as people read it, e.g. "3 Dec 2025". */
function dayText(day: string, lang: Lang): string {
  const [y, m, d] = day.split('-').map(Number);
  try {
    return new Intl.DateTimeFormat(localeFor(lang), { dateStyle: 'medium', timeZone: 'UTC' }).format(
      new Date(Date.UTC(y, m - 1, d)),
    );
  } catch {
    return day;
  }
}

/** The view of a report's result (times in the manager's time zone). */
function ReportView({ report, timeZone }: { report: Report; timeZone?: string }) {
  switch (report.report) {
    case 'snapshot':
      return <SnapshotReport report={report} />;
    case 'sessions':
      return <SessionDetailReport report={report} timeZone={timeZone} />;
    case 'technicians':
      return <TechnicianPerformanceReport report={report} />;
    case 'feedback':
      return <CustomerFeedbackReport report={report} timeZone={timeZone} />;
  }
}

/** The scope as sent: only what is chosen. */
function chosen(scope: Scope): Scope {
  const out: Scope = {};
  if (scope.portal_id) out.portal_id = scope.portal_id;
  if (scope.team_id) out.team_id = scope.team_id;
  if (scope.technician_id) out.technician_id = scope.technician_id;
  return out;
}

export function ReportsPage({ user }: { user: User }) {
  const { t, lang } = useI18n();
  const zone = knownZone(user.time_zone);
  const choices = useScopeChoices(user);
  const [kind, setKind] = useState<ReportKind>('snapshot');
  const [days, setDays] = useState<Days>(() => {
    const today = dayOf(Date.now(), zone);
    return { from: addDays(today, 1 - DEFAULT_DAYS), to: today };
  });
  const [scope, setScope] = useState<Scope>({});
  const [shown, setShown] = useState<Shown>();
  const [error, setError] = useState<unknown>();
  const [missing, setMissing] = useState(false);
  const [busy, setBusy] = useState(false);
  const running = useRef<AbortController>();
  useEffect(() => () => running.current?.abort(), []);

  const wrong = daysWrong(days);

  const run = async (e: Event) => {
    e.preventDefault();
    if (!days.from || !days.to) {
      setMissing(true);
      return;
    }
    setMissing(false);
    if (wrong) return; // said on the page; not sent
    const wanted = { from: days.from, to: days.to };
    const from = dayStart(wanted.from, zone);
    const to = dayStart(addDays(wanted.to, 1), zone);
    if (from === undefined || to === undefined) {
      setMissing(true);
      return;
    }
    const query: ReportQuery = { from, to, ...chosen(scope) };
    running.current?.abort();
    const abort = new AbortController();
    running.current = abort;
    setBusy(true);
    setError(undefined);
    try {
      const report = await runReport(kind, query, abort.signal);
      if (abort.signal.aborted) return;
      setShown({ kind, days: wanted, query, report });
    } catch (err) {
      if (abort.signal.aborted) return;
      setShown(undefined);
      setError(err);
    } finally {
      if (running.current === abort) {
        running.current = undefined;
        setBusy(false);
      }
    }
  };

  return (
    <section class="page-reports" aria-labelledby="reports-title" data-testid="reports">
      <PageHeader id="reports-title" title={t('reports.title')} />
      <p class="page-intro muted">{t('reports.intro')}</p>

      <form
        class="card audit-filters report-form"
        aria-label={t('reports.form.label')}
        data-testid="report-form"
        data-busy={String(busy)}
        onSubmit={run}
        noValidate
      >
        <div class="field">
          <label for="report-kind">{t('reports.field.kind')}</label>
          <select
            id="report-kind"
            name="report"
            data-testid="report-kind"
            value={kind}
            onChange={(e) => {
              const value = e.currentTarget.value;
              if (isReportKind(value)) setKind(value);
            }}
          >
            {REPORT_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(kindLabel[k])}
              </option>
            ))}
          </select>
        </div>
        <DayRange
          prefix="report"
          days={days}
          labels={{ from: t('reports.field.from'), to: t('reports.field.to') }}
          onChange={(d) => {
            setMissing(false);
            setDays(d);
          }}
        />
        <ScopeSelects
          prefix="report-filter"
          choices={choices}
          scope={scope}
          onChange={(part) => setScope((s) => ({ ...s, ...part }))}
        />
        <div class="report-form-actions">
          <button type="submit" class="btn btn-primary" data-testid="report-run" disabled={busy}>
            {busy ? t('reports.running') : t('reports.run')}
          </button>
        </div>
        {wrong && (
          <p class="form-error" role="alert" data-testid="report-range-wrong">
            {t('sessions.filter.rangeWrong')}
          </p>
        )}
        {missing && !wrong && (
          <p class="form-error" role="alert" data-testid="report-days-missing">
            {t('reports.daysMissing')}
          </p>
        )}
      </form>

      {error !== undefined && (
        <p class="form-error" role="alert" data-testid="report-error">
          {errorText(t, error)}
        </p>
      )}

      {shown && (
        <div
          class="report-result"
          data-testid="report-result"
          data-kind={shown.kind}
          data-from={shown.report.from}
          data-to={shown.report.to}
          aria-busy={busy ? true : undefined}
        >
          <div class="report-head">
            <p class="report-meta">
              <strong>{t(kindLabel[shown.kind])}</strong>
              <span data-testid="report-range">
                {t('reports.range', { from: dayText(shown.days.from, lang), to: dayText(shown.days.to, lang) })}
              </span>
              <span class="muted">
                {t('reports.generated', { time: formatTime(shown.report.generated_at, lang, zone) })}
              </span>
            </p>
            <a
              class="btn"
              href={reportCsvUrl(shown.kind, shown.query)}
              download=""
              data-testid="report-csv"
            >
              {t('reports.csv')}
            </a>
          </div>
          <ReportView report={shown.report} timeZone={zone} />
        </div>
      )}
    </section>
  );
}
