// The Reports page's "Monthly reports" tab (docs/reports.md, "Monthly
// reports"): a report over whole months (at most 12) from the daily
// roll-ups, whose days end at midnight in the account's time zone (Account
// settings) rather than the manager's own. The months to choose are those
// with roll-ups (GET /api/v1/reports/monthly), the latest chosen at first;
// until the first day has been rolled up the tab says so, with a button to
// look again. The report is the snapshot summary, the technician performance
// or the service level against one of the targets the roll-ups keep waits
// for, narrowed as the reports by day are; run on "Run report", shown under
// the form and downloadable as CSV.
import { useEffect, useRef, useState } from 'preact/hooks';
import { useI18n } from '../../shared/i18n';
import type { User } from '../api';
import { LoadState } from '../components/Status';
import { knownZone } from '../days';
import { errorText } from '../errors';
import { useLoad } from '../hooks';
import { ScopeSelects, useScopeChoices, type Scope } from '../pages/SessionFilters';
import { kindLabel } from './labels';
import {
  DEFAULT_MONTHLY_TARGET_S,
  isMonthlyKind,
  MAX_MONTHS,
  MONTHLY_KINDS,
  MONTHLY_TARGETS_S,
  monthlyIndex,
  monthsBetween,
  runMonthly,
  type MonthlyKind,
  type MonthlyQuery,
  type MonthlyReport,
} from './monthlyApi';
import { MonthlyResult, monthText } from './MonthlyResult';
import { duration } from './parts';

/** A report as run: the query sent and the answer. */
interface Shown {
  query: MonthlyQuery;
  report: MonthlyReport;
}

export function MonthlyReports({ user }: { user: User }) {
  const { t, lang } = useI18n();
  const zone = knownZone(user.time_zone);
  const choices = useScopeChoices(user);
  const index = useLoad((signal) => monthlyIndex(signal));
  const months = index.load.state === 'ok' ? index.load.data.months : [];
  const [kind, setKind] = useState<MonthlyKind>('snapshot');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [target, setTarget] = useState(DEFAULT_MONTHLY_TARGET_S);
  const [scope, setScope] = useState<Scope>({});
  const [shown, setShown] = useState<Shown>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const running = useRef<AbortController>();
  useEffect(() => () => running.current?.abort(), []);

  // The latest month for both at first, and again when a month chosen is no longer offered.
  const latest = months.at(-1) ?? '';
  useEffect(() => {
    if (latest === '') return;
    if (!months.includes(from)) setFrom(latest);
    if (!months.includes(to)) setTo(latest);
  }, [months.join(',')]);

  const span = from !== '' && to !== '' ? monthsBetween(from, to) : 0;
  const backwards = from !== '' && to !== '' && span < 1;
  const tooLong = span > MAX_MONTHS;

  const run = async () => {
    if (from === '' || to === '' || backwards || tooLong) return; // said on the page; not sent
    const query: MonthlyQuery = { from, to, kind };
    if (kind === 'service_level') query.target_s = target;
    if (scope.portal_id) query.portal_id = scope.portal_id;
    if (scope.team_id) query.team_id = scope.team_id;
    if (scope.technician_id) query.technician_id = scope.technician_id;
    running.current?.abort();
    const abort = new AbortController();
    running.current = abort;
    setBusy(true);
    setError(undefined);
    try {
      const report = await runMonthly(query, abort.signal);
      if (abort.signal.aborted) return;
      setShown({ query, report });
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

  const monthOptions = months.map((m) => (
    <option key={m} value={m}>
      {monthText(m, lang)}
    </option>
  ));

  return (
    <div class="monthly-reports" data-testid="monthly-reports">
      <p class="page-intro muted">
        {t('reports.monthly.intro')}
        {index.load.state === 'ok' && (
          <>
            {' '}
            <span data-testid="monthly-zone" data-time-zone={index.load.data.time_zone}>
              {t('reports.monthly.zone', { zone: index.load.data.time_zone })}
            </span>
          </>
        )}
      </p>

      {index.load.state !== 'ok' ? (
        <LoadState load={index.load} onRetry={index.reload} />
      ) : months.length === 0 ? (
        <div class="card monthly-empty" data-testid="monthly-empty">
          <p>{t('reports.monthly.none')}</p>
          <button type="button" class="btn" data-testid="monthly-check-again" onClick={index.reload}>
            {t('reports.monthly.checkAgain')}
          </button>
        </div>
      ) : (
        <div class="card report-settings">
          <form
            class="audit-filters report-form"
            aria-label={t('reports.monthly.form.label')}
            data-testid="monthly-form"
            data-busy={String(busy)}
            onSubmit={(e) => {
              e.preventDefault();
              void run();
            }}
            noValidate
          >
            <div class="field">
              <label for="monthly-kind">{t('reports.field.kind')}</label>
              <select
                id="monthly-kind"
                name="kind"
                data-testid="monthly-kind"
                value={kind}
                onChange={(e) => {
                  const value = e.currentTarget.value;
                  if (isMonthlyKind(value)) setKind(value);
                }}
              >
                {MONTHLY_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {t(kindLabel[k])}
                  </option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for="monthly-from">{t('reports.monthly.field.from')}</label>
              <select
                id="monthly-from"
                name="from"
                data-testid="monthly-from"
                value={from}
                aria-invalid={backwards || tooLong ? true : undefined}
                aria-describedby={backwards || tooLong ? 'monthly-range-wrong' : undefined}
                onChange={(e) => setFrom(e.currentTarget.value)}
              >
                {monthOptions}
              </select>
            </div>
            <div class="field">
              <label for="monthly-to">{t('reports.monthly.field.to')}</label>
              <select
                id="monthly-to"
                name="to"
                data-testid="monthly-to"
                value={to}
                aria-invalid={backwards || tooLong ? true : undefined}
                aria-describedby={backwards || tooLong ? 'monthly-range-wrong' : undefined}
                onChange={(e) => setTo(e.currentTarget.value)}
              >
                {monthOptions}
              </select>
            </div>
            <ScopeSelects
              prefix="monthly-filter"
              choices={choices}
              scope={scope}
              onChange={(part) => setScope((s) => ({ ...s, ...part }))}
            />
            {kind === 'service_level' && (
              <div class="field" data-field="target_s">
                <label for="monthly-target">{t('reports.monthly.field.target')}</label>
                <select
                  id="monthly-target"
                  name="target_s"
                  data-testid="monthly-target"
                  value={String(target)}
                  onChange={(e) => setTarget(Number(e.currentTarget.value))}
                >
                  {MONTHLY_TARGETS_S.map((s) => (
                    <option key={s} value={String(s)}>
                      {duration(s * 1000)}
                    </option>
                  ))}
                </select>
              </div>
            )}
            <div class="report-form-actions">
              <button
                type="submit"
                class="btn btn-primary"
                data-testid="monthly-run"
                disabled={busy || backwards || tooLong}
              >
                {busy ? t('reports.running') : t('reports.run')}
              </button>
            </div>
            {(backwards || tooLong) && (
              <p class="form-error" role="alert" id="monthly-range-wrong" data-testid="monthly-range-wrong">
                {backwards ? t('reports.monthly.rangeWrong') : t('reports.monthly.tooLong', { max: MAX_MONTHS })}
              </p>
            )}
          </form>
        </div>
      )}

      {error !== undefined && (
        <p class="form-error" role="alert" data-testid="monthly-error">
          {errorText(t, error)}
        </p>
      )}

      {shown && <MonthlyResult query={shown.query} report={shown.report} busy={busy} timeZone={zone} />}
    </div>
  );
}
