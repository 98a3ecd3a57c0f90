// The service level's target wait on the report form: whole seconds from 1 to
// 3600 (60 unless changed). A value outside that is said when the report is
// run or saved, and it is neither: TargetError goes under the form's row, after
// its button (as wide as the form, so the inputs stay in line), named by the
// field's label.
import { useI18n } from '../../shared/i18n';
import { FieldError } from '../components/Fields';
import { MAX_TARGET_S, MIN_TARGET_S } from './serviceLevel';

interface TargetFieldProps {
  /** As typed. */
  value: string;
  onValue: (value: string) => void;
  /** Whether to say that the value is wrong. */
  wrong: boolean;
}

export function TargetField({ value, onValue, wrong }: TargetFieldProps) {
  const { t } = useI18n();
  return (
    <div class="field report-target" data-field="target_s">
      <label for="report-target">{t('reports.field.target')}</label>
      <input
        id="report-target"
        name="target_s"
        type="number"
        inputMode="numeric"
        data-testid="report-target"
        min={MIN_TARGET_S}
        max={MAX_TARGET_S}
        step={1}
        value={value}
        aria-invalid={wrong ? true : undefined}
        aria-describedby={wrong ? 'report-target-error' : undefined}
        onInput={(e) => onValue(e.currentTarget.value)}
      />
    </div>
  );
}

/** What is wrong with the target, named by its label (the input points to it). */
export function TargetError() {
  const { t } = useI18n();
  const message = t('error.withField', { field: t('reports.field.target'), message: t('reports.field.targetWrong') });
  return <FieldError id="report-target-error" name="target_s" message={message} />;
}
