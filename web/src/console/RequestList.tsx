// The requests of the technician's portals, in the console's narrow left
// column: tabs by state, a compact table sortable by its columns (the
// customer with the portal, number and technician under the name, the state,
// the age, the place in the queue); a click on a row opens the request.
import { useState } from 'preact/hooks';
import { formatDateTime, formatRelative } from '../shared/format';
import { useI18n, type MessageKey } from '../shared/i18n';
import { directed, SortableHead, useSort, type SortColumn } from '../shared/SortableHead';
import { collaboratorOf, hasTechnician, isOpen, sameId, type Id, type SupportRequest } from './api';
import { isMyActive } from './chats';
import { useServerNow } from './clock';
import { label, statusLabel, typeClass } from './labels';

export type Tab = 'all' | 'new' | 'active' | 'closed' | 'mine';

const tabs: readonly { tab: Tab; label: MessageKey }[] = [
  { tab: 'all', label: 'console.tab.all' },
  { tab: 'new', label: 'console.tab.new' },
  { tab: 'active', label: 'console.tab.active' },
  { tab: 'closed', label: 'console.tab.closed' },
  { tab: 'mine', label: 'console.tab.mine' },
];

export function inTab(tab: Tab, r: SupportRequest, meId: Id): boolean {
  switch (tab) {
    case 'all':
      return true;
    case 'new':
      return r.status === 'waiting';
    case 'active':
      return r.status === 'assigned' || r.status === 'active';
    case 'closed':
      return !isOpen(r);
    case 'mine':
      // Mine, or a session I am in as a colleague.
      return (
        isOpen(r) &&
        ((hasTechnician(r) && sameId(r.technician_id, meId)) ||
          (r.status === 'active' && collaboratorOf(r, meId) !== undefined))
      );
  }
}

type SortKey = 'id' | 'customer' | 'portal' | 'status' | 'technician' | 'created' | 'position';

const columns: readonly SortColumn<SortKey>[] = [
  { key: 'customer', label: 'console.col.customer' },
  { key: 'status', label: 'console.col.status' },
  { key: 'created', label: 'console.col.created' },
  { key: 'position', label: 'console.col.position', numeric: true },
];

const statusOrder: Record<string, number> = { waiting: 0, assigned: 1, active: 2, closed: 3, abandoned: 4 };

/** Ids are opaque strings, but numeric ones sort as numbers. */
function compareIds(a: string, b: string): number {
  const x = Number(a);
  const y = Number(b);
  return Number.isFinite(x) && Number.isFinite(y) ? x - y : a.localeCompare(b);
}

function compare(key: SortKey, a: SupportRequest, b: SupportRequest, lang: string): number {
  const text = (x: string, y: string) => x.localeCompare(y, lang, { sensitivity: 'base' });
  switch (key) {
    case 'id':
      return compareIds(a.id, b.id);
    case 'customer':
      return text(a.customer.name, b.customer.name);
    case 'portal':
      return text(a.portal_name, b.portal_name);
    case 'status':
      return (statusOrder[a.status] ?? 9) - (statusOrder[b.status] ?? 9);
    case 'technician':
      return text(a.technician_name, b.technician_name);
    case 'created':
      return a.created_at - b.created_at;
    case 'position':
      // Requests without a place in a queue go last.
      return (a.position > 0 ? a.position : Infinity) - (b.position > 0 ? b.position : Infinity) || 0;
  }
}

interface RequestListProps {
  requests: SupportRequest[];
  meId: Id;
  selected?: string;
  onSelect: (id: string) => void;
  /** The customer's chat lines not seen yet, for my active requests. */
  unread: (id: string) => number;
}

