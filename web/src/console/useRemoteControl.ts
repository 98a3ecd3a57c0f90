// The technician's mouse and keyboard on the customer's computer
// (docs/remote-control.md, "Remote control"): while this technician controls
// it, the picture's stage takes pointer moves, buttons and the wheel (as
// fractions of the customer's screen: where on the shown picture, letterbox
// and object-fit taken into account) and, once it has the focus, every key by
// KeyboardEvent.code (the console's own shortcuts do not see them). Events go
// out as control.input: moves coalesced, at most one message per animation
// frame and at most 64 events in one.
import { useEffect, useRef } from 'preact/hooks';

export type ControlEvent =
  | { t: 'move'; x: number; y: number }
  | { t: 'button'; x: number; y: number; button: number; down: boolean }
  | { t: 'wheel'; x: number; y: number; dy: number }
  | { t: 'key'; code: string; down: boolean };

export const MAX_EVENTS = 64;

/** The picture's size as sent (an <img>'s natural size, a <canvas>'s own). */
function naturalSize(el: Element): { width: number; height: number } | undefined {
  if (el instanceof HTMLImageElement) return { width: el.naturalWidth, height: el.naturalHeight };
  if (el instanceof HTMLCanvasElement) return { width: el.width, height: el.height };
  return undefined;
}

/**
 * Where a point of the viewport falls on the picture, as fractions of the
 * picture's natural size ({x, y, inside}); undefined when it has no size yet.
 * The element's borders and padding are left out, and the picture is placed
 * in its content box as its object-fit (and a centred object-position) put it.
 */
export function pointOnPicture(
  el: Element,
  clientX: number,
  clientY: number,
): { x: number; y: number; inside: boolean } | undefined {
  const natural = naturalSize(el);
  if (!natural || natural.width === 0 || natural.height === 0) return undefined;
  const rect = el.getBoundingClientRect();
  const css = getComputedStyle(el);
  const px = (v: string) => parseFloat(v) || 0;
  const left = rect.left + px(css.borderLeftWidth) + px(css.paddingLeft);
  const top = rect.top + px(css.borderTopWidth) + px(css.paddingTop);
  const width = rect.width - px(css.borderLeftWidth) - px(css.paddingLeft) - px(css.paddingRight) - px(css.borderRightWidth);
  const height = rect.height - px(css.borderTopWidth) - px(css.paddingTop) - px(css.paddingBottom) - px(css.borderBottomWidth);
  if (width <= 0 || height <= 0) return undefined;
  let shownWidth = width;
  let shownHeight = height;
  const fit = css.objectFit;
  if (fit !== 'fill' && fit !== '') {
    let scale = 1;
    if (fit === 'contain') scale = Math.min(width / natural.width, height / natural.height);
    else if (fit === 'cover') scale = Math.max(width / natural.width, height / natural.height);
    else if (fit === 'scale-down') scale = Math.min(1, width / natural.width, height / natural.height);
    shownWidth = natural.width * scale;
    shownHeight = natural.height * scale;
  }
  const x = (clientX - (left + (width - shownWidth) / 2)) / shownWidth;
  const y = (clientY - (top + (height - shownHeight) / 2)) / shownHeight;
  const inside = x >= 0 && x <= 1 && y >= 0 && y <= 1;
  const clamp = (v: number) => Math.min(1, Math.max(0, v));
  const round = (v: number) => Math.round(clamp(v) * 10000) / 10000;
  return { x: round(x), y: round(y), inside };
}

/** Wheel steps of one event (positive: down); at least one step for any movement. */
function wheelSteps(e: WheelEvent): number {
  if (e.deltaY === 0) return 0;
  const lines = e.deltaMode === WheelEvent.DOM_DELTA_LINE ? e.deltaY / 3 : e.deltaMode === WheelEvent.DOM_DELTA_PAGE ? e.deltaY * 3 : e.deltaY / 100;
  const steps = Math.round(lines);
  return steps === 0 ? Math.sign(e.deltaY) : steps;
}

/**
 * While `enabled`, the stage's pointer and keyboard go to `send` (batches of
 * events, at most one call per animation frame). Keys and buttons still held
 * when the stage loses the focus are released.
 */
