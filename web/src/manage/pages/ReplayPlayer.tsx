// The player of a decrypted recording: the screen and the chat together on
// one timeline (docs/recording.md). At time t it shows the last frame at or
// before t and every chat line up to t (private notes marked); play, pause
// and seek. It opens at the end, showing the whole chat; playing from the end
// starts over.
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ShownLine } from '../../shared/chat';
import { ChatLines } from '../../shared/ChatLines';
import { getRequestFile, type ChatFile } from '../../shared/files';
import { useI18n } from '../../shared/i18n';
import { copyCanvas, TilesView } from '../../shared/ScreenImage';
import { TileCanvas, type ScreenFrame } from '../../shared/screen';
import { parseTiles } from '../../shared/tiles';
import { composeFrom, countUntil, formatClock, frameAt, type Replay, type ReplayFrame } from '../replay';
import '../../shared/chat.css';
import '../../shared/screen.css';

/** How often the position moves while playing (ms); it moves by the real time passed. */
const TICK_MS = 100;
const notOwn = () => false;

interface ReplayPlayerProps {
  replay: Replay;
  requestId: string;
  onClose: () => void;
}

export function ReplayPlayer({ replay, requestId, onClose }: ReplayPlayerProps) {
  const { t } = useI18n();
  const { position, playing, play, pause, seek } = usePlayback(replay.start, replay.end);
  const frame = frameAt(replay, position);
  const shown = countUntil(replay.lines, position);
  const lines = useMemo(
    () => replay.lines.slice(0, shown).map((l, i): ShownLine => ({ ...l.line, key: `r${i}` })),
    [replay, shown],
  );
  const fallbackName = (line: ShownLine) => (line.from === 'customer' ? t('chat.customer') : t('chat.technician'));
  const empty = replay.lines.length === 0 && replay.frames.length === 0;

  return (
    <div
      class="replay-player"
      data-testid="replay-player"
      data-playing={playing ? 'true' : 'false'}
      data-lines={shown}
    >
      {empty && (
        <p class="muted" data-testid="replay-empty">
          {t('recording.empty')}
        </p>
      )}
      <div class="columns">
        <div class="column">
          <h3>{t('screen.title')}</h3>
          {frame?.type === 'tiles' ? (
            <ReplayTiles frames={replay.frames} index={countUntil(replay.frames, position) - 1} alt={t('recording.screenAlt')} />
          ) : (
            <ReplayScreen frame={frame} alt={t('recording.screenAlt')} />
          )}
        </div>
        <div class="column">
          <h3>{t('chat.title')}</h3>
          <div class="chat-box" data-testid="replay-chat">
            <ChatLines
              lines={lines}
              isOwn={notOwn}
              showName={(line) => line.from !== 'system'}
              fallbackName={fallbackName}
              empty={t('chat.empty')}
              openFile={(file: ChatFile) => getRequestFile(requestId, file.id)}
            />
          </div>
        </div>
      </div>
      <ReplayControls
        start={replay.start}
        end={replay.end}
        position={position}
        playing={playing}
        onPlay={play}
        onPause={pause}
        onSeek={seek}
      />
      <div class="form-actions">
        <button type="button" class="btn" data-testid="replay-close" onClick={onClose}>
          {t('recording.close')}
        </button>
      </div>
    </div>
  );
}

/** The position on [start, end] (at the end at first) and whether it moves at real speed. */
function usePlayback(start: number, end: number) {
  const [position, setPosition] = useState(end);
  const [playing, setPlaying] = useState(false);
  const at = useRef(end);
  at.current = position;

  useEffect(() => {
    if (!playing) return;
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      const next = Math.min(end, at.current + (now - last));
      last = now;
      at.current = next;
      setPosition(next);
      if (next >= end) setPlaying(false);
    }, TICK_MS);
    return () => clearInterval(timer);
  }, [playing, end]);

  const clamp = (time: number) => Math.min(end, Math.max(start, time));
  return {
    position,
    playing,
    play: () => {
      if (at.current >= end) {
        at.current = start;
        setPosition(start);
      }
      setPlaying(end > start);
    },
    pause: () => setPlaying(false),
    seek: (time: number) => setPosition(clamp(time)),
  };
}

