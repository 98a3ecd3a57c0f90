// Screen frames as technicians and observers receive them (docs/sessions.md,
// "Screen sharing"; docs/remote-control.md, "The app's screen"): binary
// WebSocket messages, 8 bytes big-endian request id, then either one encoded
// image (JPEG or WebP) or a set of tiles ("OAT1", shared/tiles.ts). The hub
// keeps the newest picture of each request and tells the viewers of that
// request: a whole image as it came, tiles drawn in order onto a canvas of
// the screen's size (a whole image after tiles is drawn onto it too).
import { isTiles, parseTiles, type TileSet } from './tiles';

/** The request id and image of a binary frame, or undefined when it is too short. */
export function parseFrame(data: ArrayBuffer): { requestId: string; image: Blob } | undefined {
  if (data.byteLength <= 8) return undefined;
  const view = new DataView(data);
  const id = view.getUint32(0) * 2 ** 32 + view.getUint32(4);
  const bytes = new Uint8Array(data, 8);
  const webp = bytes.length > 12 && bytes[0] === 0x52 && bytes[1] === 0x49 && bytes[8] === 0x57 && bytes[9] === 0x45;
  return { requestId: String(id), image: new Blob([bytes], { type: webp ? 'image/webp' : 'image/jpeg' }) };
}

/** What one binary message carries: a whole image or tiles. */
export type ScreenFrame = { kind: 'image'; image: Blob } | { kind: 'tiles'; tiles: TileSet };

/** The request id and frame of a binary message (whole image or tiles); undefined when unreadable. */
export function parseScreenMessage(data: ArrayBuffer): { requestId: string; frame: ScreenFrame } | undefined {
  if (data.byteLength <= 8) return undefined;
  const bytes = new Uint8Array(data, 8);
  if (isTiles(bytes)) {
    const view = new DataView(data);
    const tiles = parseTiles(bytes);
    if (!tiles) return undefined;
    return { requestId: String(view.getUint32(0) * 2 ** 32 + view.getUint32(4)), frame: { kind: 'tiles', tiles } };
  }
  const whole = parseFrame(data);
  return whole && { requestId: whole.requestId, frame: { kind: 'image', image: whole.image } };
}

/**
 * A canvas that frames are drawn onto in the order they come: all the tiles
 * of one message are decoded, then drawn in order; a whole image is drawn
 * over everything (the canvas takes its size). A key frame or a whole image
 * makes what waits before it pointless, so it is dropped.
 */
export class TileCanvas {
  readonly canvas: HTMLCanvasElement = document.createElement('canvas');
  private queue: ScreenFrame[] = [];
  private running = false;
  private stopped = false;

  /** `drawn` is called after each frame is on the canvas. */
  constructor(private readonly drawn: () => void) {}

  push(frame: ScreenFrame): void {
    if (this.stopped) return;
    if (frame.kind === 'image' || frame.tiles.key) this.queue = [];
    this.queue.push(frame);
    if (!this.running) void this.run();
  }

  /** Forgets what waits; nothing is drawn or told any more. */
  stop(): void {
    this.stopped = true;
    this.queue = [];
  }

  /** Resolves once everything pushed so far is drawn. */
  async idle(): Promise<void> {
    while (this.running) await new Promise((r) => setTimeout(r, 5));
  }

  private async run(): Promise<void> {
    this.running = true;
    try {
      for (let frame = this.queue.shift(); frame && !this.stopped; frame = this.queue.shift()) {
        const ok = await this.apply(frame).catch(() => false);
        if (ok && !this.stopped) this.drawn();
      }
    } finally {
      this.running = false;
    }
  }

