// The technician's screen on the customer's page (docs/remote-control.md, "The
// technician's screen, to the customer"), in the browser against the real
// node with its demo account; Anna's console is a raw WebSocket of the test
// that sends small JPEGs drawn by a canvas.
//   Anna presents: the customer's page says so and shows her pictures, the
//   newest replacing the one before; the customer stops viewing (Anna is
//   told, later pictures are not shown); Anna presents again and stops
//   herself, and the viewer goes.
// Run: OA_BIN=build/test/node/openassist OA_WEB_DIR=web/dist node --test tests/browser/technician_presents.test.mjs
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { waitForText } from './helpers.mjs';
import { assertNoProblems, startIntake } from './intake_helpers.mjs';
import { activeWithAnna, frameOf, jpeg, waitForPictureWidth } from './app_helpers.mjs';

let intake;
const sockets = [];

before(async () => {
  intake = await startIntake();
});

afterEach(async () => {
  while (sockets.length > 0) sockets.pop().ws?.terminate();
  await intake?.closeAll();
});

after(async () => {
  await intake?.stop();
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

test('Anna shows the customer her screen; the customer stops viewing; Anna stops', { timeout: 120_000 }, async () => {
  const { customer, anna, id } = await activeWithAnna(intake, 'Theodora', sockets);
  const page = customer.page;
  const viewer = page.getByTestId('presented-screen');
  const image = page.getByTestId('presented-image');
  const small = await jpeg(page, 80, 60, '#c62828');
  const large = await jpeg(page, 160, 90, '#1f6feb');
  assert.equal(small[0], 0xff, 'a JPEG');
  assert.equal(await viewer.count(), 0, 'nothing shown before Anna presents');

  // Anna presents: the page says who, and waits for the first picture.
  const present = await anna.command('screen.present', { request_id: id });
  assert.equal(present.type, 'ack', `screen.present: ${JSON.stringify(present)}`);
  const own = await anna.waitFor((m) => m.type === 'screen.presenting' && m.sharing === true);
  assert.equal(String(own.request_id), id, 'technicians are told too');
  await viewer.waitFor();
  await waitForText(viewer.locator('h2'), /^Anna is showing you their screen$/);
  await page.getByTestId('presented-waiting').waitFor();

  // Her pictures: 8 bytes request id, then the JPEG; the newest replaces the last.
  anna.ws.send(frameOf(id, small), { binary: true });
  await image.waitFor();
  await waitForPictureWidth(image, 80, 'the first picture');
  assert.ok((await image.getAttribute('src')).startsWith('blob:'), 'a blob: URL');
  assert.equal(await image.getAttribute('alt'), "Anna's screen");
  anna.ws.send(frameOf(id, large), { binary: true });
  const size = await waitForPictureWidth(image, 160, 'the second picture');
  assert.deepEqual(size, { width: 160, height: 90 });
  assert.equal(await image.count(), 1, 'one picture');

  // Stop viewing: the viewer goes at once, Anna is told (sharing false).
  const from = anna.messages.length;
  await page.getByTestId('presented-stop').click();
  await viewer.waitFor({ state: 'detached' });
  const stopped = await anna.waitFor((m) => m.type === 'screen.presenting', 10_000, { fromIndex: from });
  assert.equal(stopped.sharing, false, `Anna is told: ${JSON.stringify(stopped)}`);
  // Pictures after that are not shown.
  anna.ws.send(frameOf(id, small), { binary: true });
  await sleep(500);
  assert.equal(await viewer.count(), 0, 'no viewer after stopping');

  // Anna presents again and stops herself.
  assert.equal((await anna.command('screen.present', { request_id: id })).type, 'ack');
  await viewer.waitFor();
  anna.ws.send(frameOf(id, large), { binary: true });
  await waitForPictureWidth(image, 160, 'the picture after presenting again');
  const unpresent = await anna.command('screen.unpresent', { request_id: id });
  assert.equal(unpresent.type, 'ack', `screen.unpresent: ${JSON.stringify(unpresent)}`);
  await viewer.waitFor({ state: 'detached' });

  assertNoProblems([customer]);
});
