// A running monitor's live table, one per kind (docs/dashboards.md, "Rows"):
// technicians with their status and "Force offline", waiting customers, live
// sessions with "View" (the invisible monitoring on the session's page), the
// managers watching sessions (company managers only) with the same "View",
// and today's service level by portal. Times count on each second from the
// server's clock.
import { socketErrorText } from '../../shared/errors';
import { useI18n, type MessageKey } from '../../shared/i18n';
import type { MonitorKind } from './monitorsApi';
import { href } from '../router';
import {
  activeRow,
  byTime,
  managerRow,
  waitingRow,
  type ActiveRow,
  type ManagerRow,
  type Table,
  type WaitingRow,
} from './rows';
import { Grid, orDash, RequestHeading, Row, Since, useLiveRows, type TableProps } from './tableParts';
import { ServiceLevelTable } from './ServiceLevelTable';
import { TechniciansTable } from './TechniciansTable';

const emptyText: Record<MonitorKind, MessageKey> = {
  technicians: 'dashboards.empty.technicians',
  waiting: 'dashboards.empty.waiting',
  active: 'dashboards.empty.active',
  managers: 'dashboards.empty.managers',
  service_level: 'dashboards.empty.service_level',
};

interface MonitorTableProps {
  kind: MonitorKind;
  table: Table;
  caption: string;
  /** Watches the monitor again after an error. */
  onRetry: () => void;
}

/** The table of a monitor of a known kind, or what stands in for it (loading, an error). */
export function MonitorTable({ kind, table, caption, onRetry }: MonitorTableProps) {
  const { t } = useI18n();
  switch (table.phase) {
    case 'loading':
      return (
        <p class="muted" data-testid="dashboard-loading">
          {t('dashboards.loadingTable')}
        </p>
      );
    case 'error':
      return (
        <div class="form-error" role="alert" data-testid="dashboard-error">
          <p>{socketErrorText(t, table.error, ['dashboards.error.', 'error.'])}</p>
          <button type="button" class="btn btn-small" data-testid="dashboard-retry" onClick={onRetry}>
            {t('common.retry')}
          </button>
        </div>
      );
    case 'stopped':
      return null;
    case 'live': {
      const props = { rows: table.rows, offset: table.offset, caption };
      if (Object.keys(table.rows).length === 0)
        return (
          <p class="muted" data-testid="dashboard-empty">
            {t(emptyText[kind])}
          </p>
        );
      if (kind === 'technicians') return <TechniciansTable {...props} />;
      if (kind === 'waiting') return <WaitingTable {...props} />;
      if (kind === 'managers') return <ManagersTable {...props} />;
      if (kind === 'service_level') return <ServiceLevelTable {...props} />;
      return <ActiveTable {...props} />;
    }
  }
}

const byCreated = byTime<WaitingRow>((r) => r.createdAt);
const byStarted = byTime<ActiveRow>((r) => r.startedAt);
const bySince = byTime<ManagerRow>((r) => r.since);

function WaitingTable({ caption, ...props }: TableProps) {
  const { list, now } = useLiveRows(props, waitingRow, byCreated);
  return (
    <Grid
      caption={caption}
      columns={['dashboards.col.request', 'dashboards.col.portal', 'dashboards.col.customer', 'dashboards.col.waiting']}
    >
      {list.map((r) => (
        <Row key={r.key} rowKey={r.key} data={{ 'data-request-id': r.requestId }}>
          <RequestHeading id={r.requestId} />
          <td data-testid="row-portal">{orDash(r.portalName)}</td>
          <td data-testid="row-customer">{orDash(r.customerName)}</td>
          <Since since={r.createdAt} now={now} testid="row-waiting" />
        </Row>
      ))}
    </Grid>
  );
}

/** "View" of a live session: its page with the invisible monitoring. */
function ViewSession({ requestId }: { requestId: string }) {
  const { t } = useI18n();
  return (
    <td class="cell-actions">
      <a
        class="btn btn-small"
        href={href({ page: 'session', id: requestId, live: true })}
        data-testid="view-session"
        aria-label={t('dashboards.viewLabel', { id: requestId })}
      >
        {t('dashboards.view')}
      </a>
    </td>
  );
}

function ActiveTable({ caption, ...props }: TableProps) {
  const { t } = useI18n();
  const { list, now } = useLiveRows(props, activeRow, byStarted);
  return (
    <Grid
      caption={caption}
      columns={[
        'dashboards.col.request',
        'dashboards.col.portal',
        'dashboards.col.technician',
        'dashboards.col.customer',
        'dashboards.col.duration',
        'dashboards.col.actions',
      ]}
    >
      {list.map((r) => (
        <Row key={r.key} rowKey={r.key} data={{ 'data-request-id': r.requestId }}>
          <RequestHeading id={r.requestId} />
          <td data-testid="row-portal">{orDash(r.portalName)}</td>
          <td data-testid="row-technician">
            {orDash(r.technicianName)}
            {r.status === 'assigned' && (
              <span class="pill status-assigned" data-testid="row-assigned">
                {t('console.status.assigned')}
              </span>
            )}
          </td>
          <td data-testid="row-customer">{orDash(r.customerName)}</td>
          <Since since={r.startedAt} now={now} testid="row-duration" />
          <ViewSession requestId={r.requestId} />
        </Row>
      ))}
    </Grid>
  );
}

function ManagersTable({ caption, ...props }: TableProps) {
  const { list, now } = useLiveRows(props, managerRow, bySince);
  return (
    <Grid
      caption={caption}
      columns={[
        'dashboards.col.manager',
        'dashboards.col.session',
        'dashboards.col.technician',
        'dashboards.col.watching',
        'dashboards.col.actions',
      ]}
    >
      {list.map((r) => (
        <Row key={r.key} rowKey={r.key} data={{ 'data-manager-id': r.managerId, 'data-request-id': r.requestId }}>
          <th scope="row" data-testid="row-manager">
            {orDash(r.managerName)}
          </th>
          <td data-testid="row-session">
            <span class="num" data-testid="row-request">
              #{r.requestId}
            </span>
            {r.customerName && (
              <>
                {' · '}
                <span data-testid="row-customer">{r.customerName}</span>
              </>
            )}
          </td>
          <td data-testid="row-technician">{orDash(r.technicianName)}</td>
          <Since since={r.since} now={now} testid="row-watching" />
          <ViewSession requestId={r.requestId} />
        </Row>
      ))}
    </Grid>
  );
}
