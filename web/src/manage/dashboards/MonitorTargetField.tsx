// A service level monitor's target wait, as the add and edit forms ask for it:
// whole seconds from 1 to 3600 (60 unless changed), worded as on the Reports
// page. The forms check it before sending (targetSeconds) and say a wrong
// value, or the server's bad_field on target_s, under it.
import { useI18n } from '../../shared/i18n';
import { TextField } from '../components/Fields';
import { MAX_TARGET_S, MIN_TARGET_S } from '../reports/serviceLevel';

interface MonitorTargetFieldProps {
  /** As typed. */
  value: string;
  onValue: (value: string) => void;
  error?: string;
}

export function MonitorTargetField({ value, onValue, error }: MonitorTargetFieldProps) {
  const { t } = useI18n();
  return (
    <TextField
      name="target_s"
      type="number"
      label={t('reports.field.target')}
      value={value}
      onValue={onValue}
      required
      min={MIN_TARGET_S}
      max={MAX_TARGET_S}
      error={error}
    />
  );
}
