// Shared by the console's support-app tests (docs/remote-control.md): Anna in
// her console in the browser; the customer and the customer's support app are
// raw WebSockets of the test. Tile frames ("OAT1") built from JPEGs a page draws.
import assert from 'node:assert/strict';
import { customerFields, openCustomer } from '../harness/intake.mjs';
import { waitForAttribute } from './helpers.mjs';
import { act } from './intake_helpers.mjs';
import { appCode, appJoin, openApp } from './app_helpers.mjs';

/** Remote control is off by default: on for Anna and for the help portal. */
export async function allowRemoteControl(intake) {
  const { techs } = await intake.directory();
  await intake.mc('PUT', `/technicians/${techs.anna}`, { features: { remote_control: true } });
  const help = (await intake.mc('GET', '/portals')).portals.find((p) => p.slug === 'help');
  await intake.mc('PUT', `/portals/${help.id}`, { features: { remote_control: true } });
}

/**
 * A raw customer on /p/demo/help whose request `tech` (a console in the
 * browser) accepts from the alert and joins; resolves to {cust, id, token,
 * detail} once the customer's chat is resumed. `sockets` collects the raw
 * WebSockets for the test to close.
 */
export async function consoleSession(intake, tech, name, sockets) {
  const cust = await openCustomer(intake.node, 'demo', 'help', { fields: customerFields(name) });
  sockets.push(cust);
  const id = String(cust.request.request_id);
  await tech.alert(id).waitFor();
  await tech.alert(id).getByTestId('alert-accept').click();
  await waitForAttribute(tech.row(id), 'data-status', 'assigned');
  const detail = await act(tech, id, 'join');
  await waitForAttribute(detail, 'data-status', 'active');
  await cust.waitFor((m) => m.request?.status === 'active');
  await cust.command('chat.resume', { after_seq: 0 });
  return { cust, id, token: cust.request.token, detail };
}

/** The customer's support app for the request: a code, the join, its WebSocket attached and resumed. */
export async function connectApp(node, id, token, sockets) {
  const code = await appCode(node, id, token);
  assert.equal(code.status, 201, `app-code: ${code.status} ${code.text}`);
  const joined = await appJoin(node, code.json.code);
  assert.equal(joined.status, 200, `join: ${joined.status} ${joined.text}`);
  return openApp(node, joined.json, sockets);
}

/** JPEGs of w x h in one colour each, drawn by a canvas in `page`: Buffers, in the order of `colors`. */
export async function solidJpegs(page, w, h, colors) {
  const all = await page.evaluate(
    async ({ w, h, colors }) => {
      const out = [];
      for (const color of colors) {
        const canvas = new OffscreenCanvas(w, h);
        const ctx = canvas.getContext('2d');
        ctx.fillStyle = color;
        ctx.fillRect(0, 0, w, h);
        const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.95 });
        out.push(Array.from(new Uint8Array(await blob.arrayBuffer())));
      }
      return out;
    },
    { w, h, colors },
  );
  return all.map((bytes) => Buffer.from(bytes));
}

/**
 * A tile message (docs/remote-control.md): "OAT1", width, height, flags (bit
 * 0 key frame), count, then per tile x, y, w, h (u16 BE), length (u32 BE), JPEG.
 */
export function tileMessage(width, height, key, tiles) {
  const head = Buffer.alloc(12);
  head.write('OAT1', 0, 'latin1');
  head.writeUInt16BE(width, 4);
  head.writeUInt16BE(height, 6);
  head.writeUInt16BE(key ? 1 : 0, 8);
  head.writeUInt16BE(tiles.length, 10);
  const parts = [head];
  for (const t of tiles) {
    const th = Buffer.alloc(12);
    th.writeUInt16BE(t.x, 0);
    th.writeUInt16BE(t.y, 2);
    th.writeUInt16BE(t.w, 4);
    th.writeUInt16BE(t.h, 6);
    th.writeUInt32BE(t.jpeg.length, 8);
    parts.push(th, t.jpeg);
  }
  return Buffer.concat(parts);
}

/** The colours of solidJpegs' '#ff0000', '#0000ff' and '#00ff00', as pixel() gives them. */
export const RED = [255, 0, 0];
export const BLUE = [0, 0, 255];
export const GREEN = [0, 255, 0];

/** The colour [r, g, b] of a canvas's pixel (in the canvas's own coordinates). */
export function pixel(canvas, x, y) {
  return canvas.evaluate(
    (el, { x, y }) => Array.from(el.getContext('2d').getImageData(x, y, 1, 1).data.slice(0, 3)),
    { x, y },
  );
}

/** Waits until the canvas's pixel is near `rgb` (each channel within 40); resolves to it. */
export async function waitForPixel(canvas, x, y, rgb, what, timeout = 10_000) {
  const deadline = Date.now() + timeout;
  let got;
  for (;;) {
    got = await pixel(canvas, x, y).catch(() => undefined);
    if (got && got.every((v, i) => Math.abs(v - rgb[i]) <= 40)) return got;
    if (Date.now() > deadline) throw new Error(`${what}: pixel (${x},${y}) is ${JSON.stringify(got)}, not near ${JSON.stringify(rgb)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
