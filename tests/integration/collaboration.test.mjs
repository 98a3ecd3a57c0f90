// Colleagues in a session against the real binary (docs/sessions.md,
// "Collaboration"): invitations by name and to anyone on the portal, hidden
// and view-only colleagues, and the hand-over when the technician leaves.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sleep, startNode } from '../harness/node.mjs';
import { customerFields, openConsole, openCustomer } from '../harness/intake.mjs';

let node;
const sockets = [];
before(async () => {
  node = await startNode({ args: ['--node.demo', '--intake.per-address-per-min=0'] });
});
after(async () => {
  for (const c of sockets) c.ws?.terminate();
  await node?.stop();
});

const lines = (client, id) =>
  client.messages.filter((m) => m.type === 'chat.line' && m.request_id === id).map((m) => m.line);

test('invite, hidden view-only colleague, anyone with full rights, hand-over', async () => {
  const anna = await openConsole(node, 'anna@demo.openassist.example');
  const ben = await openConsole(node, 'ben@demo.openassist.example');
  const carla = await openConsole(node, 'carla@demo.openassist.example');
  sockets.push(anna, ben, carla);
  const cust = await openCustomer(node, 'demo', 'help', { fields: customerFields('Team Work') });
  sockets.push(cust);
  const id = cust.request.request_id;
  await anna.waitFor((m) => m.type === 'alert' && m.alert.request_id === id);
  assert.equal((await anna.command('request.accept', { request_id: id })).type, 'ack');
  assert.equal((await anna.command('request.join', { request_id: id })).type, 'ack');
  await cust.command('chat.resume', { after_seq: 0 });
  await anna.command('chat.resume', { request_id: id, after_seq: 0 });
  await cust.command('chat.send', { text: 'my printer', client_id: 'c1' });

  const benId = ben.state.me.id;
  const inv = await anna.command('request.invite', { request_id: id, technician_id: benId, hidden: true, rights: 'view' });
  assert.equal(inv.type, 'ack', JSON.stringify(inv));
  const got = await ben.waitFor((m) => m.type === 'invite' && m.invite.request_id === id);
  assert.equal(got.invite.from, 'Anna Berger');
  assert.equal(got.invite.hidden, true);
  assert.equal(got.invite.rights, 'view');
  assert.ok(!carla.messages.some((m) => m.type === 'invite'), 'only Ben is invited');
  const notForCarla = await carla.command('invite.accept', { request_id: id, invite_id: got.invite.invite_id });
  assert.equal(notForCarla.error.code, 'not_found');
  assert.equal((await ben.command('invite.accept', { request_id: id, invite_id: got.invite.invite_id })).type, 'ack');
  await ben.waitFor((m) => m.type === 'invite.withdrawn' && m.reason === 'accepted');
  const view = await anna.waitFor((m) => m.type === 'request.updated' && m.request.id === id && m.request.collaborators.length === 1);
  assert.equal(view.request.collaborators[0].name, 'Ben Okafor');

  // Ben reads everything so far, cannot write; the customer sees nothing of him.
  assert.equal((await ben.command('chat.resume', { request_id: id, after_seq: 0 })).type, 'chat.synced');
  assert.ok(lines(ben, id).some((l) => l.text === 'my printer'));
  const joinedNote = await ben.waitFor((m) => m.type === 'chat.line' && /Ben joined the session/.test(m.line.text));
  assert.equal(joinedNote.line.private, true, 'a hidden colleague joins in a private line');
  const denied = await ben.command('chat.send', { request_id: id, text: 'hello?', client_id: 'b1' });
  assert.equal(denied.error.code, 'not_yours');
  assert.match(denied.error.message, /view only/);
  assert.equal((await ben.command('screen.request', { request_id: id })).error.code, 'not_yours');

  // Anyone on the portal with full rights: Carla accepts first.
  const any = await anna.command('request.invite', { request_id: id, anyone: true, rights: 'full' });
  assert.equal(any.type, 'ack', JSON.stringify(any));
  const carlaInv = await carla.waitFor((m) => m.type === 'invite' && m.invite.anyone);
  assert.equal((await carla.command('invite.accept', { request_id: id, invite_id: carlaInv.invite.invite_id })).type, 'ack');
  await carla.command('chat.resume', { request_id: id, after_seq: 0 });
  const visibleJoin = await cust.waitFor((m) => m.type === 'chat.line' && /Carla joined the session/.test(m.line.text));
  assert.equal(visibleJoin.line.private, false);
  const carlaLine = await carla.command('chat.send', { request_id: id, text: 'Carla here', client_id: 'k1' });
  assert.equal(carlaLine.type, 'chat.ack');
  const seen = await cust.waitFor((m) => m.type === 'chat.line' && m.line.text === 'Carla here');
  assert.match(seen.line.name, /^Carla/);

  // Anna leaves: Ben (present longest) takes over and may write now.
  const left = await anna.command('request.leave', { request_id: id });
  assert.equal(left.type, 'ack', JSON.stringify(left));
  const handed = await cust.waitFor((m) => m.type === 'chat.line' && /handed over to Ben$/.test(m.line.text));
  assert.equal(handed.line.private, false);
  await cust.waitFor((m) => m.type === 'request.state' && m.request.technician?.name === 'Ben');
  const benWrites = await ben.command('chat.send', { request_id: id, text: 'Ben now', client_id: 'b2' });
  assert.equal(benWrites.type, 'chat.ack', JSON.stringify(benWrites));
  await cust.waitFor((m) => m.type === 'chat.line' && m.line.text === 'Ben now');
  const annaAfter = await anna.command('chat.send', { request_id: id, text: 'still here?', client_id: 'a9' });
  assert.ok(annaAfter.error, 'Anna left');

  // The customer never heard of Ben before the hand-over.
  await sleep(200);
  const before = lines(cust, id).filter((l) => l.seq < handed.line.seq);
  assert.ok(!before.some((l) => /Ben/.test(l.text) || /Ben/.test(l.name)), JSON.stringify(before));
  assert.ok(!lines(cust, id).some((l) => l.private));
});

