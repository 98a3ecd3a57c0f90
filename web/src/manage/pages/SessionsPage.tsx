// Sessions (company, team and API managers): the account's requests, newest
// first (team managers see those of their teams' technicians), narrowed by
// portal, team, technician and days, in pages of 50 with older ones on
// demand; each opens its detail (#/sessions/<id>). A technician allowed own
// reports sees their own sessions here, without the portal, team and
// technician choices (useScopeChoices).
import { useState } from 'preact/hooks';
import { useI18n } from '../../shared/i18n';
import { RatingStars, resolutionText } from '../../shared/session_end';
import { listSessions, SESSIONS_PAGE, type SessionFilter, type SessionRow, type User } from '../api';
import { FormError, LoadError, Loading, PageHeader } from '../components/Status';
import { errorText } from '../errors';
import { useLoad } from '../hooks';
import { requestStatusLabel } from '../labels';
import { href } from '../router';
import { formatTime } from './AuditPage';
import { filterActive, rangeWrong, SessionFilters } from './SessionFilters';

export function SessionsPage({ user }: { user: User }) {
  const { t, lang } = useI18n();
  const [filter, setFilter] = useState<SessionFilter>({});
  const key = JSON.stringify(filter);
  const { load, reload } = useLoad(
    (signal) =>
      rangeWrong(filter) ? Promise.resolve([]) : listSessions(undefined, SESSIONS_PAGE, signal, filter, user.time_zone),
    [key],
  );
  const [older, setOlder] = useState<SessionRow[]>([]);
  const [end, setEnd] = useState(false);
  const [busy, setBusy] = useState(false);
  const [moreError, setMoreError] = useState<string>();

  const changeFilter = (f: SessionFilter) => {
    setOlder([]);
    setEnd(false);
    setMoreError(undefined);
    setFilter(f);
  };
  const filters = <SessionFilters user={user} filter={filter} onFilter={changeFilter} />;
  if (load.state === 'loading')
    return (
      <section aria-labelledby="sessions-title">
        <PageHeader id="sessions-title" title={t('sessions.title')} />
        {filters}
        <Loading />
      </section>
    );
  if (load.state === 'error') return <LoadError error={load.error} onRetry={reload} />;
  const rows = [...load.data, ...older];
  const exhausted = end || load.data.length < SESSIONS_PAGE;

  const loadOlder = async () => {
    const last = rows[rows.length - 1];
    if (!last) return;
    setBusy(true);
    setMoreError(undefined);
    try {
      const page = await listSessions(last.id, SESSIONS_PAGE, undefined, filter, user.time_zone);
      setOlder((list) => [...list, ...page]);
      if (page.length < SESSIONS_PAGE) setEnd(true);
    } catch (err) {
      setMoreError(errorText(t, err));
    } finally {
      setBusy(false);
    }
  };

  const refresh = () => {
    setOlder([]);
    setEnd(false);
    setMoreError(undefined);
    reload();
  };

  return (
    <section aria-labelledby="sessions-title">
      <PageHeader id="sessions-title" title={t('sessions.title')}>
        <button type="button" class="btn" data-testid="sessions-refresh" onClick={refresh}>
          {t('common.refresh')}
        </button>
      </PageHeader>
      {filters}
      <div class="card">
        {rows.length === 0 ? (
          <p class="muted" data-testid="sessions-empty">
            {filterActive(filter) ? t('sessions.noneMatch') : t('sessions.none')}
          </p>
        ) : (
          <div class="table-wrap">
            <table class="table" data-testid="sessions-table">
              <thead>
                <tr>
                  <th scope="col">{t('sessions.col.id')}</th>
                  <th scope="col">{t('sessions.col.created')}</th>
                  <th scope="col">{t('sessions.col.portal')}</th>
                  <th scope="col">{t('sessions.col.customer')}</th>
                  <th scope="col">{t('sessions.col.technician')}</th>
                  <th scope="col">{t('sessions.col.status')}</th>
                  <th scope="col">{t('sessions.col.resolution')}</th>
                  <th scope="col">{t('sessions.col.rating')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => {
                  const status = requestStatusLabel[r.status];
                  return (
                    <tr
                      key={r.id}
                      data-testid="session-row"
                      data-request-id={r.id}
                      data-status={r.status}
                      data-resolution={r.resolution}
                      data-rating={r.rating}
                    >
                      <td class="num">
                        <a
                          href={href({ page: 'session', id: r.id })}
                          data-testid="session-link"
                          aria-label={t('sessions.open', { id: r.id })}
                        >
                          #{r.id}
                        </a>
                      </td>
                      <td class="nowrap">{formatTime(r.created_at, lang, user.time_zone)}</td>
                      <td>{r.portal_name || <span class="muted">—</span>}</td>
                      <td data-testid="session-customer">
                        {r.customer.name || r.customer.email || <span class="muted">—</span>}
                      </td>
                      <td data-testid="session-technician">{r.technician_name || <span class="muted">—</span>}</td>
                      <td data-testid="session-status">{status ? t(status) : r.status}</td>
                      <td data-testid="session-resolution">
                        {resolutionText(t, r.resolution) || <span class="muted">—</span>}
                      </td>
                      <td class="nowrap">
                        {r.rating > 0 ? (
                          <RatingStars rating={r.rating} testid="session-rating" />
                        ) : (
                          <span class="muted">—</span>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
        <FormError message={moreError} />
        {!exhausted && rows.length > 0 && (
          <div class="form-actions">
            <button type="button" class="btn" data-testid="sessions-more" disabled={busy} onClick={loadOlder}>
              {t('sessions.older')}
            </button>
          </div>
        )}
      </div>
    </section>
  );
}
