// Crash test: customer and technician chat at full speed, the node is killed
// (SIGKILL) mid-stream; after the restart every line that was acknowledged to
// its sender is in the chat exactly once, with the number it was given, and
// each sender's lines are in the order they were sent.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { sleep, startNode, tempDir } from '../harness/node.mjs';
import { Client, customerFields, openConsole, openCustomer } from '../harness/intake.mjs';

const work = tempDir('oa-chat-crash-');
const sockets = [];
after(() => {
  for (const c of sockets) c.ws?.terminate();
  rmSync(work, { recursive: true, force: true });
});

test('SIGKILL while both sides chat at full speed loses no acknowledged line', async () => {
  const dataDir = join(work, 'data');
  const args = ['--intake.per-address-per-min=0', '--gateway.ws-messages-per-s=100000'];
  let node = await startNode({ dataDir, args: [...args, '--node.demo'] });
  const anna = await openConsole(node, 'anna@demo.openassist.example');
  const cust = await openCustomer(node, 'demo', 'help', { fields: customerFields('Rapid') });
  sockets.push(anna, cust);
  const id = cust.request.request_id;
  await anna.waitFor((m) => m.type === 'alert' && m.alert.request_id === id);
  await anna.command('request.accept', { request_id: id });
  await anna.command('request.join', { request_id: id });
  await cust.waitFor((m) => m.request?.status === 'active');
  await cust.command('chat.resume', { after_seq: 0 });

  // Both pipeline lines without waiting; acks are collected as they come.
  const acked = new Map(); // text -> seq
  const errors = [];
  const collect = (client) =>
    client.ws.on('message', (data) => {
      const m = JSON.parse(data.toString());
      if (m.type === 'chat.ack') acked.set(m.client_id, m.seq);
      else if (m.type === 'error') errors.push(m.error.code);
    });
  collect(cust);
  collect(anna);
  const N = 3000;
  let sent = 0;
  const pump = async () => {
    for (let i = 0; i < N; i++) {
      cust.send({ type: 'chat.send', text: `c-${i}`, client_id: `c-${i}` });
      anna.send({ type: 'chat.send', request_id: id, text: `t-${i}`, client_id: `t-${i}` });
      sent += 2;
      if (i % 50 === 49) await sleep(2); // let the acks flow back while we send
    }
  };
  const pumping = pump();
  while (acked.size < 400) await sleep(5);
  await node.kill();
  await pumping.catch(() => {});
  const ackedAtKill = new Map(acked);
  assert.ok(ackedAtKill.size >= 400, `acknowledged before the kill: ${ackedAtKill.size} of ${sent} sent`);
  assert.deepEqual(errors, [], 'no line was refused before the kill');

  node = await startNode({ dataDir, args });
  try {
    const back = new Client(node.wsUrl);
    sockets.push(back);
    await back.open();
    const st = await back.command('customer.attach', { account: 'demo', request_id: id, token: cust.request.token });
    assert.equal(st.request.status, 'active', JSON.stringify(st));
    const synced = await back.command('chat.resume', { after_seq: 0 });
    assert.equal(synced.type, 'chat.synced');
    const got = back.messages.filter((m) => m.type === 'chat.line').map((m) => m.line);
    // Numbers are 1..n without gaps or repeats.
    assert.deepEqual(got.map((l) => l.seq), got.map((_, i) => i + 1));
    const byText = new Map();
    for (const l of got) {
      assert.ok(!byText.has(l.text) || l.from === 'system', `line ${l.text} stored twice`);
      byText.set(l.text, l.seq);
    }
    for (const [text, seq] of ackedAtKill) assert.equal(byText.get(text), seq, `acknowledged ${text} kept as ${seq}`);
    for (const prefix of ['c-', 't-']) {
      const order = got.filter((l) => l.text.startsWith(prefix)).map((l) => Number(l.text.slice(2)));
      assert.deepEqual(order, order.map((_, i) => i), `${prefix} lines in sending order, none missing in between`);
    }
    // The session goes on from there.
    const next = await back.command('chat.send', { text: 'still there?', client_id: 'after' });
    assert.equal(next.seq, got.length + 1);
  } finally {
    await node.stop();
  }
});
