// A technician whose team serves no portal gets no customers: say so in the
// console (the server counts the portals that reach them: me.portals).
import { useI18n } from '../shared/i18n';
import type { Me } from './api';
import './no-portal.css';

export function NoPortalNotice({ me }: { me?: Me }) {
  const { t } = useI18n();
  if (me?.portals !== 0) return null;
  return (
    <p class="no-portal-notice" role="status" data-testid="no-portal-notice">
      <strong>{t('console.noPortal.title')}</strong> {t('console.noPortal.text')}
    </p>
  );
}
