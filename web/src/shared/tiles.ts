// Tile frames of the support app's screen (docs/remote-control.md, "The app's
// screen"): "OAT1", the whole screen's width and height, flags (bit 0: a key
// frame, the tiles cover the whole screen), the number of tiles, then each
// tile as x, y, w, h (u16 big-endian), the length of its JPEG (u32) and the
// JPEG. Pure functions, no DOM: the recording's replay uses them too.

/** "OAT1" */
const MAGIC = [0x4f, 0x41, 0x54, 0x31];
const HEAD = 12;
const TILE_HEAD = 12;

export interface Tile {
  x: number;
  y: number;
  w: number;
  h: number;
  /** The tile's JPEG (a view into the message's bytes). */
  jpeg: Uint8Array;
}

export interface TileSet {
  width: number;
  height: number;
  /** The tiles cover the whole screen: what came before does not matter. */
  key: boolean;
  tiles: Tile[];
}

/** The bytes start with "OAT1". */
export function isTiles(bytes: Uint8Array): boolean {
  return bytes.length >= MAGIC.length && MAGIC.every((b, i) => bytes[i] === b);
}

/** The bytes are a key frame of tiles (they cover the whole screen). */
export function isKeyTiles(bytes: Uint8Array): boolean {
  return isTiles(bytes) && bytes.length >= HEAD && (bytes[9] & 1) === 1;
}

/** The tiles of a message, or undefined when it is not one or is cut short. */
export function parseTiles(bytes: Uint8Array): TileSet | undefined {
  if (!isTiles(bytes) || bytes.length < HEAD) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const width = view.getUint16(4);
  const height = view.getUint16(6);
  const flags = view.getUint16(8);
  const count = view.getUint16(10);
  if (width === 0 || height === 0) return undefined;
  const tiles: Tile[] = [];
  let at = HEAD;
  for (let i = 0; i < count; i += 1) {
    if (at + TILE_HEAD > bytes.length) return undefined;
    const x = view.getUint16(at);
    const y = view.getUint16(at + 2);
    const w = view.getUint16(at + 4);
    const h = view.getUint16(at + 6);
    const length = view.getUint32(at + 8);
    at += TILE_HEAD;
    if (at + length > bytes.length) return undefined;
    tiles.push({ x, y, w, h, jpeg: bytes.subarray(at, at + length) });
    at += length;
  }
  return { width, height, key: (flags & 1) === 1, tiles };
}
