// Turns API failures into text for the user: a translated message when the
// error code is one the UI knows, the server's own message otherwise, placed
// next to the input named in `error.field` when the form shows that input.
import { ApiError } from '../shared/api';
import { isMessageKey, type Translate } from '../shared/i18n';

/** The user-facing text for any failure. */
export function errorText(t: Translate, error: unknown): string {
  if (error instanceof ApiError) {
    const key = `error.${error.code}`;
    if (isMessageKey(key)) return t(key);
    if (error.message !== '') return error.message;
    return t('error.unknown');
  }
  if (error instanceof Error && error.message !== '') return error.message;
  return t('error.unknown');
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

/**
 * `field` as the form names it: the exact name if the form shows it, else the
 * closest enclosing one (`texts.title` → `texts`, `sub_portals[1].name` →
 * `sub_portals[1]` → `sub_portals`), else undefined.
 */
export function matchField(field: string, known: readonly string[]): string | undefined {
  // `sub_portals.1.name` and `sub_portals[1].name` name the same input.
  let candidate = field.replace(/\.(\d+)(?=[.[]|$)/g, '[$1]');
  for (;;) {
    if (known.includes(candidate)) return candidate;
    const cut = Math.max(candidate.lastIndexOf('.'), candidate.lastIndexOf('['));
    if (cut <= 0) return undefined;
    candidate = candidate.slice(0, cut);
  }
}

export function formErrors(t: Translate, error: unknown, known: readonly string[]): FormErrors {
  const text = errorText(t, error);
  if (error instanceof ApiError && error.field !== undefined) {
    // The server's messages start with the field ("slug: another portal
    // uses it"); next to that field the prefix only repeats its label.
    const prefix = `${error.field}: `;
    const named = text.startsWith(prefix);
    const field = matchField(error.field, known);
    if (field !== undefined) return { fields: { [field]: named ? text.slice(prefix.length) : text } };
    return { top: named ? text : t('error.withField', { field: error.field, message: text }), fields: {} };
  }
  return { top: text, fields: {} };
}
