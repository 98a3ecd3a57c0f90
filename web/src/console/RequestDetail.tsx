// Everything about the chosen request, in two columns of the console: in the
// middle the conversation (who and what, what the technician can do now: take
// it, give it back, join, hand it over, close it with a resolution and notes,
// invite colleagues and leave; the customer's screen; the chat, as tall as the
// window allows, its input always in view); on the side the details (how a
// closed request ended and the customer's rating, the session's colleagues,
// the customer, the request, where it came from) and the connection codes. A
// colleague in the session reads and watches (and with full rights writes)
// and may leave. The wrapping <section> takes no room of its own (display:
// contents): its two parts are columns of the console's grid.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { ChatState } from '../shared/chat';
import { DiagnosticsView } from '../shared/Diagnostics';
import { formatDateTime } from '../shared/format';
import { useI18n, type MessageKey } from '../shared/i18n';
import { RatingStars, resolutionText } from '../shared/session_end';
import { collaboratorOf, hasTechnician, isOpen, sameId, type ConsoleState, type SupportRequest } from './api';
import { hasChat, type ConsoleChats } from './chats';
import { CloseForm } from './CloseForm';
import { Collaborators, InviteForm, LeaveConfirm } from './Collaboration';
import type { RunCommand } from './Console';
import { label, statusLabel, typeClass, typeLabel } from './labels';
import { Presence } from './Presence';
import { RequestChat } from './RequestChat';
import type { FrameHub } from '../shared/screen';
import type { ScreenState } from './Console';
import type { RemoteState } from './remote';
import { ScreenPanel } from './ScreenPanel';
import type { Present } from './usePresent';
import type { ControlEvent } from './useRemoteControl';
import { TransferForm } from './TransferForm';

interface RequestDetailProps {
  request?: SupportRequest;
  state: ConsoleState;
  run: RunCommand;
  /** A confirmation for the toast (`code` says what it is about). */
  onDone: (text: string, code?: string) => void;
  /** A failure for the toast. */
  onError: (text: string) => void;
  chat?: ChatState;
  chats: ConsoleChats;
  offline: boolean;
  screen?: ScreenState;
  frames: FrameHub;
  onScreen: (change: Partial<ScreenState>) => void;
  /** The customer's support app: connected, control, computer details. */
  remote?: RemoteState;
  onRemote?: (change: Partial<RemoteState>) => void;
  sendControl?: (events: ControlEvent[]) => void;
  /** Showing this technician's screen to the customer. */
  present?: Present;
  /** Shown in the side column under the request (the connection codes). */
  codes?: ComponentChildren;
}

type Action = 'assign_me' | 'unassign' | 'join' | 'leave';

const actionDone: Record<Action, MessageKey> = {
  assign_me: 'console.done.assigned',
  unassign: 'console.done.unassigned',
  join: 'console.done.joined',
  leave: 'console.done.left',
};

/** The form shown under the actions: handing over, closing, inviting a colleague, leaving. */
type Panel = 'transfer' | 'close' | 'invite' | 'leave';

/** The customer's fields shown on their own; the others are listed under "Other fields". */
const NAMED_FIELDS = new Set(['name', 'email', 'company', 'problem']);

export function RequestDetail(props: RequestDetailProps) {
  const { request: r, state, codes } = props;
  const { t } = useI18n();
  // One shape whatever is chosen, so that the codes panel (and what it shows) stays.
  return (
    <section
      class={r ? `detail ${typeClass(r.portal_type)}` : 'detail detail-empty'}
      data-testid={r ? 'request-detail' : 'request-detail-empty'}
      data-request-id={r?.id}
      data-status={r?.status}
      aria-labelledby={r ? 'detail-title' : undefined}
    >
      {r ? (
        <Conversation key={r.id} {...props} request={r} />
      ) : (
        <div class="conversation conversation-empty" data-testid="conversation">
          <p class="muted">{t('console.detail.none')}</p>
        </div>
      )}
      <aside class="request-info" data-testid="request-info" aria-label={t('console.detail.info')}>
        {r && <RequestInfo request={r} state={state} remote={props.remote} />}
        {codes}
      </aside>
    </section>
  );
}

