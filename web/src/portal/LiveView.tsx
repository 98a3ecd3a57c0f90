// Follows a request live over the WebSocket: attaches after every welcome
// (so a reconnect picks up the current state), shows each request.state, and
// cancels, after asking (during a chat the button is "Leave the chat"). When the socket is down, cancelling goes over HTTP instead. Once a
// technician has joined it shows the chat; the chat is resumed after every
// attach (and when the request becomes active or ends), and when the request
// is over the socket stays until the chat's last lines are in: the session
// stores its closing line ("… closed the session") only after the request's
// new state went out, so that line can come after the resume is answered.
// A finished session the customer may rate keeps the socket until it is rated
// (`customer.rate`, answered with the new request.state). While a technician
// is with the customer it also shows who controls their mouse and keyboard,
// the technician's screen when they present it (binary messages), and the
// support app's panel (docs/remote-control.md).
import { useEffect, useId, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { ChatState } from '../shared/chat';
import { errorText, socketErrorText } from '../shared/errors';
import { useI18n, type Translate } from '../shared/i18n';
import { useSocket, type ReconnectingSocket, type ServerMessage } from '../shared/socket';
import { cancelRequest, type RequestView } from './api';
import { ChatPanel } from './ChatPanel';
import { RatingForm, type RateError } from './RatingForm';
import { RequestStatus, isOver } from './RequestStatus';
import type { StoredRequest } from './storage';
import { useCustomerChat } from './useCustomerChat';
import { ScreenConsent, ScreenShareBox } from './ScreenShare';
import { useScreenShare } from './useScreenShare';
import { PresentedScreenView } from './PresentedScreen';
import { ControlBanner, useRemoteControl } from './RemoteControl';
import { SupportApp } from './SupportApp';
import { usePresentedScreen } from './usePresentedScreen';

/** After the request ended, the chat's last lines are waited for at most this long. */
const FINAL_SYNC_MS = 10_000;
/** A rating without an answer by then failed. */
const RATE_TIMEOUT_MS = 15_000;
const RATE_ID = 'customer.rate:';

/**
 * The chat is complete: in sync and with a system line after `afterSeq` (the
 * session's closing line); or in sync and empty when nobody ever joined.
 */
const chatComplete = (chat: ChatState, afterSeq: number, everActive: boolean) =>
  chat.synced &&
  (chat.lines.some((l) => l.from === 'system' && l.seq > afterSeq) || (!everActive && chat.lines.length === 0));

interface LiveViewProps {
  account: string;
  slug: string;
  stored: StoredRequest;
  initial?: RequestView;
  onNewRequest: () => void;
  /** The request is over or unknown to the server (this browser stops resuming it). */
  onOver?: () => void;
}

function requestOf(value: unknown): RequestView | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const r = value as Partial<RequestView>;
  if (typeof r.status !== 'string') return undefined;
  return {
    id: String(r.id ?? ''),
    status: r.status,
    position: typeof r.position === 'number' ? r.position : 0,
    estimated_wait_s: typeof r.estimated_wait_s === 'number' ? r.estimated_wait_s : null,
    technician: r.technician && typeof r.technician.name === 'string' ? { name: r.technician.name } : null,
    outcome: r.outcome ?? null,
    message: typeof r.message === 'string' ? r.message : '',
    notice: typeof r.notice === 'string' ? r.notice : '',
    contact_email: typeof r.contact_email === 'string' ? r.contact_email : null,
    customer_email: typeof r.customer_email === 'string' ? r.customer_email : '',
    can_rate: r.can_rate === true,
    rating: typeof r.rating === 'number' && r.rating > 0 ? r.rating : 0,
  };
}

/** A refused rating in the customer's words, placed next to what it is about. */
function rateErrorOf(t: Translate, error: unknown): RateError {
  const { code, field } =
    typeof error === 'object' && error !== null ? (error as { code?: unknown; field?: unknown }) : {};
  if (code === 'bad_field' && field === 'rating') return { text: t('portal.rate.choose'), field: 'rating' };
  if (code === 'bad_field' && field === 'comment') return { text: t('portal.rate.commentTooLong'), field: 'comment' };
  return { text: socketErrorText(t, error, ['portal.rate.error.', 'portal.error.', 'error.']) };
}