test('a hidden colleague with full rights: files and screen requests do not name them to the customer', async () => {
  const anna = await openConsole(node, 'anna@demo.openassist.example');
  const carla = await openConsole(node, 'carla@demo.openassist.example');
  sockets.push(anna, carla);
  const cust = await openCustomer(node, 'demo', 'help', { fields: customerFields('Quiet Watch') });
  sockets.push(cust);
  const id = cust.request.request_id;
  await anna.waitFor((m) => m.type === 'alert' && m.alert.request_id === id);
  await anna.command('request.accept', { request_id: id });
  await anna.command('request.join', { request_id: id });
  await cust.command('chat.resume', { after_seq: 0 });
  await anna.command('chat.resume', { request_id: id, after_seq: 0 });
  const inv = await anna.command('request.invite', { request_id: id, technician_id: carla.state.me.id, hidden: true, rights: 'full' });
  const got = await carla.waitFor((m) => m.type === 'invite' && m.invite.request_id === id);
  assert.equal((await carla.command('invite.accept', { request_id: id, invite_id: got.invite.invite_id })).type, 'ack', JSON.stringify(inv));
  await carla.command('chat.resume', { request_id: id, after_seq: 0 });

  const up = await fetch(`${node.publicUrl}/api/v1/requests/${id}/files?name=notes.txt`, {
    method: 'POST',
    headers: { Cookie: carla.session.cookie, 'X-CSRF-Token': carla.session.csrf, 'Content-Type': 'application/octet-stream' },
    body: 'internal notes\n',
  });
  assert.equal(up.status, 200);
  const sent = await up.json();
  const annaSees = await anna.waitFor((m) => m.type === 'chat.line' && m.line.file?.id === sent.file.id);
  assert.equal(annaSees.line.private, true);
  const dl = await fetch(`${node.publicUrl}/api/v1/public/portals/demo/help/requests/${id}/files/${sent.file.id}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ token: cust.request.token }),
  });
  assert.equal(dl.status, 404, 'the customer cannot fetch a hidden colleague\'s file');

  assert.equal((await carla.command('screen.request', { request_id: id })).type, 'ack');
  const asked = await cust.waitFor((m) => m.type === 'screen.requested');
  assert.equal(asked.technician, 'Anna');
  await sleep(200);
  assert.ok(!cust.messages.some((m) => JSON.stringify(m).includes('Carla')), 'nothing names Carla to the customer');
});
