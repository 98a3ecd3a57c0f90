// The audit log (company managers): who changed what, in words ("Anna Berg
// changed the portal “Help” — business hours, session recording"), newest
// first, filtered by person, kind of change and days; older pages on demand.
import { useState } from 'preact/hooks';
import { isMessageKey, useI18n, type Lang, type Translate } from '../../shared/i18n';
import {
  AUDIT_KINDS,
  listAudit,
  listManagers,
  listTechnicians,
  type AuditEntry,
  type AuditFilter,
  type AuditKind,
  type User,
} from '../api';
import { DayRange, daysWrong } from '../components/DayRange';
import { FormError, LoadError, Loading, PageHeader } from '../components/Status';
import { errorText } from '../errors';
import { useLoad } from '../hooks';
import './audit.css';

/** Times arrive as ISO strings or Unix milliseconds/seconds. */
export function formatTime(value: string | number, lang: Lang, timeZone?: string): string {
  const date = typeof value === 'number' ? new Date(value < 1e12 ? value * 1000 : value) : new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  const options: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'medium' };
  try {
    return new Intl.DateTimeFormat(lang, { ...options, timeZone }).format(date);
  } catch {
    return new Intl.DateTimeFormat(lang, options).format(date);
  }
}

/** One changed setting in words: `hours_id` → "business hours", `features.recording` → "session recording". */
export function changeLabel(t: Translate, lang: Lang, change: string): string {
  const [group, inner] = change.split('.', 2);
  if (inner !== undefined && group === 'features') {
    const key = inner === 'max_sessions' ? 'audit.field.max_sessions' : `feature.${inner}`;
    if (isMessageKey(key)) return lang === 'en' ? t(key).toLowerCase() : t(key);
  }
  const key = `audit.field.${change}`;
  if (isMessageKey(key)) return t(key);
  return change.replace(/[._]/g, ' ');
}

/** The entry as a sentence: "Anna Berg changed the portal “Help”". */
export function auditSentence(t: Translate, e: AuditEntry): string {
  const who = e.actor_name || e.actor || t('audit.someone');
  const name = e.target_name || e.target;
  const key = `audit.do.${e.action}`;
  if (isMessageKey(key)) return t(key, { who, name });
  return t('audit.do.other', { who, action: e.action, name });
}

function Change({ before, after }: { before: unknown; after: unknown }) {
  const { t } = useI18n();
  const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v, null, 2));
  const has = (v: unknown) => v !== undefined && v !== null && v !== '';
  if (!has(before) && !has(after)) return <span class="muted">—</span>;
  return (
    <details class="change">
      <summary>{t('audit.showChange')}</summary>
      <div class="change-body">
        {has(before) && (
          <div>
            <p class="change-label">{t('audit.before')}</p>
            <pre>{show(before)}</pre>
          </div>
        )}
        {has(after) && (
          <div>
            <p class="change-label">{t('audit.after')}</p>
            <pre>{show(after)}</pre>
          </div>
        )}
      </div>
    </details>
  );
}

interface Person {
  id: string;
  name: string;
}

const personName = (u: User) => `${u.first_name ?? ''} ${u.last_name ?? ''}`.trim() || u.email;

/** Managers and technicians, by name, for the person filter. */
async function listPeople(signal: AbortSignal): Promise<Person[]> {
  const [managers, technicians] = await Promise.all([listManagers(signal), listTechnicians(signal)]);
  const people = [...managers, ...technicians].map((u) => ({ id: String(u.id), name: personName(u) }));
  return people.sort((a, b) => a.name.localeCompare(b.name));
}

