// The audit log (company managers): newest first, older pages on demand.
import { useState } from 'preact/hooks';
import { useI18n, type Lang } from '../../shared/i18n';
import { AUDIT_PAGE, listAudit, type AuditEntry, type User } from '../api';
import { FormError, LoadError, Loading, PageHeader } from '../components/Status';
import { errorText } from '../errors';
import { useLoad } from '../hooks';

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

export function AuditPage({ user }: { user: User }) {
  const { t, lang } = useI18n();
  const { load, reload } = useLoad((signal) => listAudit(undefined, signal));
  const [older, setOlder] = useState<AuditEntry[]>([]);
  const [end, setEnd] = useState(false);
  const [busy, setBusy] = useState(false);
  const [moreError, setMoreError] = useState<string>();

  if (load.state === 'loading') return <Loading />;
  if (load.state === 'error') return <LoadError error={load.error} onRetry={reload} />;
  const entries = [...load.data, ...older];
  const exhausted = end || load.data.length < AUDIT_PAGE;

  const loadOlder = async () => {
    const oldest = entries.reduce((min, e) => Math.min(min, e.seq), Number.POSITIVE_INFINITY);
    setBusy(true);
    setMoreError(undefined);
    try {
      const page = await listAudit(oldest);
      setOlder((list) => [...list, ...page]);
      if (page.length < AUDIT_PAGE) setEnd(true);
    } catch (err) {
      setMoreError(errorText(t, err));
    } finally {
      setBusy(false);
    }
  };

  const refresh = () => {
    setOlder([]);
    setEnd(false);
    reload();
  };

  return (
    <section aria-labelledby="audit-title">
      <PageHeader id="audit-title" title={t('audit.title')}>
        <button type="button" class="btn" data-testid="audit-refresh" onClick={refresh}>
          {t('common.refresh')}
        </button>
      </PageHeader>
      <div class="card">
        {entries.length === 0 ? (
          <p class="muted" data-testid="audit-empty">
            {t('audit.none')}
          </p>
        ) : (
          <div class="table-wrap">
            <table class="table" data-testid="audit-table">
              <thead>
                <tr>
                  <th scope="col">#</th>
                  <th scope="col">{t('audit.col.time')}</th>
                  <th scope="col">{t('audit.col.actor')}</th>
                  <th scope="col">{t('audit.col.action')}</th>
                  <th scope="col">{t('audit.col.target')}</th>
                  <th scope="col">{t('audit.col.change')}</th>
                </tr>
              </thead>
              <tbody>
                {entries.map((e) => (
                  <tr key={e.seq} data-testid="audit-row" data-seq={e.seq} data-action={e.action}>
                    <td class="num">{e.seq}</td>
                    <td class="nowrap">{formatTime(e.time, lang, user.time_zone)}</td>
                    <td>{e.actor}</td>
                    <td>
                      <code>{e.action}</code>
                    </td>
                    <td>{e.target}</td>
                    <td>
                      <Change before={e.before} after={e.after} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <FormError message={moreError} />
        {!exhausted && entries.length > 0 && (
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
