// Watching an active session live (docs/sessions.md, "Invisible monitoring"):
// a WebSocket of its own with the manager's session cookie sends
// `monitor.attach` (again after every reconnect, after the last seq seen) and
// shows the chat (private notes marked) and the customer's screen as the
// frames come. Read-only: nobody in the session sees the manager; files sent
// in the chat can be downloaded.
import { useRef, useState } from 'preact/hooks';
import { emptyChat, lineOf, shownLines, withLines, withSynced, type ChatState, type ShownLine } from '../../shared/chat';
import { ChatLines } from '../../shared/ChatLines';
import { socketErrorText } from '../../shared/errors';
import { getRequestFile, type ChatFile } from '../../shared/files';
import { useI18n } from '../../shared/i18n';
import { FrameHub } from '../../shared/screen';
import { ScreenImage } from '../../shared/ScreenImage';
import { useSocket, type ServerMessage } from '../../shared/socket';
import '../../shared/chat.css';

const MONITOR_ID = 'monitor.attach';
const notOwn = () => false;

export function LiveMonitor({ requestId, customerName }: { requestId: string; customerName: string }) {
  const { t } = useI18n();
  const [chat, setChat] = useState<ChatState>(emptyChat);
  const latest = useRef(chat);
  const hub = useRef(new FrameHub()).current;
  const [sharing, setSharing] = useState(false);
  const [error, setError] = useState<string>();

  const update = (change: (c: ChatState) => ChatState) => {
    const next = change(latest.current);
    if (next === latest.current) return;
    latest.current = next;
    setChat(next);
  };

  const forThis = (m: ServerMessage) => m.request_id === undefined || String(m.request_id) === requestId;

  const onMessage = (m: ServerMessage) => {
    switch (m.type) {
      case 'chat.line': {
        const line = lineOf(m.line);
        if (line && forThis(m)) update((c) => withLines(c, [line], notOwn));
        return;
      }
      case 'chat.synced':
        if (forThis(m)) {
          setError(undefined);
          update(withSynced);
        }
        return;
      case 'screen.state':
        if (!forThis(m)) return;
        setSharing(m.sharing === true);
        if (m.sharing !== true) hub.clear(requestId);
        return;
      case 'error':
        if (m.id === MONITOR_ID) setError(socketErrorText(t, m.error, ['sessions.live.error.', 'error.']));
        return;
      case 'chat.revoked':
        // The right to watch ended (for example: moved off the team).
        if (forThis(m)) {
          update((c) => ({ ...c, synced: false }));
          setError(t('sessions.live.revoked'));
        }
        return;
    }
  };

  const { state } = useSocket({
    enabled: true,
    onOpen: (s) => {
      update((c) => ({ ...c, synced: false }));
      s.send({ type: 'monitor.attach', request_id: requestId, after_seq: latest.current.lastSeq, id: MONITOR_ID });
    },
    onMessage,
    onBinary: (data) => {
      if (hub.push(data) === requestId) setSharing(true);
    },
  });

  const fallbackName = (line: ShownLine) =>
    line.from === 'customer' ? customerName || t('chat.customer') : t('chat.technician');

  return (
    <div class="card live-monitor" data-testid="live-view-monitor" data-state={state} data-synced={chat.synced ? 'true' : 'false'}>
      <div class="card-head">
        <h2>{t('sessions.live.title')}</h2>
        <span class="muted small" data-testid="live-connection">
          {state === 'open' ? t('sessions.live.connected') : t('sessions.live.connecting')}
        </span>
      </div>
      <p class="muted small">{t('sessions.live.hint')}</p>
      {error && (
        <div class="form-error" role="alert" data-testid="live-error">
          {error}
        </div>
      )}
      <div class="columns">
        <div class="column">
          <h3>{t('screen.title')}</h3>
          {sharing ? (
            <ScreenImage
              hub={hub}
              requestId={requestId}
              testid="monitor-screen"
              alt={t('screen.viewerAlt')}
              waitingText={t('screen.waitingFrame')}
            />
          ) : (
            <p class="screen-waiting muted" data-testid="monitor-no-screen">
              {t('sessions.live.noScreen')}
            </p>
          )}
        </div>
        <div class="column">
          <h3>{t('chat.title')}</h3>
          <div class="chat-box" data-testid="monitor-chat">
            <ChatLines
              lines={shownLines(chat, { from: 'system', name: '', technician_id: 0 })}
              isOwn={notOwn}
              showName={(line) => line.from !== 'system'}
              fallbackName={fallbackName}
              empty={chat.synced ? t('chat.empty') : t('common.loading')}
              openFile={(file: ChatFile) => getRequestFile(requestId, file.id)}
            />
          </div>
        </div>
      </div>
    </div>
  );
}
