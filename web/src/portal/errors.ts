// A refused request, in the customer's words: next to the input it is about
// when the server names one the form shows, else as a banner above the form.
import { ApiError } from '../shared/api';
import { errorText, fieldErrorText } from '../shared/errors';
import { formatDateTime, formatDuration } from '../shared/format';
import type { Lang, Translate } from '../shared/i18n';

export interface SubmitErrors {
  top?: string;
  /** The code of the banner's error, for tests and styling. */
  code?: string;
  fields: Record<string, string>;
}

export const noSubmitErrors: SubmitErrors = { fields: {} };

/** The form's input for a server field name: `fields.email`, `fields[email]` and `email` are all `email`. */
export function inputFor(field: string, known: readonly string[]): string | undefined {
  const bare = field.replace(/^fields(?:\.|\[)([^\]]+)\]?$/, '$1');
  return known.find((k) => k === bare || k === field);
}

function bannerText(t: Translate, lang: Lang, error: ApiError): string | undefined {
  switch (error.code) {
    case 'closed': {
      const next = error.details.extra?.next_open;
      return typeof next === 'number'
        ? t('portal.error.closedUntil', { time: formatDateTime(lang, next * 1000, true) })
        : t('portal.error.closed');
    }
    case 'invalid_code':
      return t('portal.error.invalid_code');
    case 'too_many_guesses': {
      const extra = error.details.extra?.retry_after_s;
      const wait = error.details.retryAfter ?? (typeof extra === 'number' ? extra : undefined);
      return wait !== undefined && wait > 0
        ? t('portal.error.too_many_guessesWait', { time: formatDuration(Math.ceil(wait / 60) * 60) })
        : t('portal.error.too_many_guesses');
    }
    case 'technician_unavailable':
      return t('portal.error.technician_unavailable');
    case 'not_found':
      return t('portal.error.not_found');
    default:
      return undefined;
  }
}

export function submitErrors(t: Translate, lang: Lang, error: unknown, known: readonly string[]): SubmitErrors {
  if (!(error instanceof ApiError)) return { top: errorText(t, error), fields: {} };
  const banner = bannerText(t, lang, error);
  if (banner !== undefined) return { top: banner, code: error.code, fields: {} };
  const input = error.field === undefined ? undefined : inputFor(error.field, known);
  if (input !== undefined) return { fields: { [input]: fieldErrorText(t, error) } };
  return { top: errorText(t, error), code: error.code, fields: {} };
}