/** The middle of the console: who and what, what can be done now, the screen and the chat. */
function Conversation({
  request: r,
  state,
  run,
  onDone,
  onError,
  chat,
  chats,
  offline,
  screen,
  frames,
  onScreen,
  remote,
  onRemote,
  sendControl,
  present,
}: RequestDetailProps & { request: SupportRequest }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState<Action>();
  const [panel, setPanel] = useState<Panel>();
  const toggle = (which: Panel) => setPanel((p) => (p === which ? undefined : which));

  const open = isOpen(r);
  const mine = hasTechnician(r) && sameId(r.technician_id, state.me.id);
  const active = r.status === 'active';
  /** I am a colleague in this session (not its technician). */
  const colleague = mine ? undefined : collaboratorOf(r, state.me.id);
  const inSession = active && (mine || colleague !== undefined);
  const viewOnly = active && colleague?.rights === 'view';
  const statusKey = label(statusLabel, r.status);

  const act = async (action: Action) => {
    setBusy(action);
    const ack = await run({ type: `request.${action}`, request_id: r.id });
    setBusy(undefined);
    if (ack) onDone(t(actionDone[action], { id: r.id }), action);
  };

  const can = {
    assign: r.status === 'waiting',
    unassign: mine && (r.status === 'assigned' || r.status === 'active'),
    join: mine && r.status === 'assigned',
    transfer: open && mine,
    close: open && mine,
    invite: mine && active,
    handOver: mine && active,
    leave: active && colleague !== undefined,
  };

  return (
    <div class="conversation" data-testid="conversation">
      <div class="conversation-top">
        <header class="detail-head">
          <h2 id="detail-title">
            {r.customer.name || t('console.anonymous')}
            <span class="muted detail-id" data-testid="detail-id">
              #{r.id}
            </span>
          </h2>
          <span class={`pill status-pill status-${r.status}`} data-testid="detail-status">
            {statusKey ? t(statusKey) : r.status}
          </span>
        </header>
        <Presence chat={chat} active={active} />
        {r.status === 'waiting' && r.contact_email && (
          <p class="detail-contact" data-testid="detail-contact">
            {t('console.contactByEmailAt', { email: r.contact_email })}
          </p>
        )}

        {r.customer.problem && (
          <p class="detail-problem pre-line" data-testid="detail-problem">
            {r.customer.problem}
          </p>
        )}

        {open && (
          <div class="detail-actions">
            {can.assign && (
              <button
                type="button"
                class="btn btn-primary btn-small"
                data-testid="action-assign-me"
                disabled={busy !== undefined}
                onClick={() => act('assign_me')}
              >
                {t('console.action.assignMe')}
              </button>
            )}
            {can.join && (
              <button
                type="button"
                class="btn btn-ok btn-small"
                data-testid="action-join"
                disabled={busy !== undefined}
                onClick={() => act('join')}
              >
                {t('console.action.join')}
              </button>
            )}
            {can.unassign && (
              <button
                type="button"
                class="btn btn-small"
                data-testid="action-unassign"
                disabled={busy !== undefined}
                onClick={() => act('unassign')}
              >
                {t('console.action.unassign')}
              </button>
            )}
            {can.transfer && (
              <button
                type="button"
                class="btn btn-small"
                data-testid="action-transfer"
                aria-expanded={panel === 'transfer'}
                disabled={busy !== undefined}
                onClick={() => toggle('transfer')}
              >
                {t('console.action.transfer')}
              </button>
            )}
            {can.close && (
              <button
                type="button"
                class="btn btn-danger-ghost btn-small"
                data-testid="action-close"
                aria-expanded={panel === 'close'}
                disabled={busy !== undefined}
                onClick={() => toggle('close')}
              >
                {t('console.action.close')}
              </button>
            )}
            {can.invite && (
              <button
                type="button"
                class="btn btn-small"
                data-testid="action-invite"
                aria-expanded={panel === 'invite'}
                disabled={busy !== undefined}
                onClick={() => toggle('invite')}
              >
                {t('console.action.invite')}
              </button>
            )}
            {can.handOver && (
              <button
                type="button"
                class="btn btn-small"
                data-testid="action-leave"
                data-role="owner"
                aria-expanded={panel === 'leave'}
                disabled={busy !== undefined}
                onClick={() => toggle('leave')}
              >
                {t('console.action.handOver')}
              </button>
            )}
            {can.leave && (
              <button
                type="button"
                class="btn btn-small"
                data-testid="action-leave"
                data-role="colleague"
                disabled={busy !== undefined}
                onClick={() => act('leave')}
              >
                {t('console.action.leave')}
              </button>
            )}
          </div>
        )}

        {panel === 'transfer' && can.transfer && (
          <TransferForm
            request={r}
            state={state}
            run={run}
            onCancel={() => setPanel(undefined)}
            onDone={() => {
              setPanel(undefined);
              onDone(t('console.done.transferred', { id: r.id }), 'transferred');
            }}
          />
        )}

        {panel === 'close' && can.close && (
          <CloseForm
            request={r}
            run={run}
            onCancel={() => setPanel(undefined)}
            onDone={() => {
              setPanel(undefined);
              onDone(t('console.done.closed', { id: r.id }), 'closed');
            }}
          />
        )}

        {panel === 'invite' && can.invite && (
          <InviteForm
            request={r}
            state={state}
            run={run}
            onCancel={() => setPanel(undefined)}
            onDone={() => {
              setPanel(undefined);
              onDone(t('console.done.invited'), 'invited');
            }}
          />
        )}

        {panel === 'leave' && can.handOver && (
          <LeaveConfirm
            request={r}
            run={run}
            onCancel={() => setPanel(undefined)}
            onDone={(to) => {
              setPanel(undefined);
              onDone(
                to === undefined
                  ? t('console.done.requeued', { id: r.id })
                  : t('console.done.handedOver', { id: r.id, name: to }),
                'left',
              );
            }}
          />
        )}
      </div>

      {inSession && (
        <ScreenPanel
          viewOnly={viewOnly}
          requestId={r.id}
          screen={screen}
          frames={frames}
          run={run}
          onScreen={onScreen}
          offline={offline}
          owner={mine}
          remote={remote}
          onRemote={onRemote}
          sendControl={sendControl}
          present={present}
        />
      )}

      {hasChat(r) && (
        <RequestChat
          request={r}
          me={state.me}
          chat={chat}
          chats={chats}
          writable={inSession}
          viewOnly={viewOnly}
          hidden={active && colleague?.hidden === true}
          role={mine ? 'owner' : colleague ? 'colleague' : 'reader'}
          offline={offline}
          onError={onError}
        />
      )}
    </div>
  );
}