export function LiveView({ account, slug, stored, initial, onNewRequest, onOver }: LiveViewProps) {
  const { t } = useI18n();
  const [view, setView] = useState<RequestView | undefined>(initial);
  const [gone, setGone] = useState(false);
  const [error, setError] = useState<string>();
  const [cancelling, setCancelling] = useState(false);
  /** "Cancel request" / "Leave the chat" was clicked: the page asks before it ends anything. */
  const [confirming, setConfirming] = useState(false);
  const confirmTitle = useId();
  const keepButton = useRef<HTMLButtonElement>(null);
  const over = gone || (view !== undefined && isOver(view.status));
  // The chat is done once the request is over and the resume asked then is answered.
  const [chatDone, setChatDone] = useState(false);
  const socketRef = useRef<ReconnectingSocket>();
  const chat = useCustomerChat(account, slug, stored.request_id, (m) => socketRef.current?.send(m) ?? false);
  /** A (re)attach is waiting for its first request.state, then the chat resumes. */
  const attaching = useRef(false);
  const lastStatus = useRef<string>();
  const finalResume = useRef(false);
  /** The last seq the chat had when the page learned that the request is over. */
  const overSeq = useRef(0);
  /** The page saw the request active (a session ends with a closing line then). */
  const everActive = useRef(false);
  const [joined, setJoined] = useState(false);
  /** The id of the rating on its way, if one is. */
  const rating = useRef<string>();
  const rateSeq = useRef(0);
  const rateTimer = useRef<ReturnType<typeof setTimeout>>();
  const [rateBusy, setRateBusy] = useState(false);
  const [rateError, setRateError] = useState<RateError>();
  /** A technician is with the customer. */
  const sessionActive = !gone && view?.status === 'active';
  const screen = useScreenShare(() => socketRef.current, sessionActive);
  // The technician's screen and remote control (docs/remote-control.md) belong to the active session too.
  const presented = usePresentedScreen(stored.request_id, () => socketRef.current, sessionActive);
  const control = useRemoteControl(stored.request_id, () => socketRef.current, sessionActive);

  const rateFinished = (error?: RateError) => {
    rating.current = undefined;
    clearTimeout(rateTimer.current);
    setRateBusy(false);
    setRateError(error);
  };

  useEffect(() => () => clearTimeout(rateTimer.current), []);

  const onMessage = (message: ServerMessage) => {
    // The answer to a rating: the new request.state (handled below as any other), or its error.
    if (rating.current !== undefined && message.id === rating.current) {
      if (message.type === 'error') {
        rateFinished(rateErrorOf(t, message.error));
        return;
      }
      rateFinished();
    }
    if (screen.handle(message) || presented.handle(message) || control.handle(message)) return;
    const event = chat.handle(message);
    if (event !== undefined) {
      // Done: there is no chat (the resume was refused, or nobody joined), or its closing line is in.
      if (
        finalResume.current &&
        chat.resuming() === 0 &&
        (event === 'resume-failed' || chatComplete(chat.current(), overSeq.current, everActive.current))
      )
        setChatDone(true);
      return;
    }
    if (message.type === 'request.state') {
      const next = requestOf(message.request);
      if (next && (next.id === '' || next.id === stored.request_id)) {
        setView(next);
        setError(undefined);
        if (isOver(next.status)) setCancelling(false);
        if (next.status === 'active') {
          setJoined(true);
          everActive.current = true;
        }
        // The chat opens when the technician joins; its last lines come when it ends.
        const changed = lastStatus.current !== next.status;
        lastStatus.current = next.status;
        const chatMatters = next.status === 'active' || isOver(next.status);
        if (attaching.current || (changed && chatMatters)) {
          attaching.current = false;
          if (isOver(next.status) && !finalResume.current) {
            finalResume.current = true;
            overSeq.current = chat.current().lastSeq;
          }
          chat.resume();
        }
      }
    } else if (message.type === 'error') {
      const code = (message.error as { code?: unknown } | undefined)?.code;
      if (code === 'not_found') setGone(true);
      else setError(socketErrorText(t, message.error, ['portal.error.', 'error.']));
      setCancelling(false);
    }
  };

  // Connected while the request runs, until the chat's last lines are in, and while it can be rated.
  const canRate = !gone && view?.can_rate === true;
  const { socket, state } = useSocket({
    enabled: !gone && !(over && chatDone && !canRate),
    onOpen: (s) => {
      setCancelling(false);
      chat.lost();
      attaching.current = true;
      // `account` tells the server which desk has the request.
      s.send({ type: 'customer.attach', account, request_id: stored.request_id, token: stored.token });
    },
    onMessage,
    // Binary messages: the technician's screen.
    onBinary: presented.frame,
  });
  socketRef.current = socket;

  // Pending lines cannot be acknowledged on a dropped connection; nor can a rating
  // (whether it arrived shows in the request.state after the reattach).
  useEffect(() => {
    if (state === 'open') return;
    chat.lost();
    if (rating.current !== undefined) rateFinished({ text: t('portal.rate.error.disconnected') });
  }, [state]);

  const rate = (value: number, comment: string) => {
    if (rating.current !== undefined) return;
    const id = `${RATE_ID}${++rateSeq.current}`;
    if (!socket.send({ type: 'customer.rate', id, rating: value, comment })) {
      setRateError({ text: t('portal.rate.error.disconnected') });
      return;
    }
    rating.current = id;
    setRateBusy(true);
    setRateError(undefined);
    clearTimeout(rateTimer.current);
    rateTimer.current = setTimeout(() => {
      if (rating.current === id) rateFinished({ text: t('portal.rate.error.timeout') });
    }, RATE_TIMEOUT_MS);
  };

  useEffect(() => {
    if (!over || chatDone) return;
    const timer = setTimeout(() => setChatDone(true), FINAL_SYNC_MS);
    return () => clearTimeout(timer);
  }, [over, chatDone]);

  /** A technician is with the customer: ending is leaving the chat. */
  const inChat = !gone && view?.status === 'active';

  const chatShown =
    !gone &&
    view !== undefined &&
    (view.status === 'active' ||
      (isOver(view.status) && (joined || chat.chat.lines.length > 0 || chat.chat.pending.length > 0)));

  // The safe choice takes the focus, and Escape keeps the request wherever the
  // focus is (a key pressed before the focus moved still counts). A layout
  // effect, so both hold as soon as the question is on screen.
  useLayoutEffect(() => {
    if (!confirming) return;
    keepButton.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setConfirming(false);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [confirming]);
  // Nothing left to confirm once the request is over, and this browser stops
  // resuming it in the same moment the outcome shows (a layout effect: before
  // the page can be read or closed, not after the next paint).
  useLayoutEffect(() => {
    if (over) setConfirming(false);
    if (over) onOver?.();
  }, [over]);

  const cancel = async () => {
    setConfirming(false);
    setCancelling(true);
    setError(undefined);
    if (socket.send({ type: 'customer.cancel' })) return; // the new state arrives on the socket
    try {
      const answer = await cancelRequest(account, slug, stored.request_id, stored.token);
      const next = requestOf(answer && typeof answer === 'object' && 'request' in answer ? answer.request : answer);
      if (next) setView(next);
      else setView((v) => v && { ...v, status: 'closed', outcome: 'cancelled' });
    } catch (err) {
      setError(t('portal.live.cancelFailed', { message: errorText(t, err) }));
    }
    setCancelling(false);
  };

  return (
    <section class="live" data-testid="live-view" data-request-id={stored.request_id}>
      {!over && state === 'reconnecting' && (
        <p class="conn live-conn" data-state="reconnecting" role="status" data-testid="reconnecting">
          {t('portal.live.reconnecting')}
        </p>
      )}
      {error && (
        <div class="form-error" role="alert" data-testid="live-error">
          {error}
        </div>
      )}

      {gone ? (
        <p class="portal-message" data-testid="request-gone">
          {t('portal.live.gone')}
        </p>
      ) : view ? (
        <RequestStatus view={view} send={(m) => socketRef.current?.send(m) ?? false} />
      ) : (
        <p class="loading" role="status" data-testid="loading">
          {t('portal.live.connecting')}
        </p>
      )}

      {sessionActive && <ControlBanner control={control} />}

      {sessionActive && <ScreenShareBox screen={screen} />}

      {sessionActive && <PresentedScreenView screen={presented} />}

      {chatShown && (
        <ChatPanel
          account={account}
          slug={slug}
          stored={stored}
          chat={chat}
          open={view.status === 'active'}
          offline={state !== 'open'}
          aboveInput={view.status === 'active' && <ScreenConsent screen={screen} />}
        />
      )}

      {sessionActive && <SupportApp account={account} slug={slug} stored={stored} />}

      {view !== undefined && over && !gone && (
        <RatingForm
          rating={view.rating}
          canRate={view.can_rate}
          busy={rateBusy}
          error={rateError}
          onRate={rate}
        />
      )}

      <p class="live-id muted small">{t('portal.live.requestId', { id: stored.request_id })}</p>

      <div class="live-actions">
        {over ? (
          <button type="button" class="btn btn-primary btn-block" data-testid="new-request" onClick={onNewRequest}>
            {t('portal.live.new')}
          </button>
        ) : confirming ? (
          <div
            class="confirm-end"
            role="alertdialog"
            aria-labelledby={confirmTitle}
            data-testid="cancel-confirmation"
            data-kind={inChat ? 'leave' : 'cancel'}
          >
            <p class="confirm-end-title" id={confirmTitle}>
              {t(inChat ? 'portal.live.leaveConfirm' : 'portal.live.cancelConfirm')}
            </p>
            <p class="confirm-end-text muted">
              {t(inChat ? 'portal.live.leaveConfirmText' : 'portal.live.cancelConfirmText')}
            </p>
            <div class="confirm-end-actions">
              <button
                ref={keepButton}
                type="button"
                class="btn btn-primary"
                data-testid="cancel-keep"
                onClick={() => setConfirming(false)}
              >
                {t(inChat ? 'portal.live.keepChatting' : 'portal.live.keepWaiting')}
              </button>
              <button type="button" class="btn btn-danger-ghost" data-testid="cancel-confirm" onClick={cancel}>
                {t(inChat ? 'portal.live.leave' : 'portal.live.cancel')}
              </button>
            </div>
          </div>
        ) : (
          <button
            type="button"
            class="btn btn-danger-ghost btn-block"
            data-testid="cancel-request"
            disabled={cancelling}
            onClick={() => setConfirming(true)}
          >
            {cancelling
              ? t(inChat ? 'portal.live.leaving' : 'portal.live.cancelling')
              : t(inChat ? 'portal.live.leave' : 'portal.live.cancel')}
          </button>
        )}
      </div>
    </section>
  );
}
