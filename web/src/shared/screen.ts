// Screen frames as technicians and observers receive them (docs/sessions.md,
// "Screen sharing"): binary WebSocket messages, 8 bytes big-endian request id,
// then one encoded image (JPEG or WebP). The hub keeps the newest frame of
// each request and tells the viewers of that request.

/** The request id and image of a binary frame, or undefined when it is too short. */
export function parseFrame(data: ArrayBuffer): { requestId: string; image: Blob } | undefined {
  if (data.byteLength <= 8) return undefined;
  const view = new DataView(data);
  const id = view.getUint32(0) * 2 ** 32 + view.getUint32(4);
  const bytes = new Uint8Array(data, 8);
  const webp = bytes.length > 12 && bytes[0] === 0x52 && bytes[1] === 0x49 && bytes[8] === 0x57 && bytes[9] === 0x45;
  return { requestId: String(id), image: new Blob([bytes], { type: webp ? 'image/webp' : 'image/jpeg' }) };
}

type Listener = (image: Blob | undefined) => void;

export class FrameHub {
  private readonly latest = new Map<string, Blob>();
  private readonly listeners = new Map<string, Set<Listener>>();

  /** A binary message: returns the request id it was for (undefined when unreadable). */
  push(data: ArrayBuffer): string | undefined {
    const frame = parseFrame(data);
    if (!frame) return undefined;
    this.latest.set(frame.requestId, frame.image);
    for (const l of this.listeners.get(frame.requestId) ?? []) l(frame.image);
    return frame.requestId;
  }

  /** Sharing of this request ended: its viewers show nothing any more. */
  clear(requestId: string): void {
    if (!this.latest.delete(requestId)) return;
    for (const l of this.listeners.get(requestId) ?? []) l(undefined);
  }

  has(requestId: string): boolean {
    return this.latest.has(requestId);
  }

  /** Calls `listener` with the newest frame now (if any) and with every later one; returns the unsubscribe. */
  subscribe(requestId: string, listener: Listener): () => void {
    let set = this.listeners.get(requestId);
    if (!set) {
      set = new Set();
      this.listeners.set(requestId, set);
    }
    set.add(listener);
    const now = this.latest.get(requestId);
    if (now) listener(now);
    return () => {
      set.delete(listener);
    };
  }
}
