// One labelled input of the request form: text, e-mail, a text area, or a
// select for a skill field. The input's name is the field's key.
import type { ComponentChildren } from 'preact';
import { useId } from 'preact/hooks';
import { useI18n } from '../shared/i18n';
import { choiceLabel, fieldLabel, type PortalField } from './api';

interface FieldFrameProps {
  id: string;
  name: string;
  label: string;
  required: boolean;
  hint?: string;
  error?: string;
  children: ComponentChildren;
}

/** Label (with a mark when required), the control, its hint and error. */
export function FieldFrame({ id, name, label, required, hint, error, children }: FieldFrameProps) {
  return (
    <div class="field" data-field={name}>
      <label for={id}>
        {label}
        {required && (
          <span class="required-mark" aria-hidden="true">
            *
          </span>
        )}
      </label>
      {children}
      {hint && (
        <p class="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p class="field-error" id={`${id}-error`} role="alert" data-testid="field-error" data-field={name}>
          {error}
        </p>
      )}
    </div>
  );
}

export function describedBy(id: string, hint?: string, error?: string): string | undefined {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter((x) => x !== '');
  return ids.length > 0 ? ids.join(' ') : undefined;
}

const AUTOCOMPLETE: Record<string, string> = {
  name: 'name',
  email: 'email',
  company: 'organization',
  phone: 'tel',
};

interface FieldInputProps {
  field: PortalField;
  value: string;
  onValue: (value: string) => void;
  error?: string;
}

export function FieldInput({ field, value, onValue, error }: FieldInputProps) {
  const { t, lang } = useI18n();
  const id = useId();
  const common = {
    id,
    name: field.key,
    required: field.required,
    'aria-required': field.required,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': describedBy(id, undefined, error),
  };
  let control;
  switch (field.type) {
    case 'textarea':
      control = <textarea {...common} rows={5} value={value} onInput={(e) => onValue(e.currentTarget.value)} />;
      break;
    case 'skill':
      control = (
        <select {...common} value={value} onChange={(e) => onValue(e.currentTarget.value)}>
          <option value="">{field.required ? t('portal.choose') : t('portal.noChoice')}</option>
          {(field.choices ?? []).map((choice, i) => (
            <option key={choice} value={choice}>
              {choiceLabel(field, lang, i)}
            </option>
          ))}
        </select>
      );
      break;
    default:
      control = (
        <input
          {...common}
          type={field.type === 'email' ? 'email' : 'text'}
          autoComplete={AUTOCOMPLETE[field.key] ?? (field.type === 'email' ? 'email' : undefined)}
          value={value}
          onInput={(e) => onValue(e.currentTarget.value)}
        />
      );
  }
  return (
    <FieldFrame id={id} name={field.key} label={fieldLabel(field, lang)} required={field.required} error={error}>
      {control}
    </FieldFrame>
  );
}
