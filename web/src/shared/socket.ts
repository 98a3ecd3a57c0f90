// One WebSocket to the node's /ws/v1 (docs/websocket.md) that keeps itself
// connected: after a drop it reconnects with backoff (1 s, 2 s, 4 s … at most
// 10 s) and, after every `welcome`, calls onOpen so the page can say who it is
// again (console.hello, customer.attach). Commands get an id and a promise for
// the server's `ack` or `error` with that id.
import { useEffect, useRef, useState } from 'preact/hooks';

/** Any message from the server: a JSON object with a `type`. */
export type ServerMessage = { type: string } & Record<string, unknown>;

/** A message to the server. */
export type ClientMessage = { type: string } & Record<string, unknown>;

/** The answer to a command: `{"type":"ack","id":X,…}`. */
export type Ack = { type: 'ack'; id: string } & Record<string, unknown>;

/**
 * `connecting`: the first connection is being made; `open`: welcomed; `reconnecting`:
 * the connection dropped and a new one is due or being made; `stopped`: closed on purpose.
 */
export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'stopped';

/** A command the server refused (`error` with the command's id), or one that got no answer. */
export class CommandError extends Error {
  override readonly name = 'CommandError';

  constructor(
    /** The server's code, or `disconnected` / `timeout` from this side. */
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const MAX_BACKOFF_MS = 10_000;

/** Delay before reconnect attempt `attempt` (0-based): 1 s, 2 s, 4 s, 8 s, then 10 s. */
export function backoffDelay(attempt: number): number {
  return Math.min(1000 * 2 ** Math.min(attempt, 10), MAX_BACKOFF_MS);
}

/**
 * ws(s)://<this host>/ws/v1, asking for batches: when messages wait for this
 * socket the node sends them in one frame, a JSON array (docs/websocket.md).
 */
export function socketUrl(path = '/ws/v1?batch=1'): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${path}`;
}

const COMMAND_TIMEOUT_MS = 15_000;
/** A quiet connection is pinged after this long… */
const IDLE_PING_MS = 25_000;
/** …and given up (then reconnected) when nothing at all arrives for this long. */
const DEAD_AFTER_MS = 40_000;
const WATCH_EVERY_MS = 5_000;

export interface SocketOptions {
  url?: string;
  /** After every `welcome`, on the first connection and every reconnection. */
  onOpen: (socket: ReconnectingSocket) => void;
  /** Every other message, except the `ack`s and `error`s that answer a command. */
  onMessage: (message: ServerMessage) => void;
  /** Binary messages (screen frames), as they come: never parsed. */
  onBinary?: (data: ArrayBuffer) => void;
  onState?: (state: ConnectionState) => void;
  /** The server's clock minus this one's, in ms, measured (with a ping) after every welcome when given. */
  onClock?: (offsetMs: number) => void;
}

const CLOCK_PING = 'clock';

interface Pending {
  resolve: (ack: Ack) => void;
  reject: (error: CommandError) => void;
  timer: ReturnType<typeof setTimeout>;
}

function isMessage(value: unknown): value is ServerMessage {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

function errorOf(message: ServerMessage): { code: string; message: string } {
  const error = message.error as { code?: unknown; message?: unknown } | undefined;
  return {
    code: typeof error?.code === 'string' ? error.code : 'unknown',
    message: typeof error?.message === 'string' ? error.message : '',
  };
}

export class ReconnectingSocket {
  private ws: WebSocket | undefined;
  private welcomed = false;
  private running = false;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private watchTimer: ReturnType<typeof setInterval> | undefined;
  private lastHeard = 0;
  private pinged = false;
  private nextId = 1;
  private readonly pending = new Map<string, Pending>();
  private current: ConnectionState = 'connecting';
  private clockPingAt = 0;
  private offset = 0;

  constructor(private readonly options: SocketOptions) {}

  get state(): ConnectionState {
    return this.current;
  }

  /** The server's clock minus this one's, in ms (0 until measured). */
  get clockOffset(): number {
    return this.offset;
  }

  /** Connects (once; later calls do nothing while it runs). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.attempt = 0;
    this.setState('connecting');
    window.addEventListener('online', this.onOnline);
    this.watchTimer = setInterval(this.watch, WATCH_EVERY_MS);
    this.connect();
  }

  /** Closes for good: no reconnect; commands still waiting fail with `disconnected`. */
  stop(): void {
    if (!this.running) return;
    this.running = false;
    window.removeEventListener('online', this.onOnline);
    clearInterval(this.watchTimer);
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const ws = this.ws;
    this.detach();
    ws?.close(1000);
    this.setState('stopped');
  }

  /** Sends when welcomed; returns whether it was sent. */
  send(message: ClientMessage): boolean {
    if (!this.ws || !this.welcomed || this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(JSON.stringify(message));
    return true;
  }

  /** Sends a binary message when welcomed; returns whether it was sent. */
  sendBinary(data: Blob | ArrayBuffer): boolean {
    if (!this.ws || !this.welcomed || this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(data);
    return true;
  }

  /** Bytes queued on the connection and not sent yet (0 without one). */
  get bufferedAmount(): number {
    return this.ws?.bufferedAmount ?? 0;
  }

  /** Sends with a fresh `id`; resolves with the `ack`, rejects with a CommandError. */
  command(message: ClientMessage): Promise<Ack> {
    const id = `c${this.nextId++}`;
    return new Promise<Ack>((resolve, reject) => {
      if (!this.send({ ...message, id })) {
        reject(new CommandError('disconnected', 'not connected'));
        return;
      }
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new CommandError('timeout', 'no answer from the server'));
      }, COMMAND_TIMEOUT_MS);
      this.pending.set(id, { resolve, reject, timer });
    });
  }

  private setState(state: ConnectionState): void {
    if (state === this.current) return;
    this.current = state;
    this.options.onState?.(state);
  }

  private connect(): void {
    this.retryTimer = undefined;
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.options.url ?? socketUrl());
    } catch {
      this.scheduleReconnect();
      return;
    }
    ws.binaryType = 'arraybuffer';
    this.ws = ws;
    this.welcomed = false;
    this.lastHeard = Date.now();
    this.pinged = false;
    ws.onmessage = (event) => {
      if (this.ws === ws) this.receive(event.data);
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.detach();
      this.scheduleReconnect();
    };
  }

  private receive(data: unknown): void {
    this.lastHeard = Date.now();
    this.pinged = false;
    if (data instanceof ArrayBuffer) {
      if (this.welcomed) this.options.onBinary?.(data);
      return;
    }
    if (typeof data !== 'string') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      return;
    }
    // A batch: the messages that waited for this socket, in order.
    for (const message of Array.isArray(parsed) ? parsed : [parsed]) {
      if (!this.ws) return; // a handler closed the socket
      this.handle(message);
    }
  }

  private handle(message: unknown): void {
    if (!isMessage(message)) return;
    if (message.type === 'welcome') {
      this.welcomed = true;
      this.attempt = 0;
      this.setState('open');
      this.options.onOpen(this);
      if (this.options.onClock) {
        this.clockPingAt = Date.now();
        this.send({ type: 'ping', id: CLOCK_PING });
      }
      return;
    }
    if (message.type === 'pong') {
      if (message.id === CLOCK_PING && typeof message.server_time_ms === 'number' && this.clockPingAt > 0) {
        const now = Date.now();
        this.offset = Math.round(message.server_time_ms - (this.clockPingAt + now) / 2);
        this.clockPingAt = 0;
        this.options.onClock?.(this.offset);
      }
      return;
    }
    const id = message.id;
    if ((message.type === 'ack' || message.type === 'error') && (typeof id === 'string' || typeof id === 'number')) {
      const waiting = this.pending.get(String(id));
      if (waiting) {
        this.pending.delete(String(id));
        clearTimeout(waiting.timer);
        if (message.type === 'ack') waiting.resolve(message as Ack);
        else {
          const { code, message: text } = errorOf(message);
          waiting.reject(new CommandError(code, text));
        }
        return;
      }
    }
    this.options.onMessage(message);
  }

  /** Forgets the current connection and fails the commands waiting on it. */
  private detach(): void {
    const ws = this.ws;
    if (ws) {
      ws.onmessage = null;
      ws.onclose = null;
    }
    this.ws = undefined;
    this.welcomed = false;
    for (const [, waiting] of this.pending) {
      clearTimeout(waiting.timer);
      waiting.reject(new CommandError('disconnected', 'the connection dropped'));
    }
    this.pending.clear();
  }

  private scheduleReconnect(): void {
    if (!this.running) return;
    this.setState('reconnecting');
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.connect(), backoffDelay(this.attempt++));
  }

  /** Back online: try now instead of waiting out the backoff. */
  private readonly onOnline = () => {
    if (!this.running || this.retryTimer === undefined) return;
    clearTimeout(this.retryTimer);
    this.connect();
  };

  /** Notices a connection that died without a close (sleeping laptop, lost network). */
  private readonly watch = () => {
    const ws = this.ws;
    if (!ws || !this.welcomed) return;
    const quiet = Date.now() - this.lastHeard;
    if (quiet >= DEAD_AFTER_MS) {
      this.detach();
      ws.close();
      this.scheduleReconnect();
    } else if (quiet >= IDLE_PING_MS && !this.pinged) {
      this.pinged = true;
      this.send({ type: 'ping' });
    }
  };
}

export interface UseSocketOptions {
  /** Connects while true; stops when it turns false or the component goes. */
  enabled: boolean;
  onOpen: (socket: ReconnectingSocket) => void;
  onMessage: (message: ServerMessage) => void;
  /** Binary messages (screen frames). */
  onBinary?: (data: ArrayBuffer) => void;
  /** Measure the server's clock (for countdowns to the server's deadlines). */
  measureClock?: boolean;
}

/** A ReconnectingSocket for a component, with its connection state and the server's clock offset. */
export function useSocket({ enabled, onOpen, onMessage, onBinary, measureClock = false }: UseSocketOptions) {
  const [state, setState] = useState<ConnectionState>('connecting');
  const [clockOffset, setClockOffset] = useState(0);
  const handlers = useRef({ onOpen, onMessage, onBinary });
  handlers.current = { onOpen, onMessage, onBinary };
  const socketRef = useRef<ReconnectingSocket>();
  if (!socketRef.current) {
    socketRef.current = new ReconnectingSocket({
      onOpen: (socket) => handlers.current.onOpen(socket),
      onMessage: (message) => handlers.current.onMessage(message),
      onBinary: (data) => handlers.current.onBinary?.(data),
      onState: setState,
      onClock: measureClock ? setClockOffset : undefined,
    });
  }
  const socket = socketRef.current;

  useEffect(() => {
    if (!enabled) return;
    socket.start();
    return () => socket.stop();
  }, [enabled]);

  return { socket, state, clockOffset };
}
