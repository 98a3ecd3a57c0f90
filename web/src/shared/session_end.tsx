// The end of a session as the console and the Management Center show it
// (docs/sessions.md): the technician's resolution and the customer's rating.
import { useI18n, type MessageKey, type Translate } from './i18n';

export const RESOLUTIONS = ['resolved', 'unresolved', 'unknown'] as const;
export type Resolution = (typeof RESOLUTIONS)[number];

export const MAX_CLOSE_NOTES = 4000;
export const MAX_RATING_COMMENT = 2000;
export const MAX_RATING = 5;

export const resolutionLabel: Record<Resolution, MessageKey> = {
  resolved: 'resolution.resolved',
  unresolved: 'resolution.unresolved',
  unknown: 'resolution.unknown',
};

/** The resolution in the UI's language ("" when there is none; unknown values as sent). */
export function resolutionText(t: Translate, value: string | undefined): string {
  if (!value) return '';
  const key = (resolutionLabel as Record<string, MessageKey>)[value];
  return key ? t(key) : value;
}

/** A rating 1..5 as stars and "4/5"; the stars are decoration, the number is what is read out. */
export function RatingStars({ rating, testid }: { rating: number; testid?: string }) {
  const { t } = useI18n();
  const n = Math.max(0, Math.min(MAX_RATING, Math.round(rating)));
  return (
    <span class="rating-stars" data-testid={testid} data-rating={n} title={t('rating.value', { n })}>
      <span class="rating-stars-icons" aria-hidden="true">
        {'★'.repeat(n)}
        <span class="rating-stars-off">{'☆'.repeat(MAX_RATING - n)}</span>
      </span>{' '}
      <span class="rating-stars-number">
        {n}/{MAX_RATING}
      </span>
    </span>
  );
}
