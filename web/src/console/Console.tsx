// The console proper: one WebSocket (console.hello after every welcome, the
// whole state back each time), alerts and invitations into colleagues'
// sessions on top, then three columns as tall as the window: the request list
// (narrow) on the left, the chosen request's conversation in the middle, its
// details and the connection codes on the right. The chats are resumed after every
// console.state (so after every reconnect).
import { useEffect, useRef, useState } from 'preact/hooks';
import { socketErrorText } from '../shared/errors';
import { FrameHub } from '../shared/screen';
import { useI18n } from '../shared/i18n';
import {
  useSocket,
  type Ack,
  type ClientMessage,
  type ReconnectingSocket,
  type ServerMessage,
} from '../shared/socket';
import { isOwner, logout, type Alert, type ConsoleState, type Invite, type SupportRequest, type User } from './api';
import { AlertBar } from './AlertBar';
import { hasChat, isMyActive, useConsoleChats } from './chats';
import { ClockOffset } from './clock';
import { CodesPanel } from './CodesPanel';
import { ConsoleHeader } from './ConsoleHeader';
import { InviteBar } from './InviteBar';
import { notifyAlert, notifyInvite } from './notifications';
import { RequestDetail } from './RequestDetail';
import { RequestList } from './RequestList';
import { remoteChange, type RemoteState } from './remote';
import { apply, fromHello, withoutAlert, withoutInvite } from './state';
import { Toasts, useToasts } from './toasts';
import { usePresent } from './usePresent';
import type { ControlEvent } from './useRemoteControl';

interface ConsoleProps {
  user: User;
  /** `expired`: the server no longer knows the session. */
  onSignedOut: (expired: boolean) => void;
}

/**
 * Runs a command; resolves with its ack, or undefined after showing why it
 * failed (as a toast, or through `onError` with the server's error when given).
 */
export type RunCommand = (
  command: ClientMessage,
  options?: { onError?: (error: unknown) => void },
) => Promise<Ack | undefined>;

const ERROR_PREFIXES = ['console.error.', 'screen.error.', 'error.'];

/** Screen sharing of a request as this console knows it. */
export interface ScreenState {
  /** Asked the customer; no answer yet. */
  asked: boolean;
  sharing: boolean;
  declined: boolean;
}

