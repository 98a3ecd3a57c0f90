// Turns API failures into text for the user: a translated message when the
// error code is one the UI knows, else one built from the validation rule the
// server names (with its limits), else the server's own message; placed next
// to the input named in `error.field` when the form shows that input.
import { ApiError } from './api';
import { isMessageKey, type Translate } from './i18n';

/**
 * The broken validation rule in the UI's language ("must be 1 to 100
 * characters"), without the field name; undefined when the error names no
 * rule, or a rule whose limits it leaves out (the server's text says more then).
 */
export function ruleText(t: Translate, error: ApiError): string | undefined {
  const { min, max } = error;
  switch (error.rule) {
    case 'required':
      return t('rule.required');
    case 'length':
      if (min !== undefined && max !== undefined) {
        if (min === max) return t('rule.lengthExactly', { n: min });
        return min <= 0 ? t('rule.lengthMax', { max }) : t('rule.length', { min, max });
      }
      if (min !== undefined) return t('rule.lengthMin', { min });
      if (max !== undefined) return t('rule.lengthMax', { max });
      return undefined;
    case 'range':
      if (min !== undefined && max !== undefined) return t('rule.range', { min, max });
      if (min !== undefined) return t('rule.rangeMin', { min });
      if (max !== undefined) return t('rule.rangeMax', { max });
      return undefined;
    case 'email':
      return t('rule.email');
    case 'format':
      return t('rule.format');
    case 'unknown':
      return t('rule.unknown');
    case 'type':
      return t('rule.type');
    case 'choice':
      return t('rule.choice');
    case 'taken':
      return t('rule.taken');
    default:
      return undefined;
  }
}

interface Explained {
  /** The message without the field name in front. */
  bare: string;
  /** The message as it reads on its own: with the field name when there is one. */
  full: string;
}

function explain(t: Translate, error: unknown): Explained {
  if (error instanceof ApiError) {
    const field = error.field;
    const withField = (message: string) =>
      field === undefined ? message : t('error.withField', { field, message });
    const key = `error.${error.code}`;
    if (isMessageKey(key)) {
      const text = t(key);
      return { bare: text, full: text };
    }
    const rule = ruleText(t, error);
    if (rule !== undefined) return { bare: rule, full: withField(rule) };
    if (error.message !== '') {
      // The server's messages start with the field ("slug: another portal
      // uses it"); next to that field the prefix only repeats its label.
      const prefix = field === undefined ? undefined : `${field}: `;
      if (prefix !== undefined && error.message.startsWith(prefix))
        return { bare: error.message.slice(prefix.length), full: error.message };
      return { bare: error.message, full: withField(error.message) };
    }
    const text = t('error.unknown');
    return { bare: text, full: text };
  }
  const text = error instanceof Error && error.message !== '' ? error.message : t('error.unknown');
  return { bare: text, full: text };
}

/** The user-facing text for any failure. */
export function errorText(t: Translate, error: unknown): string {
  return explain(t, error).full;
}

/** The text for a failure shown next to the input it is about (no field name in front). */
export function fieldErrorText(t: Translate, error: unknown): string {
  return explain(t, error).bare;
}

/** A bulk-add reason: a known code is translated, anything else is the server's text. */
export function reasonText(t: Translate, reason: string | undefined): string {
  if (reason === undefined || reason === '') return '';
  const key = `error.${reason}`;
  return isMessageKey(key) ? t(key) : reason;
}

export interface FormErrors {
  /** Shown above the form: errors without a field, or for a field this form does not show. */
  top?: string;
  /** By input name. */
  fields: Record<string, string>;
}

export const noErrors: FormErrors = { fields: {} };

/** `sub_portals.1.name` and `sub_portals[1].name` name the same input; forms use the second. */
const normalField = (field: string) => field.replace(/\.(\d+)(?=[.[]|$)/g, '[$1]');

/**
 * `field` as the form names it: the exact name if the form shows it, else the
 * closest enclosing one (`texts.title` → `texts`, `sub_portals[1].name` →
 * `sub_portals[1]` → `sub_portals`), else undefined.
 */
export function matchField(field: string, known: readonly string[]): string | undefined {
  let candidate = normalField(field);
  for (;;) {
    if (known.includes(candidate)) return candidate;
    const cut = Math.max(candidate.lastIndexOf('.'), candidate.lastIndexOf('['));
    if (cut <= 0) return undefined;
    candidate = candidate.slice(0, cut);
  }
}

export function formErrors(t: Translate, error: unknown, known: readonly string[]): FormErrors {
  const { bare, full } = explain(t, error);
  if (error instanceof ApiError && error.field !== undefined) {
    const field = matchField(error.field, known);
    // Next to an enclosing input (`fields` for `fields[2].key`) the message
    // keeps the exact name, so it still says which part is wrong.
    if (field !== undefined) return { fields: { [field]: field === normalField(error.field) ? bare : full } };
  }
  return { top: full, fields: {} };
}

/**
 * The text for an error that came over the WebSocket: `{code, message}` from an
 * `error` message, or a CommandError. The first of `prefixes` + code that is a
 * known message wins (e.g. `console.error.`, then `error.`), else the server's text.
 */
export function socketErrorText(t: Translate, error: unknown, prefixes: readonly string[] = ['error.']): string {
  const { code, message } =
    typeof error === 'object' && error !== null ? (error as { code?: unknown; message?: unknown }) : {};
  if (typeof code === 'string') {
    for (const prefix of prefixes) {
      const key = `${prefix}${code}`;
      if (isMessageKey(key)) return t(key);
    }
  }
  return typeof message === 'string' && message !== '' ? message : t('error.unknown');
}