  private async apply(frame: ScreenFrame): Promise<boolean> {
    const canvas = this.canvas;
    if (frame.kind === 'image') {
      const bitmap = await createImageBitmap(frame.image);
      if (this.stopped) return false;
      if (canvas.width !== bitmap.width) canvas.width = bitmap.width;
      if (canvas.height !== bitmap.height) canvas.height = bitmap.height;
      canvas.getContext('2d')?.drawImage(bitmap, 0, 0);
      bitmap.close();
      return true;
    }
    const { width, height, tiles } = frame.tiles;
    const bitmaps = await Promise.all(
      tiles.map((t) => createImageBitmap(new Blob([t.jpeg.slice()], { type: 'image/jpeg' })).catch(() => undefined)),
    );
    if (this.stopped) {
      for (const b of bitmaps) b?.close();
      return false;
    }
    if (canvas.width !== width || canvas.height !== height) {
      canvas.width = width;
      canvas.height = height;
    }
    const ctx = canvas.getContext('2d');
    tiles.forEach((t, i) => {
      const bitmap = bitmaps[i];
      if (!bitmap) return;
      ctx?.drawImage(bitmap, t.x, t.y, t.w || bitmap.width, t.h || bitmap.height);
      bitmap.close();
    });
    return true;
  }
}

/** What a viewer shows: a whole image, or the hub's canvas of tiles (to copy). */
export type ShownFrame = { kind: 'image'; image: Blob } | { kind: 'canvas'; canvas: HTMLCanvasElement };

type Listener = (image: Blob | undefined) => void;
type FrameListener = (frame: ShownFrame | undefined) => void;

export class FrameHub {
  private readonly latest = new Map<string, ShownFrame>();
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly frameListeners = new Map<string, Set<FrameListener>>();
  /** Requests whose screen comes as tiles (from the first tile message on). */
  private readonly canvases = new Map<string, TileCanvas>();

  /** A binary message: returns the request id it was for (undefined when unreadable). */
  push(data: ArrayBuffer): string | undefined {
    const parsed = parseScreenMessage(data);
    if (!parsed) return undefined;
    const { requestId, frame } = parsed;
    let tiles = this.canvases.get(requestId);
    if (frame.kind === 'tiles' && !tiles) {
      const created = new TileCanvas(() => this.tell(requestId, { kind: 'canvas', canvas: created.canvas }));
      tiles = created;
      this.canvases.set(requestId, tiles);
    }
    if (tiles) {
      tiles.push(frame);
      return requestId;
    }
    if (frame.kind === 'image') this.tell(requestId, frame);
    return requestId;
  }

  private tell(requestId: string, frame: ShownFrame): void {
    this.latest.set(requestId, frame);
    if (frame.kind === 'image') for (const l of this.listeners.get(requestId) ?? []) l(frame.image);
    for (const l of this.frameListeners.get(requestId) ?? []) l(frame);
  }

  /** Sharing of this request ended: its viewers show nothing any more. */
  clear(requestId: string): void {
    this.canvases.get(requestId)?.stop();
    this.canvases.delete(requestId);
    if (!this.latest.delete(requestId)) return;
    for (const l of this.listeners.get(requestId) ?? []) l(undefined);
    for (const l of this.frameListeners.get(requestId) ?? []) l(undefined);
  }

  has(requestId: string): boolean {
    return this.latest.has(requestId);
  }

  /**
   * Calls `listener` with the newest whole image now (if any) and with every
   * later one (tiles are not passed on: see subscribeFrames); returns the unsubscribe.
   */
  subscribe(requestId: string, listener: Listener): () => void {
    const off = add(this.listeners, requestId, listener);
    const now = this.latest.get(requestId);
    if (now?.kind === 'image') listener(now.image);
    return off;
  }

  /** Calls `listener` with what to show now (if anything) and after every change; returns the unsubscribe. */
  subscribeFrames(requestId: string, listener: FrameListener): () => void {
    const off = add(this.frameListeners, requestId, listener);
    const now = this.latest.get(requestId);
    if (now) listener(now);
    return off;
  }
}

function add<T>(map: Map<string, Set<T>>, key: string, item: T): () => void {
  let set = map.get(key);
  if (!set) {
    set = new Set();
    map.set(key, set);
  }
  set.add(item);
  return () => {
    set.delete(item);
  };
}
