// The customer's request: the portal's fields, plus the technician to ask
// (SmartMatch) or the connection code from the phone (SmartPIN). Required
// inputs are checked here; everything else the server checks and names.
import { useId, useState } from 'preact/hooks';
import { useI18n } from '../shared/i18n';
import { createRequest, type CreatedRequest, type NewRequest, type PublicPortal } from './api';
import { noSubmitErrors, submitErrors, type SubmitErrors } from './errors';
import { describedBy, FieldFrame, FieldInput } from './FieldInput';

interface RequestFormProps {
  account: string;
  slug: string;
  portal: PublicPortal;
  onCreated: (created: CreatedRequest) => void;
  /** The portal's data may be out of date (e.g. the chosen technician left): load it again. */
  onStale: () => void;
}

const CODE_DIGITS = 9;
const TECHNICIAN = 'technician_id';
const CODE = 'code';

/** The digits of a code as typed ("123 456-789"); undefined unless there are exactly nine. */
export function codeDigits(typed: string): string | undefined {
  const digits = typed.replace(/[\s-]/g, '');
  return new RegExp(`^\\d{${CODE_DIGITS}}$`).test(digits) ? digits : undefined;
}

export function RequestForm({ account, slug, portal, onCreated, onStale }: RequestFormProps) {
  const { t, lang } = useI18n();
  const { type, fields } = portal.portal;
  const withTechnician = type === 'smartmatch';
  const withCode = type === 'smartpin';
  const [values, setValues] = useState<Record<string, string>>({});
  const [technician, setTechnician] = useState('');
  const [code, setCode] = useState('');
  const [errors, setErrors] = useState<SubmitErrors>(noSubmitErrors);
  const [busy, setBusy] = useState(false);
  const technicianId = useId();
  const codeId = useId();

  const technicians = portal.technicians;
  // A technician who is no longer listed cannot be asked.
  const chosen = technicians.find((x) => String(x.id) === technician);
  const technicianHint = technicians.length === 0 ? t('portal.technician.none') : undefined;
  const codeHint = t('portal.code.hint');
  // In the order the form shows them.
  const known = [...(withCode ? [CODE] : []), ...(withTechnician ? [TECHNICIAN] : []), ...fields.map((f) => f.key)];

  const check = (): Record<string, string> => {
    const problems: Record<string, string> = {};
    if (withCode && codeDigits(code) === undefined)
      problems[CODE] = code.trim() === '' ? t('portal.error.required') : t('portal.code.format');
    if (withTechnician && !chosen) problems[TECHNICIAN] = t('portal.error.chooseTechnician');
    for (const f of fields) {
      if (f.required && (values[f.key] ?? '').trim() === '') problems[f.key] = t('portal.error.required');
    }
    return problems;
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    const problems = check();
    if (Object.keys(problems).length > 0) {
      setErrors({ fields: problems });
      const first = known.find((k) => k in problems);
      if (first !== undefined)
        (e.currentTarget as HTMLFormElement).querySelector<HTMLElement>(`[name="${first}"]`)?.focus();
      return;
    }
    const body: NewRequest = { fields: {}, lang };
    for (const f of fields) {
      const value = (values[f.key] ?? '').trim();
      if (value !== '') body.fields[f.key] = value;
    }
    if (withTechnician && chosen) body.technician_id = chosen.id;
    if (withCode) body.code = codeDigits(code);
    setBusy(true);
    setErrors(noSubmitErrors);
    try {
      onCreated(await createRequest(account, slug, body));
    } catch (err) {
      setErrors(submitErrors(t, lang, err, known));
      setBusy(false);
      if (withTechnician) onStale();
    }
  };

  const setValue = (key: string, value: string) => setValues((v) => ({ ...v, [key]: value }));

  return (
    <form class="portal-form" data-testid="request-form" data-portal-type={type} noValidate onSubmit={submit}>
      {errors.top && (
        <div class="form-error" role="alert" data-testid="form-error" data-code={errors.code}>
          {errors.top}
        </div>
      )}

      {withCode && (
        <FieldFrame
          id={codeId}
          name={CODE}
          label={t('portal.code')}
          required
          hint={codeHint}
          error={errors.fields[CODE]}
        >
          <input
            id={codeId}
            name={CODE}
            class="code-input"
            data-testid="code-input"
            type="text"
            inputMode="numeric"
            autoComplete="one-time-code"
            placeholder="123 456 789"
            maxLength={20}
            required
            aria-required
            aria-invalid={errors.fields[CODE] ? true : undefined}
            aria-describedby={describedBy(codeId, codeHint, errors.fields[CODE])}
            value={code}
            onInput={(e) => setCode(e.currentTarget.value)}
          />
        </FieldFrame>
      )}

      {withTechnician && (
        <FieldFrame
          id={technicianId}
          name={TECHNICIAN}
          label={t('portal.technician')}
          required
          hint={technicianHint}
          error={errors.fields[TECHNICIAN]}
        >
          <select
            id={technicianId}
            name={TECHNICIAN}
            data-testid="technician-choice"
            required
            aria-required
            aria-invalid={errors.fields[TECHNICIAN] ? true : undefined}
            aria-describedby={describedBy(technicianId, technicianHint, errors.fields[TECHNICIAN])}
            value={chosen ? String(chosen.id) : ''}
            onChange={(e) => setTechnician(e.currentTarget.value)}
          >
            <option value="">{t('portal.choose')}</option>
            {technicians.map((x) => (
              <option key={String(x.id)} value={String(x.id)}>
                {x.name}
              </option>
            ))}
          </select>
        </FieldFrame>
      )}

      {fields.map((f) => (
        <FieldInput
          key={f.key}
          field={f}
          value={values[f.key] ?? ''}
          onValue={(v) => setValue(f.key, v)}
          error={errors.fields[f.key]}
        />
      ))}

      {(fields.some((f) => f.required) || withCode || withTechnician) && (
        <p class="field-hint portal-required-hint">{t('portal.requiredHint')}</p>
      )}

      <button type="submit" class="btn btn-primary btn-block" data-testid="submit-request" disabled={busy}>
        {busy ? t('portal.submitting') : t('portal.submit')}
      </button>
    </form>
  );
}
