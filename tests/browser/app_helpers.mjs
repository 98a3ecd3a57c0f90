// Shared by the support-app browser tests (docs/remote-control.md): a customer
// page in a session with Anna, whose console is a raw WebSocket of the test;
// the app's join over HTTP and its WebSocket; small JPEGs drawn in a page.
import assert from 'node:assert/strict';
import { Client, openConsole, post } from '../harness/intake.mjs';
import { waitForAttribute } from './helpers.mjs';
import { ACCOUNT, fields, waitForStatus } from './intake_helpers.mjs';
import { customerChat } from './chat_helpers.mjs';

/** The request and token the customer's page follows (from its sessionStorage). */
export function storedRequest(customer, slug = 'help') {
  return customer.page.evaluate(
    (key) => JSON.parse(sessionStorage.getItem(key)),
    `openassist.request.${ACCOUNT}/${slug}`,
  );
}

/**
 * A customer on /p/demo/help whose request Anna (a raw console WebSocket:
 * console.hello, request.accept, request.join) takes and joins; resolves once
 * the page's chat is open to {customer, anna, id, token, chat}. `sockets`
 * collects the raw WebSockets for the test to close.
 */
export async function activeWithAnna(intake, name, sockets) {
  const anna = await openConsole(intake.node, 'anna@demo.openassist.example');
  sockets.push(anna);
  const customer = await intake.customer('help', name);
  const id = await customer.submit(fields(name));
  await waitForStatus(customer, 'waiting');
  const { token } = await storedRequest(customer);
  await anna.waitFor((m) => m.type === 'alert' && String(m.alert?.request_id) === id);
  assert.equal((await anna.command('request.accept', { request_id: id })).type, 'ack', 'Anna accepts');
  assert.equal((await anna.command('request.join', { request_id: id })).type, 'ack', 'Anna joins');
  await anna.command('chat.resume', { request_id: id, after_seq: 0 });
  await waitForStatus(customer, 'active');
  const chat = customerChat(customer);
  await waitForAttribute(chat, 'data-open', 'true');
  return { customer, anna, id, token, chat };
}

/** POST /api/v1/app/join {code}: resolves to {status, json}. */
export function appJoin(node, code) {
  return post(`${node.publicUrl}/api/v1/app/join`, { code });
}

/** POST …/requests/:id/app-code {token} straight from the test: resolves to {status, json}. */
export function appCode(node, id, token, slug = 'help') {
  return post(`${node.publicUrl}/api/v1/public/portals/${ACCOUNT}/${slug}/requests/${id}/app-code`, { token });
}

/** The support app's WebSocket: attached with what the join gave (client "app") and the chat resumed. */
export async function openApp(node, joined, sockets) {
  const app = new Client(node.wsUrl);
  sockets.push(app);
  await app.open();
  const state = await app.command('customer.attach', {
    account: joined.account,
    request_id: joined.request_id,
    token: joined.token,
    client: 'app',
  });
  assert.equal(state.type, 'request.state', `the app attaches: ${JSON.stringify(state)}`);
  await app.command('chat.resume', { after_seq: 0 });
  return app;
}

/** A JPEG of w x h in one colour, drawn by a canvas in `page`, as a Buffer. */
export async function jpeg(page, w, h, color) {
  const bytes = await page.evaluate(
    async ({ w, h, color }) => {
      const canvas = document.createElement('canvas');
      canvas.width = w;
      canvas.height = h;
      const ctx = canvas.getContext('2d');
      ctx.fillStyle = color;
      ctx.fillRect(0, 0, w, h);
      const blob = await new Promise((r) => canvas.toBlob(r, 'image/jpeg', 0.8));
      return Array.from(new Uint8Array(await blob.arrayBuffer()));
    },
    { w, h, color },
  );
  return Buffer.from(bytes);
}

/** A presented screen's binary message: 8 bytes big-endian request id, then the image. */
export function frameOf(id, image) {
  const head = Buffer.alloc(8);
  head.writeBigUInt64BE(BigInt(id));
  return Buffer.concat([head, image]);
}

/** Waits until the <img> shows a picture of this width; resolves to its natural size. */
export async function waitForPictureWidth(img, width, what, timeout = 10_000) {
  const deadline = Date.now() + timeout;
  let size;
  for (;;) {
    size = await img.evaluate((el) => ({ width: el.naturalWidth, height: el.naturalHeight })).catch(() => undefined);
    if (size?.width === width) return size;
    if (Date.now() > deadline) throw new Error(`${what}: ${JSON.stringify(size)} shown, not ${width} px wide`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
