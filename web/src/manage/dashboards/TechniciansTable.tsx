// The technicians monitor's table: name, team, status (the console's
// colours), time in status counting on, sessions held against the maximum,
// and "Force offline" (POST /technicians/:id/offline).
import { useState } from 'preact/hooks';
import { useI18n, type MessageKey } from '../../shared/i18n';
import { forceTechnicianOffline } from './monitorsApi';
import { FormError } from '../components/Status';
import { errorText } from '../errors';
import { useNotify } from '../notify';
import { technicianRow, type Presence, type TechnicianRow } from './rows';
import { Grid, orDash, Row, Since, useLiveRows, type TableProps } from './tableParts';

const presenceLabel: Record<Presence, MessageKey> = {
  available: 'console.presence.available',
  busy: 'console.presence.busy',
  away: 'console.presence.away',
  offline: 'console.presence.offline',
};

const byName = (a: TechnicianRow, b: TechnicianRow) =>
  a.name.localeCompare(b.name) || a.key.localeCompare(b.key);

export function TechniciansTable({ caption, ...props }: TableProps) {
  const { t } = useI18n();
  const notify = useNotify();
  const [pending, setPending] = useState<ReadonlySet<string>>(new Set());
  const [error, setError] = useState<string>();
  const { list, now } = useLiveRows(props, technicianRow, byName);

  const forceOffline = async (id: string, name: string) => {
    setError(undefined);
    setPending((p) => new Set(p).add(id));
    try {
      await forceTechnicianOffline(id);
      notify(t('dashboards.forcedOffline', { name }));
    } catch (err) {
      setError(errorText(t, err));
    } finally {
      setPending((p) => {
        const next = new Set(p);
        next.delete(id);
        return next;
      });
    }
  };

  return (
    <>
      <FormError message={error} />
      <Grid
        caption={caption}
        columns={[
          'dashboards.col.name',
          'dashboards.col.team',
          'dashboards.col.status',
          'dashboards.col.inStatus',
          'dashboards.col.sessions',
          'dashboards.col.actions',
        ]}
      >
        {list.map((r) => (
          <Row key={r.key} rowKey={r.key} data={{ 'data-technician-id': r.technicianId, 'data-status': r.status }}>
            <th scope="row" data-testid="tech-name">
              {orDash(r.name)}
            </th>
            <td data-testid="tech-team">{r.teamName || <span class="muted">{t('dashboards.noTeam')}</span>}</td>
            <td>
              <span class="pill presence" data-status={r.status} data-testid="tech-status">
                {t(presenceLabel[r.status])}
              </span>
            </td>
            <Since since={r.statusSince} now={now} testid="tech-since" />
            <td class="num nowrap" data-testid="tech-sessions" data-active={r.activeSessions} data-max={r.maxSessions}>
              <span aria-hidden="true">
                {r.activeSessions} / {r.maxSessions}
              </span>
              <span class="sr-only">{t('dashboards.sessionsOf', { active: r.activeSessions, max: r.maxSessions })}</span>
            </td>
            <td class="cell-actions">
              <button
                type="button"
                class="btn btn-small"
                data-testid="force-offline"
                aria-label={t('dashboards.forceOfflineLabel', { name: r.name })}
                disabled={r.status === 'offline' || pending.has(r.technicianId) || r.technicianId === ''}
                onClick={() => forceOffline(r.technicianId, r.name)}
              >
                {t('dashboards.forceOffline')}
              </button>
            </td>
          </Row>
        ))}
      </Grid>
    </>
  );
}
