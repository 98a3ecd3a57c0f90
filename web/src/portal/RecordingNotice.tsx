// A portal that records its sessions says so before the customer asks for
// help, and while they wait and chat (docs/recording.md).
import { useI18n } from '../shared/i18n';
import './recording-notice.css';

export function RecordingNotice() {
  const { t } = useI18n();
  return (
    <p class="recording-notice" role="note" data-testid="recording-notice">
      <span class="recording-dot" aria-hidden="true" />
      {t('portal.recorded')}
    </p>
  );
}
