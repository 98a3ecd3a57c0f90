// Labelled form controls with their hint and server error. Every control gets
// a unique id (several forms on one page may use the same input names).
import type { ComponentChildren } from 'preact';
import { useId, useMemo } from 'preact/hooks';
import { useI18n } from '../../shared/i18n';
import { sameId, type Id, type Team } from '../api';
import { buildTree, flattenTree } from '../teams';

interface FieldShellProps {
  id: string;
  name: string;
  label: string;
  hint?: string;
  error?: string;
  children: ComponentChildren;
  wide?: boolean;
  /** Marks the label (the input itself carries `required`). */
  required?: boolean;
}

function describedBy(id: string, hint?: string, error?: string): string | undefined {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter((x) => x !== '');
  return ids.length > 0 ? ids.join(' ') : undefined;
}

/** The mark after a required input's label ("*"); screen readers learn it from the input's `required`. */
export function RequiredMark() {
  return (
    <span class="required-mark" data-testid="required-mark" aria-hidden="true">
      *
    </span>
  );
}

/** Said once at the top of a form that marks its required inputs. */
export function RequiredNote() {
  const { t } = useI18n();
  return (
    <p class="required-note muted small" data-testid="required-note">
      {t('form.requiredNote')}
    </p>
  );
}

function FieldShell({ id, name, label, hint, error, children, wide, required }: FieldShellProps) {
  return (
    <div class={wide ? 'field field-wide' : 'field'} data-field={name}>
      <label for={id}>
        {label}
        {required && <RequiredMark />}
      </label>
      {children}
      {hint && (
        <p class="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && <FieldError id={`${id}-error`} name={name} message={error} />}
    </div>
  );
}

export function FieldError({ id, name, message }: { id?: string; name: string; message: string }) {
  return (
    <p class="field-error" id={id} data-testid="field-error" data-field={name}>
      {message}
    </p>
  );
}

interface TextFieldProps {
  name: string;
  label: string;
  value: string;
  onValue: (value: string) => void;
  type?: 'text' | 'email' | 'password' | 'number' | 'date' | 'time';
  required?: boolean;
  autoComplete?: string;
  hint?: string;
  error?: string;
  min?: number;
  max?: number;
  placeholder?: string;
  maxLength?: number;
  wide?: boolean;
}

export function TextField(props: TextFieldProps) {
  const id = useId();
  const {
    name,
    label,
    value,
    onValue,
    type = 'text',
    required,
    autoComplete,
    hint,
    error,
    min,
    max,
    placeholder,
    maxLength,
  } = props;
  return (
    <FieldShell id={id} name={name} label={label} hint={hint} error={error} wide={props.wide} required={required}>
      <input
        id={id}
        name={name}
        type={type}
        value={value}
        required={required}
        autoComplete={autoComplete}
        min={min}
        max={max}
        step={type === 'number' ? 1 : undefined}
        placeholder={placeholder}
        maxLength={maxLength}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        onInput={(e) => onValue(e.currentTarget.value)}
      />
    </FieldShell>
  );
}

interface TextAreaFieldProps {
  name: string;
  label: string;
  value: string;
  onValue: (value: string) => void;
  rows?: number;
  required?: boolean;
  hint?: string;
  error?: string;
  testid?: string;
  monospace?: boolean;
}

export function TextAreaField(props: TextAreaFieldProps) {
  const id = useId();
  const { name, label, value, onValue, rows = 3, required, hint, error, testid, monospace } = props;
  return (
    <FieldShell id={id} name={name} label={label} hint={hint} error={error} wide required={required}>
      <textarea
        id={id}
        name={name}
        rows={rows}
        value={value}
        required={required}
        class={monospace ? 'mono' : undefined}
        spellcheck={monospace ? false : undefined}
        data-testid={testid}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        onInput={(e) => onValue(e.currentTarget.value)}
      />
    </FieldShell>
  );
}

export interface Option {
  value: string;
  label: string;
}

interface SelectFieldProps {
  name: string;
  label: string;
  value: string;
  onValue: (value: string) => void;
  options: readonly Option[];
  required?: boolean;
  hint?: string;
  error?: string;
}

export function SelectField(props: SelectFieldProps) {
  const id = useId();
  const { name, label, value, onValue, options, required, hint, error } = props;
  return (
    <FieldShell id={id} name={name} label={label} hint={hint} error={error} required={required}>
      <select
        id={id}
        name={name}
        value={value}
        required={required}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        onChange={(e) => onValue(e.currentTarget.value)}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldShell>
  );
}

interface CheckboxFieldProps {
  name: string;
  label: string;
  checked: boolean;
  onChecked: (checked: boolean) => void;
  hint?: string;
  error?: string;
}

export function CheckboxField({ name, label, checked, onChecked, hint, error }: CheckboxFieldProps) {
  const id = useId();
  return (
    <div class="field field-check" data-field={name}>
      <input
        id={id}
        name={name}
        type="checkbox"
        checked={checked}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        onChange={(e) => onChecked(e.currentTarget.checked)}
      />
      <label for={id}>{label}</label>
      {hint && (
        <p class="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && <FieldError id={`${id}-error`} name={name} message={error} />}
    </div>
  );
}

/** Every IANA time zone the browser knows, plus the current value if it does not. */
function timeZones(current: string): string[] {
  let zones: string[];
  try {
    zones = Intl.supportedValuesOf('timeZone');
  } catch {
    zones = [];
  }
  if (!zones.includes('UTC')) zones = ['UTC', ...zones];
  if (current !== '' && !zones.includes(current)) zones = [current, ...zones];
  return zones;
}

export function TimeZoneField(props: Omit<SelectFieldProps, 'options'>) {
  const { t } = useI18n();
  const options = useMemo(
    () => [
      ...(props.value === '' ? [{ value: '', label: t('common.choose') }] : []),
      ...timeZones(props.value).map((z) => ({ value: z, label: z.replace(/_/g, ' ') })),
    ],
    [props.value, t('common.choose')],
  );
  return <SelectField {...props} options={options} />;
}

/** Team options in tree order, indented by depth. */
export function teamOptions(teams: readonly Team[]): Option[] {
  return flattenTree(buildTree(teams)).map(({ team, depth }) => ({
    value: String(team.id),
    label: `${'\u2003'.repeat(depth)}${team.name}`,
  }));
}

/** The team with this select value, with its id as the server sent it. */
export function teamIdFromValue(teams: readonly Team[], value: string): Id | undefined {
  return teams.find((t) => sameId(t.id, value))?.id;
}

interface TeamChecklistProps {
  name: string;
  legend: string;
  teams: readonly Team[];
  selected: readonly Id[];
  onChange: (ids: Id[]) => void;
  error?: string;
  testid?: string;
}

export function TeamChecklist({ name, legend, teams, selected, onChange, error, testid }: TeamChecklistProps) {
  const baseId = useId();
  const { t } = useI18n();
  const nodes = flattenTree(buildTree(teams));
  const isSelected = (id: Id) => selected.some((s) => sameId(s, id));
  const toggle = (id: Id, on: boolean) =>
    onChange(on ? [...selected.filter((s) => !sameId(s, id)), id] : selected.filter((s) => !sameId(s, id)));
  return (
    <fieldset class="team-checklist" data-testid={testid} data-field={name}>
      <legend>{legend}</legend>
      {nodes.length === 0 && <p class="muted">{t('teams.none')}</p>}
      <ul>
        {nodes.map(({ team, depth }) => {
          const id = `${baseId}-${String(team.id)}`;
          return (
            <li key={String(team.id)} class={`depth-${Math.min(depth, 6)}`}>
              <input
                id={id}
                type="checkbox"
                name={name}
                value={String(team.id)}
                checked={isSelected(team.id)}
                onChange={(e) => toggle(team.id, e.currentTarget.checked)}
              />
              <label for={id}>{team.name}</label>
            </li>
          );
        })}
      </ul>
      {error && <FieldError name={name} message={error} />}
    </fieldset>
  );
}
