// After a finished session the customer rates it once: one to five stars and
// an optional comment (`customer.rate`, docs/sessions.md); then a thank-you.
import { useId, useRef, useState } from 'preact/hooks';
import { useI18n } from '../shared/i18n';
import { MAX_RATING, MAX_RATING_COMMENT } from '../shared/session_end';

/** Why the last rating was refused: next to the stars or the comment, or above the button. */
export interface RateError {
  text: string;
  field?: 'rating' | 'comment';
}

interface RatingFormProps {
  /** The rating given (0: none yet). */
  rating: number;
  /** The session may be rated now. */
  canRate: boolean;
  /** A rating is on its way. */
  busy: boolean;
  error?: RateError;
  onRate: (rating: number, comment: string) => void;
}

const STARS = Array.from({ length: MAX_RATING }, (_, i) => i + 1);

export function RatingForm({ rating, canRate, busy, error, onRate }: RatingFormProps) {
  const { t } = useI18n();
  const titleId = useId();
  const starsId = useId();
  const starsErrorId = useId();
  const commentId = useId();
  const commentHintId = useId();
  const commentErrorId = useId();
  const [value, setValue] = useState(0);
  const [hover, setHover] = useState(0);
  const [comment, setComment] = useState('');
  const [missing, setMissing] = useState(false);
  const stars = useRef<(HTMLButtonElement | null)[]>([]);

  if (rating > 0) {
    return (
      <section class="rating-thanks" data-testid="rating-thanks" data-rating={rating} role="status">
        <p class="rating-thanks-title">{t('portal.rate.thanks')}</p>
        <p class="rating-thanks-given">
          <span class="rating-thanks-stars" aria-hidden="true">
            {'★'.repeat(rating)}
            <span class="rating-stars-off">{'☆'.repeat(Math.max(0, MAX_RATING - rating))}</span>
          </span>{' '}
          {t('portal.rate.given', { n: rating })}
        </p>
      </section>
    );
  }
  if (!canRate) return null;

  const choose = (n: number) => {
    setValue(n);
    setMissing(false);
  };

  // Arrow keys move along the stars (and choose), Home and End go to the ends.
  const keyDown = (e: KeyboardEvent, n: number) => {
    let next: number | undefined;
    if (e.key === 'ArrowRight' || e.key === 'ArrowUp') next = Math.min(MAX_RATING, n + 1);
    else if (e.key === 'ArrowLeft' || e.key === 'ArrowDown') next = Math.max(1, n - 1);
    else if (e.key === 'Home') next = 1;
    else if (e.key === 'End') next = MAX_RATING;
    if (next === undefined) return;
    e.preventDefault();
    choose(next);
    stars.current[next - 1]?.focus();
  };

  const submit = (e: Event) => {
    e.preventDefault();
    if (busy) return;
    if (value < 1) {
      setMissing(true);
      stars.current[0]?.focus();
      return;
    }
    onRate(value, comment.trim());
  };

  const starsError = missing ? t('portal.rate.choose') : error?.field === 'rating' ? error.text : undefined;
  const commentError = error?.field === 'comment' ? error.text : undefined;
  const topError = error && error.field === undefined ? error.text : undefined;
  const shown = hover || value;

  return (
    <form class="rating-form" data-testid="rating-form" aria-labelledby={titleId} onSubmit={submit} noValidate>
      <h2 id={titleId}>{t('portal.rate.title')}</h2>
      <p class="muted">{t('portal.rate.intro')}</p>
      <div class="field">
        <span class="field-label" id={starsId}>
          {t('portal.rate.stars')}
        </span>
        <div
          class="rating-input"
          role="group"
          aria-labelledby={starsId}
          aria-describedby={starsError ? starsErrorId : undefined}
          data-value={value}
          onMouseLeave={() => setHover(0)}
        >
          {STARS.map((n) => (
            <button
              key={n}
              ref={(el) => {
                stars.current[n - 1] = el;
              }}
              type="button"
              class={n <= shown ? 'rating-star rating-star-on' : 'rating-star'}
              data-testid="rating-star"
              data-value={n}
              aria-pressed={n === value}
              aria-label={t('portal.rate.star', { n })}
              title={t('portal.rate.star', { n })}
              disabled={busy}
              onClick={() => choose(n)}
              onKeyDown={(e) => keyDown(e, n)}
              onMouseEnter={() => setHover(n)}
            >
              <span aria-hidden="true">★</span>
            </button>
          ))}
        </div>
        {starsError && (
          <p class="field-error" id={starsErrorId} data-testid="rating-error" data-field="rating">
            {starsError}
          </p>
        )}
      </div>
      <div class="field">
        <label for={commentId}>{t('portal.rate.comment')}</label>
        <textarea
          id={commentId}
          name="rating_comment"
          data-testid="rating-comment"
          rows={3}
          maxLength={MAX_RATING_COMMENT}
          aria-describedby={commentError ? `${commentHintId} ${commentErrorId}` : commentHintId}
          aria-invalid={commentError ? true : undefined}
          value={comment}
          disabled={busy}
          onInput={(e) => setComment(e.currentTarget.value)}
        />
        <p class="field-hint" id={commentHintId}>
          {t('portal.rate.commentHint')}
        </p>
        {commentError && (
          <p class="field-error" id={commentErrorId} data-testid="rating-error" data-field="comment">
            {commentError}
          </p>
        )}
      </div>
      {topError && (
        <div class="form-error" role="alert" data-testid="rating-error">
          {topError}
        </div>
      )}
      <button type="submit" class="btn btn-primary" data-testid="rating-submit" disabled={busy}>
        {busy ? t('portal.rate.sending') : t('portal.rate.submit')}
      </button>
    </form>
  );
}
