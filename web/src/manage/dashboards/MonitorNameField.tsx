// A monitor's name, as the add and rename forms ask for it: required, at most
// MONITOR_NAME_MAX characters.
import { useI18n } from '../../shared/i18n';
import { TextField } from '../components/Fields';
import { MONITOR_NAME_MAX } from './monitorsApi';

interface MonitorNameFieldProps {
  value: string;
  onValue: (value: string) => void;
  error?: string;
}

export function MonitorNameField({ value, onValue, error }: MonitorNameFieldProps) {
  const { t } = useI18n();
  return (
    <TextField
      name="name"
      label={t('dashboards.field.name')}
      value={value}
      onValue={onValue}
      required
      maxLength={MONITOR_NAME_MAX}
      error={error}
    />
  );
}
