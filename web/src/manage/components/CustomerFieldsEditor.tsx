// The inputs a customer fills in when asking for help on a portal: label,
// key, type (a skill field offers a list of skills to pick from) and whether
// it is required; rows can be added, removed and reordered. The label (and a
// skill field's labels) can be given in English and German too: customers
// see the one in their language, else the default.
import { useId } from 'preact/hooks';
import { useI18n, type MessageKey, type Translate } from '../../shared/i18n';
import {
  CUSTOMER_FIELD_KEY,
  CUSTOMER_FIELD_LABEL_MAX,
  CUSTOMER_FIELD_TYPES,
  FIELD_LANGUAGES,
  MAX_CUSTOMER_FIELDS,
  SKILL_CHOICE_MAX,
  SKILL_CHOICES_MAX,
  type CustomerField,
  type CustomerFieldType,
  type FieldLanguage,
} from '../api';
import { FieldError } from './Fields';

export interface FieldDraft {
  /** Identifies the row while editing (not sent). */
  id: number;
  key: string;
  /** Once the key is typed by hand it no longer follows the label. */
  keyTouched: boolean;
  label: string;
  type: CustomerFieldType;
  required: boolean;
  /** For type skill: the choices as typed, separated by commas; `skill = label` gives the customer a label. */
  choices: string;
  /** The label by language ('' : the default label). */
  labels: Record<FieldLanguage, string>;
  /** For type skill: the choices' labels by language, separated by commas ('' : the default ones). */
  choiceLabels: Record<FieldLanguage, string>;
}

const noTranslations = (): Record<FieldLanguage, string> => ({ en: '', de: '' });

const translationLabel: Record<FieldLanguage, MessageKey> = {
  en: 'fields.translations.label.en',
  de: 'fields.translations.label.de',
};
const translationChoices: Record<FieldLanguage, MessageKey> = {
  en: 'fields.translations.choices.en',
  de: 'fields.translations.choices.de',
};

/** "Windows, Drucker" → the labels, one per skill. */
const splitLabels = (text: string): string[] => (text.trim() === '' ? [] : text.split(',').map((l) => l.trim()));

const typeLabel: Record<CustomerFieldType, MessageKey> = {
  text: 'fields.type.text',
  email: 'fields.type.email',
  textarea: 'fields.type.textarea',
  skill: 'fields.type.skill',
};

let nextId = 1;

/** A key from a label: "Your e-mail" → "your_e_mail". */
export function keyFromLabel(label: string): string {
  return label
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ß/g, 'ss')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 30)
    .replace(/_+$/, '');
}

export function fieldDrafts(fields: readonly CustomerField[]): FieldDraft[] {
  return fields.map((f) => ({
    id: nextId++,
    key: f.key,
    keyTouched: true,
    label: f.label,
    type: CUSTOMER_FIELD_TYPES.includes(f.type) ? f.type : 'text',
    required: f.required,
    choices: (f.choices ?? [])
      .map((c, i) => {
        const label = f.choice_labels?.[i];
        return label && label !== c ? `${c} = ${label}` : c;
      })
      .join(', '),
    labels: {
      en: f.translations?.en?.label ?? '',
      de: f.translations?.de?.label ?? '',
    },
    choiceLabels: {
      en: (f.translations?.en?.choice_labels ?? []).join(', '),
      de: (f.translations?.de?.choice_labels ?? []).join(', '),
    },
  }));
}

/** The labels given in other languages, as the API takes them (none: left out). */
function translationsInput(d: FieldDraft): Pick<CustomerField, 'translations'> {
  const out: NonNullable<CustomerField['translations']> = {};
  for (const lang of FIELD_LANGUAGES) {
    const label = d.labels[lang].trim();
    const choiceLabels = d.type === 'skill' ? splitLabels(d.choiceLabels[lang]) : [];
    if (label === '' && choiceLabels.length === 0) continue;
    out[lang] = { label, ...(choiceLabels.length > 0 ? { choice_labels: choiceLabels } : {}) };
  }
  return Object.keys(out).length > 0 ? { translations: out } : {};
}

/** What a new portal asks for: name, e-mail and the problem, labelled in the UI's language. */
export function defaultFieldDrafts(t: Translate): FieldDraft[] {
  return fieldDrafts([
    { key: 'name', label: t('fields.default.name'), type: 'text', required: true },
    { key: 'email', label: t('fields.default.email'), type: 'email', required: true },
    { key: 'problem', label: t('fields.default.problem'), type: 'textarea', required: true },
  ]);
}

