// Reports (company, team and API managers; docs/reports.md): a report (the
// snapshot summary, the session detail, the technician performance, the
// customer feedback or the service level against a target wait) of the
// requests created in a period, or the technicians' activity (time per status)
// in it (today, the last 7 days, last month … or a first to a last day) in
// the manager's own time zone, narrowed by portal, team or technician as on
// the Sessions page; run on "Run report", shown as tables with charts, and
// downloadable as CSV (a plain link to the same
// report: the session cookie authenticates it). Reports reach back the
// account's `report_days` (GET /api/v1/account, which every manager may read):
// the page says how far, offers no earlier day and refuses a first day further
// back without asking the server (which refuses it too: 400 `out_of_retention`).
// "My reports" below keeps the settings under a name, to run again later
// with the latest data (a relative period's days are those of the day it runs),
// and to have it e-mailed daily, weekly or monthly.
// A second tab, "Monthly reports" (#/reports/monthly), reports whole months
// from the daily roll-ups (reports/MonthlyReports.tsx).
import { useEffect, useRef, useState } from 'preact/hooks';
import { useI18n, type Translate } from '../../shared/i18n';
import { ApiError } from '../../shared/api';
import { getAccount, isTechnician, type User } from '../api';
import { daysWrong, type Days } from '../components/DayRange';
import { PageHeader } from '../components/Status';
import { errorText } from '../errors';
import { addDays, dayOf, dayStart, knownZone } from '../days';
import { useLoad } from '../hooks';
import { navigate } from '../router';
import { kindLabel } from '../reports/labels';
import { MonthlyReports } from '../reports/MonthlyReports';
import { MyReports } from '../reports/MyReports';
import { PeriodField } from '../reports/PeriodField';
import { DEFAULT_PERIOD, periodDays, type DaySpan, type Period } from '../reports/periods';
import { ReportResult, type Shown } from '../reports/ReportResult';
import { REPORT_KINDS, isReportKind, runReport, type ReportKind, type ReportQuery } from '../reports/reportsApi';
import { listSavedReports, type SavedReport, type SavedReportInput } from '../reports/savedReportsApi';
import { SaveReportForm } from '../reports/SaveReportForm';
import { DEFAULT_TARGET_S, targetSeconds } from '../reports/serviceLevel';
import { TargetError, TargetField } from '../reports/TargetField';
import { ScopeSelects, useScopeChoices, type Scope } from './SessionFilters';
import '../reports/reports.css';

/**
 * What the form holds: the report, its period (with the days chosen for
 * `days`), its narrowing and the service level's target wait (as typed).
 */
interface Settings {
  kind: ReportKind;
  period: Period;
  days: Days;
  scope: Scope;
  target: string;
}

const DEFAULT_TARGET = String(DEFAULT_TARGET_S);
const DAY_MS = 24 * 3600 * 1000;

/** A first day further back than reports reach (`days`, the account's `report_days`): refused before sending. */
class TooFarBack {
  constructor(readonly days: number) {}
}

/**
 * A failed run in words: how far back reports reach, with the number of days
 * (the server's, else the account's), or the error's own text.
 */
function runErrorText(t: Translate, error: unknown, reportDays: number | undefined): string {
  if (error instanceof TooFarBack) return t('reports.outOfRetention', { days: error.days });
  if (error instanceof ApiError && error.code === 'out_of_retention') {
    // "session data is kept only N days"
    const said = /(\d+) days/.exec(error.message)?.[1];
    const days = said !== undefined ? Number(said) : reportDays;
    if (days !== undefined) return t('reports.outOfRetention', { days });
  }
  return errorText(t, error);
}

/** The scope as sent: only what is chosen. */
function chosen(scope: Scope): Scope {
  const out: Scope = {};
  if (scope.portal_id) out.portal_id = scope.portal_id;
  if (scope.team_id) out.team_id = scope.team_id;
  if (scope.technician_id) out.technician_id = scope.technician_id;
  return out;
}

/** The two tabs: reports of days chosen (#/reports) and of whole months (#/reports/monthly). */
const VIEWS = [
  { monthly: false, id: 'reports-tab-daily', label: 'reports.view.daily' },
  { monthly: true, id: 'reports-tab-monthly', label: 'reports.view.monthly' },
] as const;

/**
 * The tabs above the reports: each one its own address, so that a reload or a
 * link keeps it; the arrow keys move between them.
 */
