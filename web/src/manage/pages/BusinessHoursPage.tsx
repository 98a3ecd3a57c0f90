// Business hours (company managers only): the sets portals can use, each
// opening its editor.
import { useI18n } from '../../shared/i18n';
import { listBusinessHours, listPortals, sameId, type BusinessHours, type Portal } from '../api';
import { ListCard } from '../components/ListCard';
import { LoadState, PageHeader } from '../components/Status';
import { useLoad } from '../hooks';
import { formatDate, hoursText, weekSummary } from '../hours';
import { href } from '../router';

/** The portals that use a set, by name. */
export function portalsUsing(portals: readonly Portal[], hours: BusinessHours): Portal[] {
  return portals.filter((p) => p.hours_id !== undefined && p.hours_id !== null && sameId(p.hours_id, hours.id));
}

export function BusinessHoursPage() {
  const { t, lang } = useI18n();
  const { load, reload } = useLoad((signal) => Promise.all([listBusinessHours(signal), listPortals(signal)]));

  if (load.state !== 'ok') return <LoadState load={load} onRetry={reload} />;
  const [sets, portals] = load.data;
  const sorted = [...sets].sort((a, b) => a.name.localeCompare(b.name));

  return (
    <section aria-labelledby="hours-title">
      <PageHeader id="hours-title" title={t('hours.title')}>
        <a class="btn btn-primary" href={href({ page: 'hours-new' })} data-testid="hours-add">
          {t('hours.add')}
        </a>
      </PageHeader>
      <p class="page-intro muted">{t('hours.intro')}</p>
      <ListCard
        testid="hours"
        columns={[t('hours.col.name'), t('hours.col.weekly'), t('hours.col.special'), t('hours.col.portals')]}
        empty={sets.length === 0}
        emptyText={t('hours.none')}
      >
        {sorted.map((h) => {
          const week = weekSummary(h.weekly, lang);
          const users = portalsUsing(portals, h);
          const days = [...h.special_days].sort((a, b) => a.date.localeCompare(b.date));
          return (
            <tr key={String(h.id)} data-testid="hours-row" data-name={h.name} data-id={String(h.id)}>
              <td>
                <a href={href({ page: 'hours-set', id: String(h.id) })} data-testid="hours-link">
                  {h.name}
                </a>
              </td>
              <td data-testid="hours-week">
                {week.length === 0 ? (
                  <span class="muted">{t('hours.neverOpen')}</span>
                ) : (
                  <ul class="plain">
                    {week.map((line) => (
                      <li key={line}>{line}</li>
                    ))}
                  </ul>
                )}
              </td>
              <td data-testid="hours-special">
                {days.length === 0 ? (
                  <span class="muted">{t('hours.noSpecialDays')}</span>
                ) : (
                  <ul class="plain">
                    {days.map((d) => (
                      <li key={d.date}>
                        <span class="nowrap">{formatDate(d.date, lang)}</span> {d.name}{' '}
                        <span class="muted">({d.closed ? t('hours.closedAllDay') : hoursText(d.hours)})</span>
                      </li>
                    ))}
                  </ul>
                )}
              </td>
              <td data-testid="hours-portals">
                {users.length === 0 ? (
                  <span class="muted">{t('hours.unused')}</span>
                ) : (
                  <ul class="plain">
                    {users.map((p) => (
                      <li key={String(p.id)}>
                        <a href={href({ page: 'portal', id: String(p.id) })}>{p.name}</a>
                      </li>
                    ))}
                  </ul>
                )}
              </td>
            </tr>
          );
        })}
      </ListCard>
    </section>
  );
}
