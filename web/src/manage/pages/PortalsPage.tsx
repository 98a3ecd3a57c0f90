// Portals (company managers only): the list with whether each takes requests
// now; each opens its editor.
import { useI18n } from '../../shared/i18n';
import { listBusinessHours, listPortals, listTeams, sameId, type Portal } from '../api';
import { OpenStateBadge } from '../components/OpenStateBadge';
import { ListCard } from '../components/ListCard';
import { LoadState, PageHeader } from '../components/Status';
import { useLoad } from '../hooks';
import { modeLabel, typeLabel } from '../labels';
import { href } from '../router';
import { teamName } from '../teams';

export function PortalsPage() {
  const { t } = useI18n();
  const { load, reload } = useLoad((signal) =>
    Promise.all([listPortals(signal), listTeams(signal), listBusinessHours(signal)]),
  );

  if (load.state !== 'ok') return <LoadState load={load} onRetry={reload} />;
  const [portals, teams, hoursSets] = load.data;
  const hoursName = (p: Portal) => hoursSets.find((h) => sameId(h.id, p.hours_id))?.name;
  const sorted = [...portals].sort((a, b) => a.name.localeCompare(b.name));

  return (
    <section aria-labelledby="portals-title">
      <PageHeader id="portals-title" title={t('portals.title')}>
        <a class="btn btn-primary" href={href({ page: 'portal-new' })} data-testid="portal-add">
          {t('portals.add')}
        </a>
      </PageHeader>
      <ListCard
        testid="portals"
        columns={[
          t('field.portalName'),
          t('field.slug'),
          t('field.mode'),
          t('field.type'),
          t('portals.subPortals'),
          t('portals.col.state'),
        ]}
        empty={portals.length === 0}
        emptyText={t('portals.none')}
      >
        {sorted.map((p) => (
          <tr key={String(p.id)} data-testid="portal-row" data-slug={p.slug} data-name={p.name}>
            <td>
              <a href={href({ page: 'portal', id: String(p.id) })} data-testid="portal-link">
                {p.name}
              </a>
            </td>
            <td>
              <code>{p.slug}</code>
            </td>
            <td>{modeLabel[p.mode] ? t(modeLabel[p.mode]) : p.mode}</td>
            <td>{typeLabel[p.type] ? t(typeLabel[p.type]) : p.type}</td>
            <td>
              <ul class="plain">
                {(p.sub_portals ?? []).map((s, i) => (
                  <li key={i}>
                    {s.name}
                    <span class="muted">
                      {' '}
                      (
                      {(s.team_ids ?? []).map((id) => teamName(teams, id) ?? String(id)).join(', ') ||
                        t('portals.noTeams')}
                      )
                    </span>
                  </li>
                ))}
              </ul>
            </td>
            <td data-testid="portal-state">
              <OpenStateBadge portalId={p.id} hoursId={p.hours_id} timeZone={p.time_zone} />
              {hoursName(p) !== undefined && (
                <span class="muted small portal-hours-name" data-testid="portal-hours-name">
                  {t('portals.hoursSet', { name: hoursName(p) ?? '' })} · {p.time_zone}
                </span>
              )}
            </td>
          </tr>
        ))}
      </ListCard>
    </section>
  );
}
