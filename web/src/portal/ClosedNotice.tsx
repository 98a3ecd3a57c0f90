// Shown instead of the form outside business hours: when the portal opens
// again, in the visitor's locale. The page checks again by itself at that time.
import { useEffect } from 'preact/hooks';
import { formatDateTime } from '../shared/format';
import { useI18n } from '../shared/i18n';
import type { PublicPortal } from './api';

/** setTimeout cannot wait longer than about 24.8 days. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export function ClosedNotice({ open, onOpening }: { open: PublicPortal['open']; onOpening: () => void }) {
  const { t, lang } = useI18n();
  const next = open.next_open;
  const holiday = open.reason.startsWith('holiday:') ? open.reason.slice('holiday:'.length) : '';

  useEffect(() => {
    if (next === null) return;
    const wait = next * 1000 - Date.now() + 1500;
    if (wait > MAX_TIMER_MS) return;
    const timer = setTimeout(onOpening, Math.max(wait, 1000));
    return () => clearTimeout(timer);
  }, [next]);

  return (
    <section class="portal-closed" data-testid="portal-closed" data-reason={open.reason}>
      <h2>{t('portal.closed.title')}</h2>
      {holiday !== '' && <p>{t('portal.closed.holiday', { name: holiday })}</p>}
      {next !== null ? (
        <p>
          {t('portal.closed.nextOpen')}{' '}
          <time
            class="portal-next-open"
            data-testid="next-open"
            dateTime={new Date(next * 1000).toISOString()}
          >
            {formatDateTime(lang, next * 1000, true)}
          </time>
        </p>
      ) : (
        <p>{t('portal.closed.later')}</p>
      )}
    </section>
  );
}