/** "windows = Windows problems, printers" → skills and the labels customers read ('' for none). */
export function splitChoices(text: string): { skill: string; label: string }[] {
  return text
    .split(',')
    .map((c) => {
      const eq = c.indexOf('=');
      return eq < 0
        ? { skill: c.trim(), label: '' }
        : { skill: c.slice(0, eq).trim(), label: c.slice(eq + 1).trim() };
    })
    .filter((c) => c.skill !== '' || c.label !== '');
}

/** The largest label a choice may have. */
const CHOICE_LABEL_MAX = 100;

function choicesInput(text: string): Pick<CustomerField, 'choices' | 'choice_labels'> {
  const choices = splitChoices(text);
  const labelled = choices.some((c) => c.label !== '' && c.label !== c.skill);
  return {
    choices: choices.map((c) => c.skill),
    ...(labelled ? { choice_labels: choices.map((c) => c.label || c.skill) } : {}),
  };
}

/** The fields as the API takes them. */
export function fieldsInput(drafts: readonly FieldDraft[]): CustomerField[] {
  return drafts.map((d) => ({
    key: d.key.trim(),
    label: d.label.trim(),
    type: d.type,
    required: d.required,
    ...(d.type === 'skill' ? choicesInput(d.choices) : {}),
    ...translationsInput(d),
  }));
}

/** Checks in the UI's language, by input name (`fields[2].key`); empty when all is well. */
export function checkFields(t: Translate, drafts: readonly FieldDraft[]): Record<string, string> {
  const errors: Record<string, string> = {};
  if (drafts.length > MAX_CUSTOMER_FIELDS) errors.fields = t('fields.error.tooMany', { max: MAX_CUSTOMER_FIELDS });
  const seen = new Set<string>();
  drafts.forEach((d, i) => {
    const key = d.key.trim();
    if (!CUSTOMER_FIELD_KEY.test(key)) errors[`fields[${i}].key`] = t('fields.error.key');
    else if (seen.has(key)) errors[`fields[${i}].key`] = t('fields.error.keyTwice');
    seen.add(key);
    const label = d.label.trim();
    if (label === '' || label.length > CUSTOMER_FIELD_LABEL_MAX)
      errors[`fields[${i}].label`] = t('rule.length', { min: 1, max: CUSTOMER_FIELD_LABEL_MAX });
    if (d.type === 'skill') {
      const choices = splitChoices(d.choices);
      const tooLong = choices.some(
        (c) => c.skill === '' || c.skill.length > SKILL_CHOICE_MAX || c.label.length > CHOICE_LABEL_MAX,
      );
      if (choices.length === 0 || choices.length > SKILL_CHOICES_MAX || tooLong) {
        const limits = { max: SKILL_CHOICES_MAX, length: SKILL_CHOICE_MAX };
        errors[`fields[${i}].choices`] = t('fields.error.choices', limits);
      }
    }
    for (const lang of FIELD_LANGUAGES) {
      if (d.labels[lang].trim().length > CUSTOMER_FIELD_LABEL_MAX)
        errors[`fields[${i}].translations.${lang}.label`] = t('rule.lengthMax', { max: CUSTOMER_FIELD_LABEL_MAX });
      if (d.type !== 'skill') continue;
      const labels = splitLabels(d.choiceLabels[lang]);
      const count = splitChoices(d.choices).length;
      if (labels.length > 0 && (labels.length !== count || labels.some((l) => l.length > CHOICE_LABEL_MAX)))
        errors[`fields[${i}].translations.${lang}.choice_labels`] = t('fields.error.choiceLabels', {
          n: count,
          max: CHOICE_LABEL_MAX,
        });
    }
  });
  return errors;
}

/** Input names a server error may name, for the portal form's error placement. */
export function fieldNames(drafts: readonly FieldDraft[]): string[] {
  return [
    'fields',
    ...drafts.flatMap((_, i) => [
      `fields[${i}]`,
      `fields[${i}].key`,
      `fields[${i}].label`,
      `fields[${i}].type`,
      `fields[${i}].required`,
      `fields[${i}].choices`,
      `fields[${i}].translations`,
      ...FIELD_LANGUAGES.flatMap((lang) => [
        `fields[${i}].translations.${lang}`,
        `fields[${i}].translations.${lang}.label`,
        `fields[${i}].translations.${lang}.choice_labels`,
      ]),
    ]),
  ];
}

interface CustomerFieldsEditorProps {
  value: FieldDraft[];
  onChange: (value: FieldDraft[]) => void;
  errors: Record<string, string>;
}