/**
 * The frame as an <img> from a blob: URL. A URL the image showed is revoked
 * once the next picture has loaded in its place (or the image went), and all
 * of them when the player goes.
 */
function ReplayScreen({ frame, alt }: { frame: ReplayFrame | undefined; alt: string }) {
  const { t } = useI18n();
  const [src, setSrc] = useState<string>();
  const stale = useRef<string[]>([]);
  const revokeStale = () => {
    for (const url of stale.current) URL.revokeObjectURL(url);
    stale.current = [];
  };

  useEffect(() => {
    if (!frame) {
      setSrc(undefined);
      return;
    }
    const url = URL.createObjectURL(new Blob([frame.image.slice()], { type: frame.type }));
    setSrc(url);
    return () => {
      stale.current.push(url);
    };
  }, [frame]);
  useEffect(() => {
    if (!src) revokeStale();
  }, [src]);
  useEffect(() => revokeStale, []);

  if (!frame || !src) {
    return (
      <p class="screen-waiting muted" data-testid="replay-no-frame">
        {t('recording.noFrame')}
      </p>
    );
  }
  return (
    <img
      class="screen-image"
      src={src}
      alt={alt}
      data-testid="replay-screen"
      data-time={frame.time}
      onLoad={revokeStale}
      onError={revokeStale}
    />
  );
}

/** A recorded frame as the canvas draws it. */
function screenFrame(frame: ReplayFrame): ScreenFrame | undefined {
  if (frame.type !== 'tiles') return { kind: 'image', image: new Blob([frame.image.slice()], { type: frame.type }) };
  const tiles = parseTiles(frame.image);
  return tiles && { kind: 'tiles', tiles };
}

/**
 * The support app's screen at frame `index`, which is tiles: a canvas with
 * the last key frame (or whole image) before it and every tile after it drawn
 * in order. Playing on draws only the frames added; seeking back starts again
 * from the key frame.
 */
function ReplayTiles({ frames, index, alt }: { frames: readonly ReplayFrame[]; index: number; alt: string }) {
  const view = useRef<HTMLCanvasElement>(null);
  const tiles = useRef<TileCanvas>();
  /** The last frame pushed to the canvas, and where its run started. */
  const applied = useRef({ start: -1, last: -1 });
  const copy = () => copyCanvas(tiles.current?.canvas, view.current);
  if (!tiles.current) tiles.current = new TileCanvas(copy);
  useEffect(() => () => tiles.current?.stop(), []);

  useLayoutEffect(() => {
    const canvas = tiles.current;
    if (!canvas || index < 0) return;
    const start = composeFrom(frames, index);
    const { start: was, last } = applied.current;
    const from = was === start && last <= index ? last + 1 : start;
    for (let i = from; i <= index; i += 1) {
      const frame = screenFrame(frames[i]);
      if (frame) canvas.push(frame);
    }
    applied.current = { start, last: index };
    copy();
  }, [frames, index]);

  return <TilesView canvasRef={view} alt={alt} testid="replay-screen" time={frames[index]?.time} />;
}

interface ReplayControlsProps {
  start: number;
  end: number;
  position: number;
  playing: boolean;
  onPlay: () => void;
  onPause: () => void;
  onSeek: (time: number) => void;
}

function ReplayControls({ start, end, position, playing, onPlay, onPause, onSeek }: ReplayControlsProps) {
  const { t } = useI18n();
  const offset = Math.round(position - start);
  const now = formatClock(offset);
  const total = formatClock(end - start);
  return (
    <div class="replay-controls">
      <button
        type="button"
        class="btn btn-small"
        data-testid="replay-play"
        aria-pressed={playing}
        onClick={playing ? onPause : onPlay}
      >
        {playing ? t('recording.pause') : t('recording.play')}
      </button>
      <input
        type="range"
        class="replay-timeline"
        data-testid="replay-timeline"
        aria-label={t('recording.timeline')}
        aria-valuetext={t('recording.position', { now, total })}
        min={0}
        max={Math.max(0, end - start)}
        step={1}
        value={offset}
        onInput={(e) => onSeek(start + Number(e.currentTarget.value))}
      />
      <span class="replay-clock" data-testid="replay-time" data-offset-ms={offset} data-duration-ms={end - start}>
        {now} / {total}
      </span>
    </div>
  );
}
