// A portal's recording settings, part of the portal form (docs/recording.md):
// the recording switch (the portal's `features.recording`), the largest
// recording and how long recordings are kept; and a warning while the portal
// records without a replay passphrase (then nothing is recorded).
import { useI18n } from '../../shared/i18n';
import { RECORDING_MAX_MB, RECORDING_RETENTION_DAYS } from '../api';
import { CheckboxField, TextField } from './Fields';

interface RecordingSettingsProps {
  recording: boolean;
  onRecording: (on: boolean) => void;
  maxMb: string;
  onMaxMb: (value: string) => void;
  retentionDays: string;
  onRetentionDays: (value: string) => void;
  /** Whether the portal has a replay passphrase; undefined while unknown. */
  passphraseSet: boolean | undefined;
  /** The portal is still to be created (a passphrase is set once it exists). */
  isNew: boolean;
  errors: Record<string, string>;
}

export function RecordingSettings(props: RecordingSettingsProps) {
  const { t } = useI18n();
  const { recording, passphraseSet, isNew, errors } = props;
  const unreadable = recording && (isNew || passphraseSet === false);
  return (
    <div class="card" data-testid="portal-recording" data-recording={recording ? 'on' : 'off'}>
      <h2>{t('portals.recording')}</h2>
      <p class="field-hint">{t('portals.recording.hint')}</p>
      {unreadable && (
        <p class="warning" role="status" data-testid="recording-no-passphrase">
          {t(isNew ? 'portals.recording.noPassphraseNew' : 'portals.recording.noPassphrase')}
        </p>
      )}
      <div class="form-grid">
        <CheckboxField
          name="features.recording"
          label={t('field.recording')}
          checked={recording}
          onChecked={props.onRecording}
          error={errors['features.recording']}
        />
        <TextField
          name="recording_max_mb"
          type="number"
          label={t('field.recordingMaxMb')}
          hint={t('field.recordingMaxMb.hint', RECORDING_MAX_MB)}
          value={props.maxMb}
          onValue={props.onMaxMb}
          error={errors.recording_max_mb}
        />
        <TextField
          name="recording_retention_days"
          type="number"
          label={t('field.recordingRetention')}
          hint={t('field.recordingRetention.hint', RECORDING_RETENTION_DAYS)}
          value={props.retentionDays}
          onValue={props.onRetentionDays}
          error={errors.recording_retention_days}
        />
      </div>
    </div>
  );
}