export function RequestList({ requests, meId, selected, onSelect, unread }: RequestListProps) {
  const { t, lang } = useI18n();
  const now = useServerNow(15_000);
  const [tab, setTab] = useState<Tab>('all');
  const [sort, toggleSort] = useSort<SortKey>({ key: 'created', ascending: false });

  const rows = requests
    .filter((r) => inTab(tab, r, meId))
    .sort((a, b) => directed(sort, compare(sort.key, a, b, lang) || compareIds(a.id, b.id)));

  return (
    <div class="request-list">
      <div class="tabs" role="tablist" aria-label={t('console.requests')}>
        {tabs.map(({ tab: id, label: text }) => {
          const count = requests.filter((r) => inTab(id, r, meId)).length;
          return (
            <button
              key={id}
              type="button"
              role="tab"
              class="tab"
              aria-selected={tab === id}
              data-testid={`tab-${id}`}
              onClick={() => setTab(id)}
            >
              {t(text)}
              <span class="tab-count" data-testid={`tab-${id}-count`}>
                {count}
              </span>
            </button>
          );
        })}
      </div>

      {rows.length === 0 ? (
        <p class="muted list-empty" data-testid="requests-empty">
          {t('console.list.empty')}
        </p>
      ) : (
        <div class="table-wrap">
          <table class="table requests-table" data-testid="requests-table">
            <SortableHead columns={columns} sort={sort} onSort={toggleSort} />
            <tbody>
              {rows.map((r) => {
                const statusKey = label(statusLabel, r.status);
                const colleague = r.status === 'active' && collaboratorOf(r, meId) !== undefined;
                return (
                  <tr
                    key={r.id}
                    class={`request-row ${typeClass(r.portal_type)}${r.id === selected ? ' selected' : ''}`}
                    data-testid="request-row"
                    data-request-id={r.id}
                    data-status={r.status}
                    data-portal-type={r.portal_type}
                    data-colleague={colleague ? 'true' : undefined}
                    aria-selected={r.id === selected}
                    tabIndex={0}
                    onClick={() => onSelect(r.id)}
                    onKeyDown={(e) => {
                      if (e.key === 'Enter' || e.key === ' ') {
                        e.preventDefault();
                        onSelect(r.id);
                      }
                    }}
                  >
                    <td class="cell-customer">
                      <span class="row-name">
                        {r.customer.name || <span class="muted">—</span>}
                        <UnreadBadge count={isMyActive(r, meId) ? unread(r.id) : 0} />
                      </span>
                      <span class="row-meta muted">
                        <span class="ptype-dot" aria-hidden="true" />
                        {r.portal_name} · #{r.id}
                        {hasTechnician(r) && <> · {r.technician_name || String(r.technician_id)}</>}
                        {r.status === 'active' && r.collaborators.length > 0 && (
                          <span
                            class="collab-count"
                            data-testid="row-collaborators"
                            title={r.collaborators.map((c) => c.name).join(', ')}
                          >
                            {' '}
                            +{r.collaborators.length}
                          </span>
                        )}
                        {r.status === 'waiting' && r.contact_email && (
                          <span class="pill contact-badge" data-testid="row-contact" title={r.contact_email}>
                            {t('console.contactByEmail')}
                          </span>
                        )}
                        {colleague && (
                          <span class="pill collab-badge" data-testid="row-colleague">
                            {t('console.collab.badge')}
                          </span>
                        )}
                      </span>
                    </td>
                    <td>
                      <span class={`pill status-pill status-${r.status}`}>{statusKey ? t(statusKey) : r.status}</span>
                    </td>
                    <td class="nowrap row-age" title={formatDateTime(lang, r.created_at)}>
                      {formatRelative(lang, r.created_at, now)}
                    </td>
                    <td class="num">{r.position > 0 ? r.position : <span class="muted">—</span>}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function UnreadBadge({ count }: { count: number }) {
  const { t } = useI18n();
  if (count <= 0) return null;
  const text = t('chat.unread', { n: count });
  return (
    <span class="unread-badge" data-testid="unread" data-count={count} title={text} aria-label={text}>
      {count}
    </span>
  );
}