function Filters({ filter, onFilter }: { filter: AuditFilter; onFilter: (f: AuditFilter) => void }) {
  const { t } = useI18n();
  const people = useLoad(listPeople);
  const set = (part: AuditFilter) => onFilter({ ...filter, ...part });
  const active = Boolean(filter.actor || filter.kind || filter.from || filter.to);
  return (
    <form class="audit-filters" data-testid="audit-filters" onSubmit={(e) => e.preventDefault()}>
      <div class="field">
        <label for="audit-actor">{t('audit.filter.person')}</label>
        <select
          id="audit-actor"
          name="actor"
          data-testid="audit-filter-actor"
          value={filter.actor ?? ''}
          onChange={(e) => set({ actor: e.currentTarget.value })}
        >
          <option value="">{t('audit.filter.anyone')}</option>
          {people.load.state === 'ok' &&
            people.load.data.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
        </select>
      </div>
      <div class="field">
        <label for="audit-kind">{t('audit.filter.kind')}</label>
        <select
          id="audit-kind"
          name="kind"
          data-testid="audit-filter-kind"
          value={filter.kind ?? ''}
          onChange={(e) => {
            const value = e.currentTarget.value;
            set({ kind: AUDIT_KINDS.find((k) => k === value) ?? '' });
          }}
        >
          <option value="">{t('audit.filter.anyKind')}</option>
          {AUDIT_KINDS.map((k: AuditKind) => (
            <option key={k} value={k}>
              {t(`audit.kind.${k}`)}
            </option>
          ))}
        </select>
      </div>
      <DayRange
        prefix="audit-filter"
        days={filter}
        labels={{ from: t('audit.filter.from'), to: t('audit.filter.to') }}
        onChange={({ from, to }) => set({ from, to })}
      />
      {active && (
        <button type="button" class="btn" data-testid="audit-filter-clear" onClick={() => onFilter({})}>
          {t('audit.filter.clear')}
        </button>
      )}
    </form>
  );
}

export function AuditPage({ user }: { user: User }) {
  const { t, lang } = useI18n();
  const [filter, setFilter] = useState<AuditFilter>({});
  const rangeWrong = daysWrong(filter);
  const key = JSON.stringify(filter);
  const { load, reload } = useLoad(
    (signal) =>
      rangeWrong ? Promise.resolve({ entries: [], next_before: null }) : listAudit(filter, undefined, signal),
    [key],
  );
  const [more, setMore] = useState<{ key: string; entries: AuditEntry[]; next: number | null }>();
  const [busy, setBusy] = useState(false);
  const [moreError, setMoreError] = useState<string>();

  const changeFilter = (f: AuditFilter) => {
    setMore(undefined);
    setMoreError(undefined);
    setFilter(f);
  };
  const refresh = () => {
    setMore(undefined);
    reload();
  };

  let body;
  let entries: AuditEntry[] = [];
  let next: number | null = null;
  if (load.state === 'loading') body = <Loading />;
  else if (load.state === 'error') body = <LoadError error={load.error} onRetry={reload} />;
  else {
    const older = more?.key === key ? more : undefined;
    entries = [...load.data.entries, ...(older?.entries ?? [])];
    next = older ? older.next : load.data.next_before;
  }

  const loadOlder = async () => {
    if (next === null) return;
    setBusy(true);
    setMoreError(undefined);
    try {
      const page = await listAudit(filter, next);
      setMore((m) => ({
        key,
        entries: [...(m?.key === key ? m.entries : []), ...page.entries],
        next: page.next_before,
      }));
    } catch (err) {
      setMoreError(errorText(t, err));
    } finally {
      setBusy(false);
    }
  };

  const filtered = Boolean(filter.actor || filter.kind || filter.from || filter.to);
  return (
    <section aria-labelledby="audit-title">
      <PageHeader id="audit-title" title={t('audit.title')}>
        <button type="button" class="btn" data-testid="audit-refresh" onClick={refresh}>
          {t('common.refresh')}
        </button>
      </PageHeader>
      <div class="card">
        <Filters filter={filter} onFilter={changeFilter} />
        {rangeWrong && (
          <p class="field-error" role="alert" data-testid="audit-range-error">
            {t('audit.filter.rangeWrong')}
          </p>
        )}
        {body ??
          (entries.length === 0 ? (
            <p class="muted" data-testid="audit-empty">
              {t(filtered ? 'audit.noneMatching' : 'audit.none')}
            </p>
          ) : (
            <div class="table-wrap">
              <table class="table audit-table" data-testid="audit-table">
                <thead>
                  <tr>
                    <th scope="col">{t('audit.col.time')}</th>
                    <th scope="col">{t('audit.col.what')}</th>
                    <th scope="col">{t('audit.col.change')}</th>
                  </tr>
                </thead>
                <tbody>
                  {entries.map((e) => {
                    const changes = (e.changes ?? []).map((c) => changeLabel(t, lang, c));
                    return (
                      <tr key={e.seq} data-testid="audit-row" data-seq={e.seq} data-action={e.action}>
                        <td class="nowrap">{formatTime(e.time, lang, user.time_zone)}</td>
                        <td data-testid="audit-summary">
                          {auditSentence(t, e)}
                          {changes.length > 0 && (
                            <span class="audit-changes" data-testid="audit-changes">
                              {' — '}
                              {changes.join(', ')}
                            </span>
                          )}
                        </td>
                        <td>
                          <Change before={e.before} after={e.after} />
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          ))}
        <FormError message={moreError} />
        {!body && next !== null && (
          <div class="form-actions">
            <button type="button" class="btn" data-testid="audit-more" disabled={busy} onClick={loadOlder}>
              {t('audit.older')}
            </button>
          </div>
        )}
      </div>
    </section>
  );
}
