// Screen sharing in the layout tests and the screenshot tool: a customer page
// whose getDisplayMedia is a canvas, a customer with it in a session with a
// technician, a wait for a picture in a viewer, and boxes in the viewport.
import assert from 'node:assert/strict';
import { waitForAttribute } from './helpers.mjs';
import { act, fields, waitForStatus } from './intake_helpers.mjs';
import { consoleChat, customerChat } from './chat_helpers.mjs';

/**
 * Replaces getDisplayMedia with a 1280x720 canvas that looks like a desktop
 * (a title bar, a window, a counter that changes ten times a second). Give it
 * to `context.addInitScript` before the page loads.
 */
export function fakeScreen() {
  const fake = async () => {
    const canvas = document.createElement('canvas');
    canvas.width = 1280;
    canvas.height = 720;
    const ctx = canvas.getContext('2d');
    let n = 0;
    const draw = () => {
      n += 1;
      ctx.fillStyle = '#2d5a88';
      ctx.fillRect(0, 0, 1280, 720);
      ctx.fillStyle = '#1b1f24';
      ctx.fillRect(0, 680, 1280, 40);
      ctx.fillStyle = '#f6f8fa';
      ctx.fillRect(160, 90, 960, 520);
      ctx.fillStyle = '#d0d7de';
      ctx.fillRect(160, 90, 960, 44);
      ctx.fillStyle = '#1b1f24';
      ctx.font = '24px sans-serif';
      ctx.fillText('Printer settings', 184, 120);
      ctx.font = '40px sans-serif';
      ctx.fillText('Error 0x80070005: access denied', 200, 300);
      ctx.fillStyle = '#57606a';
      ctx.font = '28px sans-serif';
      ctx.fillText(`frame ${n}`, 200, 380);
    };
    draw();
    setInterval(draw, 100);
    window.__screenCalls = (window.__screenCalls ?? 0) + 1;
    window.__screenStream = canvas.captureStream(5);
    return window.__screenStream;
  };
  if (!navigator.mediaDevices) Object.defineProperty(navigator, 'mediaDevices', { value: {}, configurable: true });
  navigator.mediaDevices.getDisplayMedia = fake;
}

/** Waits until the <img> shows a picture (it has loaded one with a size). */
export async function waitForPicture(img, what, timeout = 20_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const width = await img.evaluate((el) => el.naturalWidth).catch(() => 0);
    if (width > 0) return;
    if (Date.now() > deadline) throw new Error(`${what}: no picture shown`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * A customer on /p/demo/help with a fake screen to share, whose request `tech`
 * accepts from the alert and joins; resolves once both chats are open to
 * {customer, id, chat (the customer's), desk (the console's)}. `viewport`
 * sizes the customer's page, `fields` adds to (or replaces) the form's values,
 * `before(customer)` runs before the form is sent.
 */
export async function joinedWithScreen(intake, tech, name, { viewport, fields: more, before } = {}) {
  const customer = await intake.customer('help', name);
  if (viewport) await customer.page.setViewportSize(viewport);
  await customer.context.addInitScript(fakeScreen);
  await customer.page.reload();
  await customer.form.waitFor();
  await before?.(customer);
  const id = await customer.submit({ ...fields(name), ...more });
  await waitForStatus(customer, 'waiting');
  await tech.alert(id).getByTestId('alert-accept').click();
  await waitForAttribute(tech.row(id), 'data-status', 'assigned');
  await act(tech, id, 'join');
  await waitForStatus(customer, 'active');
  const chat = customerChat(customer);
  const desk = consoleChat(tech, id);
  await waitForAttribute(chat, 'data-open', 'true');
  await waitForAttribute(desk, 'data-open', 'true');
  return { customer, id, chat, desk };
}

/** The element's box in the viewport ({left, top, right, bottom, width, height}). */
export function box(locator) {
  return locator.evaluate((el) => {
    const r = el.getBoundingClientRect();
    return { left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width, height: r.height };
  });
}

/** Fails unless the box lies wholly inside a viewport of this size. */
export function assertInView(b, viewport, what) {
  assert.ok(
    b.width > 0 &&
      b.height > 0 &&
      b.left >= 0 &&
      b.top >= 0 &&
      b.right <= viewport.width &&
      b.bottom <= viewport.height,
    `${what} is not wholly in the ${viewport.width}x${viewport.height} window: ${JSON.stringify(b)}`,
  );
}

/** The two boxes share some area. */
export const overlap = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
