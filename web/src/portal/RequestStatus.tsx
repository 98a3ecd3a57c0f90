// Where the customer's request stands: waiting (with the place in the queue
// and the estimated wait), taken, joined, or over with its outcome.
import { formatDuration } from '../shared/format';
import { useI18n, type MessageKey } from '../shared/i18n';
import type { RequestStatus as Status, RequestView } from './api';
import { WaitChoice, type Send } from './WaitChoice';

/** Over for the customer: closed, or given up (`abandoned`). */
export const isOver = (status: Status | string) => status === 'closed' || status === 'abandoned';

const statusText: Record<string, MessageKey> = {
  waiting: 'portal.status.waiting',
  assigned: 'portal.status.assigned',
  active: 'portal.status.active',
  closed: 'portal.status.closed',
  abandoned: 'portal.status.closed',
};

const outcomeText: Record<string, MessageKey> = {
  closed: 'portal.outcome.closed',
  cancelled: 'portal.outcome.cancelled',
  customer_left: 'portal.outcome.customer_left',
  no_response: 'portal.outcome.no_response',
};

/** What the waiting page says, by the server's `notice` (docs/intake.md). */
const noticeText: Record<string, MessageKey> = {
  busy: 'portal.notice.busy',
  widened: 'portal.notice.widened',
  alerted_again: 'portal.notice.alerted_again',
  no_estimate: 'portal.notice.no_estimate',
  technician_busy: 'portal.notice.technician_busy',
};

export function RequestStatus({ view, send }: { view: RequestView; send?: Send }) {
  const { t } = useI18n();
  const notice = view.notice ?? '';
  const choosing = notice === 'no_answer' || notice === 'contact';
  // The notice in the customer's language; the server's English message only for one this page does not know.
  const waitingText = noticeText[notice] ? t(noticeText[notice]) : choosing ? '' : view.message;
  const { status } = view;
  const over = isOver(status);
  // In web mode nobody queues: no place and no estimate (whatever zeros the server sends).
  const showPosition = view.position > 0;
  const showWait = view.estimated_wait_s !== null && (showPosition || view.estimated_wait_s > 0);
  const outcome = view.outcome || (status === 'abandoned' ? 'no_response' : over ? 'closed' : '');

  return (
    <div class="request-state" data-state={over ? 'closed' : status}>
      <div class="request-state-head">
        <span class="request-state-icon" aria-hidden="true" />
        <h2 data-testid="request-status" data-status={status} aria-live="polite">
          {t(statusText[status] ?? 'portal.status.waiting')}
        </h2>
      </div>

      {status === 'waiting' && (
        <>
          {showPosition || showWait ? (
            <dl class="queue-facts">
              {showPosition && (
                <div class="queue-fact">
                  <dt>{t('portal.live.position')}</dt>
                  <dd class="queue-position" data-testid="queue-position">
                    {view.position}
                  </dd>
                </div>
              )}
              {showWait && view.estimated_wait_s !== null && (
                <div class="queue-fact">
                  <dt>{t('portal.live.wait')}</dt>
                  <dd class="queue-wait" data-testid="estimated-wait" data-seconds={view.estimated_wait_s}>
                    {view.estimated_wait_s < 60
                      ? t('portal.live.waitUnderMinute')
                      : t('portal.live.waitAbout', {
                          time: formatDuration(Math.round(view.estimated_wait_s / 60) * 60),
                        })}
                  </dd>
                </div>
              )}
            </dl>
          ) : (
            !waitingText && !choosing && <p class="request-state-text">{t('portal.live.alerting')}</p>
          )}
          {waitingText && (
            <p
              class="request-state-text request-message pre-line"
              data-testid="request-message"
              data-notice={notice || undefined}
            >
              {waitingText}
            </p>
          )}
          {choosing && send && <WaitChoice view={view} send={send} />}
          {notice !== 'contact' && <p class="request-state-text muted">{t('portal.live.keepOpen')}</p>}
        </>
      )}

      {status === 'assigned' && (
        <p class="request-state-text" data-testid="technician-assigned">
          {view.technician
            ? t('portal.live.assigned', { name: view.technician.name })
            : t('portal.live.assignedNoName')}
        </p>
      )}

      {status === 'active' && (
        <p class="request-state-text technician-joined" data-testid="technician-joined">
          {t('portal.live.joined', { name: view.technician?.name ?? t('portal.live.aTechnician') })}
        </p>
      )}

      {over && (
        <div class="request-outcome" data-testid="request-outcome" data-outcome={outcome}>
          {/* The outcome says it all (the server's English message would say it twice). */}
          <p>{t(outcomeText[outcome] ?? 'portal.outcome.closed')}</p>
        </div>
      )}
    </div>
  );
}
