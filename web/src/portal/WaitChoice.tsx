// Once nobody could answer in time (docs/intake.md, "Nobody answers"), the
// waiting customer chooses: keep waiting (the technicians are alerted again)
// or leave an e-mail address and be contacted. After leaving one, the page
// says where they will hear from us and still offers to wait here instead.
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { useI18n } from '../shared/i18n';
import type { RequestView } from './api';

/** Sends a message on the customer's socket; false when it is down. */
export type Send = (message: { type: string } & Record<string, unknown>) => boolean;

/** An answer that does not come within this long frees the buttons again. */
const ANSWER_MS = 10_000;

/** Roughly an e-mail address (the server checks it too). */
const looksLikeEmail = (value: string) => /^[^\s@<>,;"]+@[^\s@<>,;"]+\.[^\s@<>,;"]+$/.test(value);

let nextChoice = 0;

export function WaitChoice({ view, send }: { view: RequestView; send: Send }) {
  const { t } = useI18n();
  const [email, setEmail] = useState(view.contact_email || view.customer_email || '');
  const [problem, setProblem] = useState<string>();
  const [sending, setSending] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout>>();
  const titleId = useId();
  const inputId = useId();
  const problemId = useId();

  // Any new state of the request answers the choice.
  useEffect(() => {
    setSending(false);
    clearTimeout(timer.current);
  }, [view]);
  useEffect(() => () => clearTimeout(timer.current), []);

  const choose = (message: { type: string } & Record<string, unknown>) => {
    setProblem(undefined);
    if (!send({ ...message, id: `customer.choice:${++nextChoice}` })) {
      setProblem(t('portal.choice.offline'));
      return;
    }
    setSending(true);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setSending(false), ANSWER_MS);
  };

  const keepWaiting = () => choose({ type: 'customer.wait' });

  if (view.notice === 'contact') {
    return (
      <div class="wait-choice" data-testid="wait-choice" data-state="contact">
        <p class="request-state-text" data-testid="contact-confirmed">
          {t('portal.notice.contact', { email: view.contact_email ?? '' })}
        </p>
        <button
          type="button"
          class="btn btn-small"
          data-testid="choice-wait"
          disabled={sending}
          onClick={keepWaiting}
        >
          {t('portal.choice.waitInstead')}
        </button>
        {problem && (
          <p class="field-error" role="alert">
            {problem}
          </p>
        )}
      </div>
    );
  }

  const contact = (e: Event) => {
    e.preventDefault();
    const value = email.trim();
    if (!looksLikeEmail(value)) {
      setProblem(t('portal.choice.badEmail'));
      return;
    }
    choose({ type: 'customer.contact', email: value });
  };

  return (
    <div
      class="wait-choice"
      role="group"
      aria-labelledby={titleId}
      data-testid="wait-choice"
      data-state="offered"
    >
      <p class="wait-choice-title" id={titleId}>
        {t('portal.choice.title')}
      </p>
      <p class="request-state-text">{t('portal.choice.text')}</p>
      <button
        type="button"
        class="btn btn-primary btn-block"
        data-testid="choice-wait"
        disabled={sending}
        onClick={keepWaiting}
      >
        {t('portal.live.keepWaiting')}
      </button>
      <form class="wait-choice-contact" onSubmit={contact} noValidate>
        <label for={inputId}>{t('portal.choice.email')}</label>
        <div class="wait-choice-row">
          <input
            id={inputId}
            type="email"
            autocomplete="email"
            value={email}
            maxLength={200}
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? problemId : undefined}
            data-testid="choice-email"
            onInput={(e) => setEmail((e.target as HTMLInputElement).value)}
          />
          <button type="submit" class="btn" data-testid="choice-contact" disabled={sending}>
            {t('portal.choice.contact')}
          </button>
        </div>
        {problem && (
          <p class="field-error" id={problemId} role="alert" data-testid="choice-error">
            {problem}
          </p>
        )}
      </form>
    </div>
  );
}
