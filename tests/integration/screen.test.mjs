// Screen sharing through the server (docs/sessions.md): the technician asks,
// the customer consents, binary frames are relayed to the technician and to
// an invisible observer, a slow viewer skips frames instead of queueing
// without bound, and either side stops it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { metric, sleep, startNode } from '../harness/node.mjs';
import { Client, DEMO_MANAGER, customerFields, login, openConsole, openCustomer } from '../harness/intake.mjs';

let node;
const sockets = [];
before(async () => {
  node = await startNode({ args: ['--node.demo', '--intake.per-address-per-min=0'] });
});
after(async () => {
  for (const c of sockets) c.ws?.terminate();
  await node?.stop();
});

function frames(client) {
  const got = [];
  client.ws.on('message', (data, isBinary) => {
    if (isBinary) got.push(Buffer.from(data));
  });
  return got;
}

test('consent, relay to technician and observer, slow viewer, stop', async () => {
  const anna = await openConsole(node, 'anna@demo.openassist.example');
  const cust = await openCustomer(node, 'demo', 'help', { fields: customerFields('Screeny') });
  sockets.push(anna, cust);
  const id = cust.request.request_id;
  await anna.waitFor((m) => m.type === 'alert' && m.alert.request_id === id);
  await anna.command('request.accept', { request_id: id });
  await anna.command('request.join', { request_id: id });
  await cust.waitFor((m) => m.request?.status === 'active');
  await cust.command('chat.resume', { after_seq: 0 });
  await anna.command('chat.resume', { request_id: id, after_seq: 0 });
  const annaFrames = frames(anna);

  assert.equal((await cust.command('screen.accept')).error.code, 'not_requested');
  const carla = await openConsole(node, 'carla@demo.openassist.example');
  sockets.push(carla);
  assert.equal((await carla.command('screen.request', { request_id: id })).error.code, 'not_yours');
  assert.equal((await anna.command('screen.request', { request_id: id })).type, 'ack');
  const asked = await cust.waitFor((m) => m.type === 'screen.requested');
  assert.equal(asked.technician, 'Anna', 'the customer is asked by the screen name');
  assert.equal((await cust.command('screen.accept')).type, 'ack');
  await anna.waitFor((m) => m.type === 'screen.state' && m.sharing === true);
  await cust.waitFor((m) => m.type === 'chat.line' && m.line.text === 'Screen sharing started');

  // An invisible observer sees the same frames.
  const boss = await login(node, 'manager', ...DEMO_MANAGER);
  const eye = new Client(node.wsUrl, { Cookie: boss.cookie });
  sockets.push(eye);
  await eye.open();
  const eyeFrames = frames(eye);
  assert.equal((await eye.command('monitor.attach', { request_id: id })).type, 'chat.synced');

  const frame = Buffer.alloc(50_000, 7);
  frame.write('JPEGDATA', 0);
  for (let i = 0; i < 5; i++) {
    cust.ws.send(frame, { binary: true });
    await sleep(20);
  }
  for (const got of [annaFrames, eyeFrames]) {
    for (let t = 0; got.length < 5 && t < 200; t++) await sleep(25);
    assert.equal(got.length, 5);
    assert.equal(got[0].readBigUInt64BE(0), BigInt(id), 'frames carry their request id');
    assert.equal(got[0].subarray(8).toString('latin1', 0, 8), 'JPEGDATA');
    assert.equal(got[0].length, frame.length + 8);
  }

  // A viewer that stops reading: frames for it are dropped, the customer is
  // asked to lower quality, and nothing grows without bound.
  anna.ws._socket.pause();
  for (let i = 0; i < 60; i++) {
    cust.ws.send(Buffer.alloc(200_000, i), { binary: true });
    await sleep(10);
  }
  await cust.waitFor((m) => m.type === 'screen.quality' && m.direction === 'down');
  assert.ok((await metric(node, 'openassist_screen_frames_dropped_total')) > 0);
  anna.ws._socket.resume();
  assert.ok((await metric(node, 'openassist_screen_bytes_relayed_total')) > 0);
  assert.equal(await metric(node, 'openassist_screen_viewers'), 2, 'the technician and the observer');

  // The customer stops; frames are no longer relayed.
  assert.equal((await cust.command('screen.stop')).type, 'ack');
  await anna.waitFor((m) => m.type === 'screen.state' && m.sharing === false, 20_000);
  await sleep(300);
  const before = eyeFrames.length;
  cust.ws.send(frame, { binary: true });
  await sleep(300);
  assert.equal(eyeFrames.length, before, 'nothing relayed after stop');
  assert.equal(await metric(node, 'openassist_screen_viewers'), 0);
  // Text messages keep their own, smaller limit.
  const big = new Client(node.wsUrl);
  sockets.push(big);
  await big.open();
  big.ws.send('x'.repeat(70_000));
  assert.equal(await big.closed, 1009);
  await anna.command('request.close', { request_id: id });
});