export function useRemoteControl(
  el: HTMLElement | null,
  enabled: boolean,
  send: (events: ControlEvent[]) => void,
): void {
  const sendRef = useRef(send);
  sendRef.current = send;

  useEffect(() => {
    if (!enabled || !el) return;
    let queue: ControlEvent[] = [];
    let frame: number | undefined;
    const keys = new Set<string>();
    const buttons = new Map<number, { x: number; y: number }>();
    let last = { x: 0.5, y: 0.5 };

    const flush = () => {
      frame = undefined;
      if (queue.length === 0) return;
      const batch = queue.slice(0, MAX_EVENTS);
      queue = queue.slice(MAX_EVENTS);
      sendRef.current(batch);
      if (queue.length > 0) frame = requestAnimationFrame(flush);
    };
    const add = (event: ControlEvent) => {
      const previous = queue[queue.length - 1];
      if (event.t === 'move' && previous?.t === 'move') queue[queue.length - 1] = event;
      else queue.push(event);
      if (frame === undefined) frame = requestAnimationFrame(flush);
    };
    const picture = () => el.querySelector('.screen-image');
    const at = (e: MouseEvent) => {
      const p = picture();
      return p ? pointOnPicture(p, e.clientX, e.clientY) : undefined;
    };

    const move = (e: PointerEvent) => {
      const p = at(e);
      if (!p || (!p.inside && buttons.size === 0)) return;
      last = { x: p.x, y: p.y };
      add({ t: 'move', x: p.x, y: p.y });
    };
    const down = (e: PointerEvent) => {
      const p = at(e);
      if (!p?.inside) return;
      e.preventDefault();
      el.focus({ preventScroll: true });
      try {
        el.setPointerCapture(e.pointerId);
      } catch {
        // not capturable (e.g. already released): the up may come elsewhere
      }
      last = { x: p.x, y: p.y };
      buttons.set(e.button, last);
      add({ t: 'button', x: p.x, y: p.y, button: e.button, down: true });
    };
    const up = (e: PointerEvent) => {
      if (!buttons.has(e.button)) return;
      buttons.delete(e.button);
      const p = at(e) ?? last;
      add({ t: 'button', x: p.x, y: p.y, button: e.button, down: false });
    };
    const wheel = (e: WheelEvent) => {
      const p = at(e);
      if (!p?.inside) return;
      e.preventDefault();
      const dy = wheelSteps(e);
      if (dy !== 0) add({ t: 'wheel', x: p.x, y: p.y, dy });
    };
    const key = (down: boolean) => (e: KeyboardEvent) => {
      if (!e.code) return;
      e.preventDefault();
      e.stopPropagation();
      if (down) {
        if (e.repeat && keys.has(e.code)) return; // the customer's computer repeats a held key itself
        keys.add(e.code);
      } else {
        if (!keys.has(e.code)) return;
        keys.delete(e.code);
      }
      add({ t: 'key', code: e.code, down });
    };
    const keyDown = key(true);
    const keyUp = key(false);
    const release = () => {
      for (const code of keys) add({ t: 'key', code, down: false });
      keys.clear();
      for (const [button, p] of buttons) add({ t: 'button', x: p.x, y: p.y, button, down: false });
      buttons.clear();
    };
    const prevent = (e: Event) => e.preventDefault();

    el.addEventListener('pointermove', move);
    el.addEventListener('pointerdown', down);
    el.addEventListener('pointerup', up);
    el.addEventListener('pointercancel', up);
    el.addEventListener('wheel', wheel, { passive: false });
    el.addEventListener('keydown', keyDown);
    el.addEventListener('keyup', keyUp);
    el.addEventListener('blur', release);
    el.addEventListener('contextmenu', prevent);
    el.addEventListener('dragstart', prevent);
    return () => {
      el.removeEventListener('pointermove', move);
      el.removeEventListener('pointerdown', down);
      el.removeEventListener('pointerup', up);
      el.removeEventListener('pointercancel', up);
      el.removeEventListener('wheel', wheel);
      el.removeEventListener('keydown', keyDown);
      el.removeEventListener('keyup', keyUp);
      el.removeEventListener('blur', release);
      el.removeEventListener('contextmenu', prevent);
      el.removeEventListener('dragstart', prevent);
      // Control ended (the app lets go of what is held then): nothing more is sent.
      if (frame !== undefined) cancelAnimationFrame(frame);
      queue = [];
    };
  }, [enabled, el]);
}