function ReportViews({ monthly }: { monthly: boolean }) {
  const { t } = useI18n();
  const show = (next: boolean) => navigate({ page: 'reports', ...(next && { monthly: true }) });
  return (
    <div
      class="report-views"
      role="tablist"
      aria-label={t('reports.views')}
      onKeyDown={(e) => {
        if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
        e.preventDefault();
        const next = VIEWS.find((v) => v.monthly !== monthly)!;
        show(next.monthly);
        document.getElementById(next.id)?.focus();
      }}
    >
      {VIEWS.map((v) => (
        <button
          key={v.id}
          id={v.id}
          type="button"
          role="tab"
          class="report-view"
          aria-selected={v.monthly === monthly}
          aria-controls="reports-panel"
          tabIndex={v.monthly === monthly ? 0 : -1}
          data-testid={v.monthly ? 'reports-tab-monthly' : 'reports-tab-daily'}
          onClick={() => show(v.monthly)}
        >
          {t(v.label)}
        </button>
      ))}
    </div>
  );
}

export function ReportsPage({ user, monthly = false }: { user: User; monthly?: boolean }) {
  const { t } = useI18n();
  return (
    <section
      class="page-reports"
      aria-labelledby="reports-title"
      data-testid="reports"
      data-view={monthly ? 'monthly' : 'daily'}
    >
      <PageHeader id="reports-title" title={t('reports.title')} />
      <ReportViews monthly={monthly} />
      <div
        id="reports-panel"
        role="tabpanel"
        aria-labelledby={monthly ? 'reports-tab-monthly' : 'reports-tab-daily'}
      >
        {monthly ? <MonthlyReports user={user} /> : <DailyReports user={user} />}
      </div>
    </section>
  );
}