/** The side of the console: how a closed request ended, the session's colleagues, the customer, the request, where it came from. */
function RequestInfo({
  request: r,
  state,
  remote,
}: {
  request: SupportRequest;
  state: ConsoleState;
  remote?: RemoteState;
}) {
  const { t, lang } = useI18n();
  const open = isOpen(r);
  const typeKey = label(typeLabel, r.portal_type);
  const otherFields = Object.entries(r.customer.fields ?? {}).filter(
    ([key, value]) => !NAMED_FIELDS.has(key) && value !== '',
  );

  const row = (key: MessageKey, value: string | undefined, testid?: string) =>
    value ? (
      <div class="detail-row">
        <dt>{t(key)}</dt>
        <dd data-testid={testid}>{value}</dd>
      </div>
    ) : null;

  return (
    <div class="detail-info">
      {!open && (r.resolution || r.notes || r.rating > 0 || r.comment) && (
        <>
          <h3>{t('console.detail.end')}</h3>
          <dl class="detail-list" data-testid="detail-end">
            {row('console.detail.resolution', resolutionText(t, r.resolution), 'detail-resolution')}
            {r.notes && (
              <div class="detail-row">
                <dt>{t('console.detail.notes')}</dt>
                <dd class="pre-line" data-testid="detail-notes">
                  {r.notes}
                </dd>
              </div>
            )}
            {r.rating > 0 && (
              <div class="detail-row">
                <dt>{t('console.detail.rating')}</dt>
                <dd data-testid="detail-rating" data-rating={r.rating}>
                  <RatingStars rating={r.rating} />
                </dd>
              </div>
            )}
            {r.comment && (
              <div class="detail-row">
                <dt>{t('console.detail.comment')}</dt>
                <dd class="pre-line" data-testid="detail-comment">
                  {r.comment}
                </dd>
              </div>
            )}
          </dl>
        </>
      )}

      {r.status === 'active' && <Collaborators request={r} state={state} />}

      {remote?.diagnostics && <DiagnosticsView diagnostics={remote.diagnostics} />}

      <h3>{t('console.detail.customer')}</h3>
      <dl class="detail-list">
        {row('console.detail.name', r.customer.name, 'detail-name')}
        {row('console.detail.email', r.customer.email, 'detail-email')}
        {row('console.detail.company', r.customer.company, 'detail-company')}
        {otherFields.map(([key, value]) => (
          <div class="detail-row" key={key}>
            <dt>{key}</dt>
            <dd data-testid="detail-field" data-field={key}>
              {value}
            </dd>
          </div>
        ))}
        {row('console.detail.skills', r.skills.join(', '), 'detail-skills')}
      </dl>

      <h3>{t('console.detail.request')}</h3>
      <dl class="detail-list">
        <div class="detail-row">
          <dt>{t('console.detail.portal')}</dt>
          <dd data-testid="detail-portal">
            <span class="ptype-dot" aria-hidden="true" />
            {r.portal_name} <span class="muted">({typeKey ? t(typeKey) : r.portal_type})</span>
          </dd>
        </div>
        {row(
          'console.detail.technician',
          hasTechnician(r) ? r.technician_name || String(r.technician_id) : t('console.detail.nobody'),
          'detail-technician',
        )}
        {r.status === 'waiting' &&
          r.position > 0 &&
          row('console.detail.position', String(r.position), 'detail-position')}
        {row('console.detail.note', r.note, 'detail-note')}
        {r.outcome && row('console.detail.outcome', r.outcome, 'detail-outcome')}
        {row('console.detail.created', formatDateTime(lang, r.created_at), 'detail-created')}
        {row('console.detail.updated', formatDateTime(lang, r.updated_at), 'detail-updated')}
      </dl>

      <h3>{t('console.detail.source')}</h3>
      <dl class="detail-list" data-testid="detail-source">
        {row('console.detail.ip', r.source.ip, 'detail-ip')}
        {row('console.detail.device', deviceText(t, r.source.device), 'detail-device')}
        {row('console.detail.os', r.source.os, 'detail-os')}
        {row('console.detail.browser', r.source.browser, 'detail-browser')}
      </dl>
    </div>
  );
}

const deviceLabel: Record<string, MessageKey> = {
  desktop: 'console.device.desktop',
  mobile: 'console.device.mobile',
  tablet: 'console.device.tablet',
};

function deviceText(t: (key: MessageKey) => string, device: string): string {
  const key = deviceLabel[device];
  return key ? t(key) : device;
}