export function CustomerFieldsEditor({ value, onChange, errors }: CustomerFieldsEditorProps) {
  const { t } = useI18n();
  const baseId = useId();
  const update = (id: number, change: Partial<FieldDraft>) =>
    onChange(value.map((d) => (d.id === id ? { ...d, ...change } : d)));
  const move = (index: number, by: -1 | 1) => {
    const to = index + by;
    if (to < 0 || to >= value.length) return;
    const next = [...value];
    [next[index], next[to]] = [next[to], next[index]];
    onChange(next);
  };
  const add = () =>
    onChange([
      ...value,
      {
        id: nextId++,
        key: '',
        keyTouched: false,
        label: '',
        type: 'text',
        required: false,
        choices: '',
        labels: noTranslations(),
        choiceLabels: noTranslations(),
      },
    ]);

  return (
    <div class="customer-fields" data-testid="customer-fields">
      {errors.fields && <FieldError name="fields" message={errors.fields} />}
      {value.length === 0 && <p class="muted">{t('fields.none')}</p>}
      <ol class="customer-field-list">
        {value.map((d, i) => {
          const id = `${baseId}-${d.id}`;
          const err = (part: string) => errors[`fields[${i}].${part}`];
          const rowError =
            errors[`fields[${i}]`] ??
            err('type') ??
            err('required') ??
            err('translations') ??
            FIELD_LANGUAGES.map((lang) => err(`translations.${lang}`)).find((e) => e !== undefined);
          const describe = (part: string) => (err(part) ? `${id}-${part}-error` : undefined);
          return (
            <li key={d.id} class="customer-field" data-testid="customer-field" data-key={d.key.trim()}>
              <div class="customer-field-head">
                <span class="customer-field-number">{t('fields.number', { n: i + 1 })}</span>
                <span class="row-actions">
                  <button
                    type="button"
                    class="btn btn-small btn-ghost"
                    data-testid="customer-field-up"
                    disabled={i === 0}
                    aria-label={t('fields.moveUpNamed', { n: i + 1 })}
                    onClick={() => move(i, -1)}
                  >
                    ↑ {t('fields.moveUp')}
                  </button>
                  <button
                    type="button"
                    class="btn btn-small btn-ghost"
                    data-testid="customer-field-down"
                    disabled={i === value.length - 1}
                    aria-label={t('fields.moveDownNamed', { n: i + 1 })}
                    onClick={() => move(i, 1)}
                  >
                    ↓ {t('fields.moveDown')}
                  </button>
                  <button
                    type="button"
                    class="btn btn-small btn-danger-ghost"
                    data-testid="customer-field-remove"
                    aria-label={t('fields.removeNamed', { n: i + 1 })}
                    onClick={() => onChange(value.filter((x) => x.id !== d.id))}
                  >
                    {t('fields.remove')}
                  </button>
                </span>
              </div>
              <div class="customer-field-grid">
                <div class="field" data-field={`fields[${i}].label`}>
                  <label for={`${id}-label`}>{t('fields.label')}</label>
                  <input
                    id={`${id}-label`}
                    name={`fields[${i}].label`}
                    value={d.label}
                    required
                    maxLength={CUSTOMER_FIELD_LABEL_MAX}
                    aria-invalid={err('label') ? true : undefined}
                    aria-describedby={describe('label')}
                    onInput={(e) => {
                      const label = e.currentTarget.value;
                      update(d.id, d.keyTouched ? { label } : { label, key: keyFromLabel(label) });
                    }}
                  />
                  {err('label') && (
                    <FieldError id={`${id}-label-error`} name={`fields[${i}].label`} message={err('label')} />
                  )}
                </div>
                <div class="field" data-field={`fields[${i}].key`}>
                  <label for={`${id}-key`}>{t('fields.key')}</label>
                  <input
                    id={`${id}-key`}
                    name={`fields[${i}].key`}
                    class="mono"
                    value={d.key}
                    required
                    maxLength={30}
                    spellcheck={false}
                    autoComplete="off"
                    aria-invalid={err('key') ? true : undefined}
                    aria-describedby={`${baseId}-key-hint${err('key') ? ` ${id}-key-error` : ''}`}
                    onInput={(e) => update(d.id, { key: e.currentTarget.value, keyTouched: true })}
                  />
                  {err('key') && <FieldError id={`${id}-key-error`} name={`fields[${i}].key`} message={err('key')} />}
                </div>
                <div class="field" data-field={`fields[${i}].type`}>
                  <label for={`${id}-type`}>{t('fields.type')}</label>
                  <select
                    id={`${id}-type`}
                    name={`fields[${i}].type`}
                    value={d.type}
                    onChange={(e) =>
                      update(d.id, { type: CUSTOMER_FIELD_TYPES.find((x) => x === e.currentTarget.value) ?? 'text' })
                    }
                  >
                    {CUSTOMER_FIELD_TYPES.map((x) => (
                      <option key={x} value={x}>
                        {t(typeLabel[x])}
                      </option>
                    ))}
                  </select>
                </div>
                <div class="field field-check" data-field={`fields[${i}].required`}>
                  <input
                    id={`${id}-required`}
                    name={`fields[${i}].required`}
                    type="checkbox"
                    checked={d.required}
                    onChange={(e) => update(d.id, { required: e.currentTarget.checked })}
                  />
                  <label for={`${id}-required`}>{t('fields.required')}</label>
                </div>
                {d.type === 'skill' && (
                  <div class="field field-wide" data-field={`fields[${i}].choices`}>
                    <label for={`${id}-choices`}>{t('fields.choices')}</label>
                    <input
                      id={`${id}-choices`}
                      name={`fields[${i}].choices`}
                      value={d.choices}
                      placeholder={t('fields.choices.placeholder')}
                      aria-invalid={err('choices') ? true : undefined}
                      aria-describedby={`${id}-choices-hint${err('choices') ? ` ${id}-choices-error` : ''}`}
                      onInput={(e) => update(d.id, { choices: e.currentTarget.value })}
                    />
                    <p class="field-hint" id={`${id}-choices-hint`}>
                      {t('fields.choices.hint')}
                    </p>
                    {err('choices') && (
                      <FieldError id={`${id}-choices-error`} name={`fields[${i}].choices`} message={err('choices')} />
                    )}
                  </div>
                )}
              </div>
              <fieldset class="customer-field-translations" data-testid="customer-field-translations">
                <legend>{t('fields.translations')}</legend>
                <div class="customer-field-grid">
                  {FIELD_LANGUAGES.map((lang) => {
                    const name = `fields[${i}].translations.${lang}.label`;
                    const inputId = `${id}-label-${lang}`;
                    const problem = errors[name];
                    return (
                      <div key={lang} class="field" data-field={name}>
                        <label for={inputId}>{t(translationLabel[lang])}</label>
                        <input
                          id={inputId}
                          name={name}
                          lang={lang}
                          value={d.labels[lang]}
                          placeholder={d.label}
                          maxLength={CUSTOMER_FIELD_LABEL_MAX}
                          aria-invalid={problem ? true : undefined}
                          aria-describedby={`${id}-translations-hint${problem ? ` ${inputId}-error` : ''}`}
                          onInput={(e) => update(d.id, { labels: { ...d.labels, [lang]: e.currentTarget.value } })}
                        />
                        {problem && <FieldError id={`${inputId}-error`} name={name} message={problem} />}
                      </div>
                    );
                  })}
                  {d.type === 'skill' &&
                    FIELD_LANGUAGES.map((lang) => {
                      const name = `fields[${i}].translations.${lang}.choice_labels`;
                      const inputId = `${id}-choices-${lang}`;
                      const problem = errors[name];
                      return (
                        <div key={`choices-${lang}`} class="field field-wide" data-field={name}>
                          <label for={inputId}>{t(translationChoices[lang])}</label>
                          <input
                            id={inputId}
                            name={name}
                            lang={lang}
                            value={d.choiceLabels[lang]}
                            aria-invalid={problem ? true : undefined}
                            aria-describedby={`${id}-translations-choices-hint${problem ? ` ${inputId}-error` : ''}`}
                            onInput={(e) =>
                              update(d.id, { choiceLabels: { ...d.choiceLabels, [lang]: e.currentTarget.value } })
                            }
                          />
                          {problem && <FieldError id={`${inputId}-error`} name={name} message={problem} />}
                        </div>
                      );
                    })}
                </div>
                <p class="field-hint" id={`${id}-translations-hint`}>
                  {t('fields.translations.hint')}
                </p>
                {d.type === 'skill' && (
                  <p class="field-hint" id={`${id}-translations-choices-hint`}>
                    {t('fields.translations.choices.hint')}
                  </p>
                )}
              </fieldset>
              {rowError && <FieldError name={`fields[${i}]`} message={rowError} />}
            </li>
          );
        })}
      </ol>
      <button
        type="button"
        class="btn btn-small"
        data-testid="customer-field-add"
        disabled={value.length >= MAX_CUSTOMER_FIELDS}
        onClick={add}
      >
        {t('fields.add')}
      </button>
      <p class="field-hint" id={`${baseId}-key-hint`}>
        {t('fields.hint', { max: MAX_CUSTOMER_FIELDS })} {t('fields.key.hint')}
      </p>
    </div>
  );
}