/** The reports of days chosen: the form, the result and My reports. */
function DailyReports({ user }: { user: User }) {
  const { t } = useI18n();
  const zone = knownZone(user.time_zone);
  /** Today in the manager's time zone, as of now. */
  const today = () => dayOf(Date.now(), zone);
  const choices = useScopeChoices(user);
  const saved = useLoad((signal) => listSavedReports(signal));
  // A technician (own reports) may not read the account: the server's refusal then says how far reports reach.
  const account = useLoad((signal) => (isTechnician(user) ? Promise.resolve(undefined) : getAccount(signal)));
  /** How far back reports reach, in days; undefined until known (the server still refuses a range too far back). */
  const reportDays = account.load.state === 'ok' ? account.load.data?.report_days : undefined;
  const [kind, setKind] = useState<ReportKind>('snapshot');
  const [period, setPeriod] = useState<Period>(DEFAULT_PERIOD);
  const [days, setDays] = useState<Days>(() => periodDays(DEFAULT_PERIOD, today()));
  const [scope, setScope] = useState<Scope>({});
  const [target, setTarget] = useState(DEFAULT_TARGET);
  /** Set when a run was refused for the target: it is said under it until it is right. */
  const [targetTried, setTargetTried] = useState(false);
  const [editing, setEditing] = useState<SavedReport>();
  const [saves, setSaves] = useState(0);
  const [shown, setShown] = useState<Shown>();
  const [error, setError] = useState<unknown>();
  const [missing, setMissing] = useState(false);
  const [busy, setBusy] = useState(false);
  const running = useRef<AbortController>();
  const settingsRef = useRef<HTMLDivElement>(null);
  useEffect(() => () => running.current?.abort(), []);

  const wrong = period === 'days' && daysWrong(days);
  const targetWrong = kind === 'service_level' && targetTried && targetSeconds(target) === undefined;

  /** The days the settings cover as of now; undefined (and said on the page) when custom days are missing or wrong. */
  const spanOf = (s: Pick<Settings, 'period' | 'days'>): DaySpan | undefined => {
    if (s.period !== 'days') return periodDays(s.period, today());
    if (!s.days.from || !s.days.to) {
      setMissing(true);
      return undefined;
    }
    setMissing(false);
    return daysWrong(s.days) ? undefined : { from: s.days.from, to: s.days.to };
  };

  /** The service level's target to send (undefined for the other reports); false, said under it, when it is wrong. */
  const targetOf = (s: Pick<Settings, 'kind' | 'target'>): number | undefined | false => {
    if (s.kind !== 'service_level') return undefined;
    const seconds = targetSeconds(s.target);
    setTargetTried(seconds === undefined);
    return seconds ?? false;
  };

  const run = async (s: Settings) => {
    const seconds = targetOf(s);
    const wanted = spanOf(s);
    if (!wanted || seconds === false) return; // said on the page; not sent
    const from = dayStart(wanted.from, zone);
    const to = dayStart(addDays(wanted.to, 1), zone);
    if (from === undefined || to === undefined) {
      setMissing(true);
      return;
    }
    // As the server checks it: `from` no further back than the account's days from now.
    if (reportDays !== undefined && from < Date.now() - reportDays * DAY_MS) {
      running.current?.abort();
      setShown(undefined);
      setError(new TooFarBack(reportDays));
      return;
    }
    const query: ReportQuery = { from, to, ...chosen(s.scope) };
    if (seconds !== undefined) query.target_s = seconds;
    running.current?.abort();
    const abort = new AbortController();
    running.current = abort;
    setBusy(true);
    setError(undefined);
    try {
      const report = await runReport(s.kind, query, abort.signal);
      if (abort.signal.aborted) return;
      setShown({ kind: s.kind, days: wanted, query, report });
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

  /** What "Save report" sends but the name; undefined when custom days or the target are missing or wrong. */
  const toSave = (): Omit<SavedReportInput, 'name' | 'schedule' | 'send_at' | 'email'> | undefined => {
    const span = period === 'days' ? spanOf({ period, days }) : undefined;
    const seconds = targetOf({ kind, target });
    if ((period === 'days' && !span) || seconds === false) return undefined;
    return {
      kind,
      period,
      from: span?.from ?? '',
      to: span?.to ?? '',
      portal_id: scope.portal_id ?? '',
      team_id: scope.team_id ?? '',
      technician_id: scope.technician_id ?? '',
      ...(seconds !== undefined && { target_s: seconds }),
    };
  };

  /** Fills the form from a saved report (custom days only when it has them) and brings it into view. */
  const fill = (r: SavedReport): Settings => {
    const s: Settings = {
      kind: r.kind,
      period: r.period,
      days: r.period === 'days' ? { from: r.from, to: r.to } : days,
      scope: chosen({ portal_id: r.portal_id, team_id: r.team_id, technician_id: r.technician_id }),
      target: String(r.target_s),
    };
    setKind(s.kind);
    setPeriod(s.period);
    setDays(s.days);
    setScope(s.scope);
    setTarget(s.target);
    setTargetTried(false);
    setMissing(false);
    settingsRef.current?.scrollIntoView({ block: 'start' });
    return s;
  };

  const stopEditing = () => {
    setEditing(undefined);
    setSaves((n) => n + 1);
  };

  return (
    <>
      <p class="page-intro muted">
        {t('reports.intro')}
        {reportDays !== undefined && (
          <>
            {' '}
            <span data-testid="report-reach" data-days={reportDays}>
              {t('reports.reach', { days: reportDays })}
            </span>
          </>
        )}
      </p>

      <div class="card report-settings" ref={settingsRef}>
        <form
          class="audit-filters report-form"
          aria-label={t('reports.form.label')}
          data-testid="report-form"
          data-busy={String(busy)}
          onSubmit={(e) => {
            e.preventDefault();
            void run({ kind, period, days, scope, target });
          }}
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
          <PeriodField
            period={period}
            days={days}
            today={today()}
            earliest={reportDays !== undefined ? addDays(today(), 1 - reportDays) : undefined}
            onPeriod={(p) => {
              setMissing(false);
              setPeriod(p);
            }}
            onDays={(d) => {
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
          {kind === 'service_level' && <TargetField value={target} onValue={setTarget} wrong={targetWrong} />}
          <div class="report-form-actions">
            <button type="submit" class="btn btn-primary" data-testid="report-run" disabled={busy}>
              {busy ? t('reports.running') : t('reports.run')}
            </button>
          </div>
          {targetWrong && <TargetError />}
          {wrong && (
            <p class="form-error" role="alert" data-testid="report-range-wrong">
              {t('sessions.filter.rangeWrong')}
            </p>
          )}
          {missing && period === 'days' && !wrong && (
            <p class="form-error" role="alert" data-testid="report-days-missing">
              {t('reports.daysMissing')}
            </p>
          )}
        </form>
        <SaveReportForm
          key={editing ? `edit-${editing.id}` : `new-${saves}`}
          settings={toSave}
          editing={editing}
          onSaved={() => {
            stopEditing();
            saved.reload();
          }}
          onCancel={stopEditing}
          // The server's default zone for a manager who set none.
          owner={{ email: user.email, timeZone: user.time_zone || 'UTC' }}
        />
      </div>

      {error !== undefined && (
        <p class="form-error" role="alert" data-testid="report-error">
          {runErrorText(t, error, reportDays)}
        </p>
      )}

      {shown && <ReportResult shown={shown} busy={busy} timeZone={zone} />}

      <MyReports
        load={saved.load}
        reload={saved.reload}
        choices={choices}
        timeZone={zone}
        editing={editing}
        onRun={(r) => {
          if (editing) stopEditing();
          void run(fill(r));
        }}
        onEdit={(r) => {
          fill(r);
          setEditing(r);
        }}
        onDeleted={(r) => {
          if (editing?.id === r.id) stopEditing();
        }}
      />
    </>
  );
}