export function Console({ user, onSignedOut }: ConsoleProps) {
  const { t } = useI18n();
  const [state, setState] = useState<ConsoleState>();
  // Messages can arrive faster than renders: each one builds on the latest state, kept here.
  const latest = useRef<ConsoleState>();
  const update = (next: ConsoleState) => {
    latest.current = next;
    setState(next);
  };
  const [selected, setSelected] = useState<string>();
  const { toasts, show, dismiss } = useToasts();
  const socketRef = useRef<ReconnectingSocket>();
  /** console.state arrived on this connection: the server takes chat commands now. */
  const [ready, setReady] = useState(false);
  const chats = useConsoleChats((m) => socketRef.current?.send(m) ?? false);
  const hub = useRef(new FrameHub()).current;
  const [screens, setScreens] = useState<Record<string, ScreenState>>({});
  const setScreen = (requestId: string, change: Partial<ScreenState>) =>
    setScreens((all) => {
      const before = all[requestId] ?? { asked: false, sharing: false, declined: false };
      const after = { ...before, ...change };
      if (after.asked === before.asked && after.sharing === before.sharing && after.declined === before.declined)
        return all;
      return { ...all, [requestId]: after };
    });

  /** The customer's support app per request: connected, control, computer details, my screen shown. */
  const [remotes, setRemotes] = useState<Record<string, RemoteState>>({});
  const setRemote = (requestId: string, change: Partial<RemoteState>) =>
    setRemotes((all) => ({ ...all, [requestId]: { ...all[requestId], ...change } }));

  const onBinary = (data: ArrayBuffer) => {
    const requestId = hub.push(data);
    // A frame means the customer is sharing (also after a reconnect, when no screen.state came).
    if (requestId !== undefined) setScreen(requestId, { sharing: true, asked: false, declined: false });
  };

  const onMessage = (message: ServerMessage) => {
    if (message.type === 'console.state') {
      const next = fromHello(message);
      if (next) {
        update(next);
        setReady(true);
        chats.resumeAll(next.requests, next.me.id);
      }
      return;
    }
    if (message.type === 'screen.state') {
      const requestId = message.request_id === undefined ? undefined : String(message.request_id);
      if (requestId === undefined) return;
      const sharing = message.sharing === true;
      if (!sharing) hub.clear(requestId);
      // Control needs the picture: it ends with the sharing.
      if (!sharing) setRemote(requestId, { control: undefined, asked: false });
      setScreen(requestId, { sharing, asked: false, declined: !sharing && message.declined === true });
      return;
    }
    if (message.type === 'screen.presenting') present.handle(message);
    const remote = remoteChange(message, latest.current?.me.id, (requestId) => {
      const r = latest.current?.requests.find((x) => x.id === requestId);
      return r !== undefined && latest.current !== undefined && isOwner(r, latest.current.me.id);
    });
    if (remote) {
      setRemote(remote.requestId, remote.change);
      if (remote.declined) show(t('console.control.declined'), 'info', 'control-declined');
      return;
    }
    const chat = chats.handle(message);
    if (chat) {
      if (chat.error) show(chat.error.text, 'error', chat.error.code);
      return;
    }
    if (message.type === 'error') {
      const code = (message.error as { code?: unknown } | undefined)?.code;
      if (code === 'unauthenticated') onSignedOut(true);
      else {
        const text = socketErrorText(t, message.error, ERROR_PREFIXES);
        show(text, 'error', typeof code === 'string' ? code : undefined);
      }
      return;
    }
    const current = latest.current;
    if (!current) return;
    const result = apply(current, message);
    if (!result) return;
    update(result.state);
    if (message.type === 'request.updated') {
      const changed = result.state.requests.find((r) => r.id === String((message.request as SupportRequest)?.id));
      // A request of mine just became active: its chat is followed from now on.
      if (changed && isMyActive(changed, result.state.me.id)) chats.open(changed.id);
    }
    if (result.alert) notifyAlert(t, result.alert);
    if (result.withdrawn?.reason === 'taken') show(t('console.alert.taken'), 'info', 'taken');
    else if (result.withdrawn?.reason === 'cancelled') show(t('console.alert.cancelled'), 'info', 'cancelled');
    if (result.invite) notifyInvite(t, result.invite);
    // Accepted or declined here needs no news; taken by a colleague or ended does.
    if (result.forcedOffline) show(t('console.forcedOffline'), 'info', 'forced-offline');
    if (result.inviteWithdrawn?.reason === 'taken') show(t('console.invite.taken'), 'info', 'invite-taken');
    else if (result.inviteWithdrawn?.reason === 'ended') show(t('console.invite.ended'), 'info', 'invite-ended');
  };

  const { socket, state: connection, clockOffset } = useSocket({
    enabled: true,
    measureClock: true,
    onOpen: (s) => {
      setReady(false);
      chats.lost();
      s.send({ type: 'console.hello' });
    },
    onMessage,
    onBinary,
  });
  socketRef.current = socket;
  const present = usePresent(() => socketRef.current, connection);
  const sendControl = (requestId: string, events: ControlEvent[]) =>
    socket.send({ type: 'control.input', request_id: requestId, events });

  // Lines in flight on a dropped connection are never acknowledged.
  useEffect(() => {
    if (connection === 'open') return;
    setReady(false);
    chats.lost();
  }, [connection]);

  const run: RunCommand = async (command, options) => {
    try {
      return await socket.command(command);
    } catch (error) {
      if (options?.onError) {
        options.onError(error);
        return undefined;
      }
      const code = (error as { code?: unknown }).code;
      show(socketErrorText(t, error, ERROR_PREFIXES), 'error', typeof code === 'string' ? code : undefined);
      return undefined;
    }
  };

  const accept = async (alert: Alert) => {
    const ack = await run({ type: 'request.accept', request_id: alert.request_id });
    if (!ack) return;
    if (latest.current) update(withoutAlert(latest.current, alert.request_id));
    setSelected(alert.request_id);
    show(t('console.alert.accepted', { name: alert.customer_name || alert.request_id }), 'ok');
  };

  const decline = async (alert: Alert) => {
    const ack = await run({ type: 'request.decline', request_id: alert.request_id });
    if (ack && latest.current) update(withoutAlert(latest.current, alert.request_id));
  };

  const acceptInvite = async (invite: Invite) => {
    const ack = await run({ type: 'invite.accept', request_id: invite.request_id, invite_id: invite.invite_id });
    if (!ack) return;
    if (latest.current) update(withoutInvite(latest.current, invite));
    setSelected(invite.request_id);
    show(t('console.invite.accepted', { name: invite.customer_name || invite.request_id }), 'ok');
  };

  const declineInvite = async (invite: Invite) => {
    const ack = await run({ type: 'invite.decline', request_id: invite.request_id, invite_id: invite.invite_id });
    if (ack && latest.current) update(withoutInvite(latest.current, invite));
  };

  const signOut = async () => {
    try {
      await logout();
    } catch {
      // The session is forgotten on this side either way.
    }
    onSignedOut(false);
  };

  const request = state?.requests.find((r) => r.id === selected);
  const selectedChat = request ? chats.get(request.id) : undefined;

  // The chosen request's chat is loaded when it has one, and what it shows counts as read.
  useEffect(() => {
    if (request && hasChat(request) && ready) chats.open(request.id);
  }, [request?.id, request?.status, ready]);
  useEffect(() => {
    if (request) chats.markRead(request.id);
  }, [request?.id, selectedChat?.lastSeq]);

  return (
    <ClockOffset.Provider value={clockOffset}>
      <div class="console" data-testid="console">
        <ConsoleHeader user={user} me={state?.me} connection={connection} run={run} onLogout={signOut} />
        {!state ? (
          <p class="loading" role="status" data-testid="loading">
            {t('console.connecting')}
          </p>
        ) : (
          <>
            <AlertBar alerts={state.alerts} onAccept={accept} onDecline={decline} />
            <InviteBar invites={state.invites} onAccept={acceptInvite} onDecline={declineInvite} />
            <div class="console-main" data-testid="console-main">
              <section class="console-list" data-testid="console-list" aria-label={t('console.requests')}>
                <RequestList
                  requests={state.requests}
                  meId={state.me.id}
                  selected={selected}
                  onSelect={setSelected}
                  unread={chats.unread}
                />
              </section>
              <RequestDetail
                request={request}
                state={state}
                run={run}
                onDone={(text, code) => show(text, 'ok', code)}
                onError={(text) => show(text, 'error')}
                chat={selectedChat}
                chats={chats}
                offline={connection !== 'open'}
                screen={request ? screens[request.id] : undefined}
                frames={hub}
                onScreen={(change) => request && setScreen(request.id, change)}
                remote={request ? remotes[request.id] : undefined}
                onRemote={(change) => request && setRemote(request.id, change)}
                sendControl={(events) => request && sendControl(request.id, events)}
                present={present}
                codes={<CodesPanel portals={state.portals} codes={state.codes} run={run} />}
              />
            </div>
          </>
        )}
        <Toasts toasts={toasts} onDismiss={dismiss} />
      </div>
    </ClockOffset.Provider>
  );
}
