// A decrypted recording as the node sends it for replay (docs/recording.md,
// "Replay"): `OAREPLAY1\n`, then records of [be32 length][kind][be64 time in
// ms][payload], the length counting kind, time and payload. Kinds: `c` a chat
// line (JSON, private notes included), `s` screen sharing started or stopped
// (`{"sharing":bool}`), `f` a screen frame (the image bytes), `e` the end.
// And the timeline a player shows from it: at time t the last frame at or
// before t and every chat line up to t. Pure functions, no DOM.
import { lineOf, type ChatLine } from '../shared/chat';
import { isKeyTiles, isTiles } from '../shared/tiles';

export const REPLAY_MAGIC = 'OAREPLAY1\n';

/** kind (1 byte) and time (8 bytes) come before the payload. */
const RECORD_HEAD = 9;

export interface ReplayRecord {
  kind: string;
  /** Milliseconds since the epoch. */
  time: number;
  /** A view into the stream's bytes. */
  payload: Uint8Array;
}

export class ReplayFormatError extends Error {
  override readonly name = 'ReplayFormatError';
}

/** The records of a replay stream, in stream order; throws ReplayFormatError when it is not one. */
export function parseReplay(bytes: Uint8Array): ReplayRecord[] {
  if (bytes.length < REPLAY_MAGIC.length) throw new ReplayFormatError('not a replay stream');
  for (let i = 0; i < REPLAY_MAGIC.length; i += 1) {
    if (bytes[i] !== REPLAY_MAGIC.charCodeAt(i)) throw new ReplayFormatError('not a replay stream');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const records: ReplayRecord[] = [];
  let at = REPLAY_MAGIC.length;
  while (at < bytes.length) {
    if (at + 4 > bytes.length) throw new ReplayFormatError(`a record's length is cut off at byte ${at}`);
    const length = view.getUint32(at);
    const end = at + 4 + length;
    if (length < RECORD_HEAD || end > bytes.length)
      throw new ReplayFormatError(`the record at byte ${at} does not fit (length ${length})`);
    records.push({
      kind: String.fromCharCode(bytes[at + 4]),
      time: Number(view.getBigUint64(at + 5)),
      payload: bytes.subarray(at + 4 + RECORD_HEAD, end),
    });
    at = end;
  }
  return records;
}

export interface ReplayFrame {
  time: number;
  image: Uint8Array;
  /**
   * `image/jpeg`, or `image/webp` for a WebP picture; `tiles` for the support
   * app's changed tiles ("OAT1", shared/tiles.ts), drawn over the frames before.
   */
  type: string;
}

export interface ReplayLine {
  /** When it was recorded (the timeline's time). */
  time: number;
  line: ChatLine;
}

/** What a player shows: frames and chat lines in time order over [start, end]. */
export interface Replay {
  start: number;
  end: number;
  frames: ReplayFrame[];
  lines: ReplayLine[];
  /** Screen sharing turned on or off. */
  sharing: { time: number; sharing: boolean }[];
  /** Why the recording ended (`closed`, `size_cap`), when it did. */
  endReason?: string;
}

const decoder = new TextDecoder();

function json(payload: Uint8Array): unknown {
  try {
    return JSON.parse(decoder.decode(payload));
  } catch {
    return undefined;
  }
}

/** The picture's type from its first bytes (RIFF….WEBP is WebP, OAT1 tiles; everything else is taken as JPEG). */
export function imageType(bytes: Uint8Array): string {
  if (isTiles(bytes)) return 'tiles';
  const webp =
    bytes.length > 12 && bytes[0] === 0x52 && bytes[1] === 0x49 && bytes[8] === 0x57 && bytes[9] === 0x45;
  return webp ? 'image/webp' : 'image/jpeg';
}

const byTime = <T extends { time: number }>(items: T[]) => items.sort((a, b) => a.time - b.time);

/** The timeline of the records: from the first record's time to the last's. Unknown kinds are skipped. */
export function replayOf(records: readonly ReplayRecord[]): Replay {
  const frames: ReplayFrame[] = [];
  const lines: ReplayLine[] = [];
  const sharing: Replay['sharing'] = [];
  let endReason: string | undefined;
  let start = Infinity;
  let end = -Infinity;
  for (const r of records) {
    start = Math.min(start, r.time);
    end = Math.max(end, r.time);
    switch (r.kind) {
      case 'f':
        if (r.payload.length > 0) frames.push({ time: r.time, image: r.payload, type: imageType(r.payload) });
        break;
      case 'c': {
        const line = lineOf(json(r.payload));
        if (line) lines.push({ time: r.time, line });
        break;
      }
      case 's': {
        const value = json(r.payload) as { sharing?: unknown } | undefined;
        sharing.push({ time: r.time, sharing: value?.sharing === true });
        break;
      }
      case 'e': {
        const value = json(r.payload) as { reason?: unknown } | undefined;
        endReason = typeof value?.reason === 'string' ? value.reason : '';
        break;
      }
    }
  }
  if (start === Infinity) start = end = 0;
  return { start, end, frames: byTime(frames), lines: byTime(lines), sharing: byTime(sharing), endReason };
}

/** How many of the items (in time order) are at or before `time`. */
export function countUntil(items: readonly { time: number }[], time: number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (items[mid].time <= time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The last frame at or before `time`, if any. */
export function frameAt(replay: Replay, time: number): ReplayFrame | undefined {
  const n = countUntil(replay.frames, time);
  return n > 0 ? replay.frames[n - 1] : undefined;
}

/**
 * Where drawing the picture of frame `index` starts: the frame itself when it
 * is a whole image, else the last key frame of tiles (or whole image) before
 * it; tiles after it are drawn over it in order. Tiles before any key frame
 * start at the first frame.
 */
export function composeFrom(frames: readonly ReplayFrame[], index: number): number {
  for (let i = index; i >= 0; i -= 1) {
    if (frames[i].type !== 'tiles' || isKeyTiles(frames[i].image)) return i;
  }
  return 0;
}

/** The chat lines recorded up to `time`. */
export function linesUntil(replay: Replay, time: number): ChatLine[] {
  return replay.lines.slice(0, countUntil(replay.lines, time)).map((l) => l.line);
}

/** A span as the player shows it: "mm:ss" (minutes go past 59). */
export function formatClock(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  return `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;
}
