// The end of a session: the technician closes with a resolution and notes,
// the customer rates it once, and the portal's notification address gets the
// summary over real SMTP (aiosmtpd on loopback).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startNode } from '../harness/node.mjs';
import { startSmtp } from '../harness/smtp.mjs';
import {
  DEMO_MANAGER,
  customerFields,
  login,
  managerCall,
  openConsole,
  openCustomer,
} from '../harness/intake.mjs';

let node;
let smtp;
const sockets = [];
before(async () => {
  smtp = await startSmtp();
  node = await startNode({ args: ['--node.demo', '--intake.per-address-per-min=0', `--mail.smtp-url=${smtp.url}`] });
  const boss = await login(node, 'manager', ...DEMO_MANAGER);
  const portals = (await managerCall(node, boss, 'GET', '/portals')).json.portals;
  const help = portals.find((p) => p.slug === 'help');
  const res = await managerCall(node, boss, 'PUT', `/portals/${help.id}`, { notification_email: 'desk@demo.openassist.example' });
  assert.equal(res.status, 200, res.text);
});
after(async () => {
  for (const c of sockets) c.ws?.terminate();
  await node?.stop();
  smtp?.stop();
});

test('close with a resolution, rate once, the summary reaches the notification address', async () => {
  const anna = await openConsole(node, 'anna@demo.openassist.example');
  sockets.push(anna);
  const cust = await openCustomer(node, 'demo', 'help', { fields: customerFields('Rita Rating') });
  sockets.push(cust);
  const id = cust.request.request_id;
  await anna.waitFor((m) => m.type === 'alert' && m.alert.request_id === id, 15_000);
  await anna.command('request.accept', { request_id: id });
  assert.equal((await cust.command('customer.rate', { rating: 5 })).error.code, 'not_rateable');
  await anna.command('request.join', { request_id: id });

  const badRes = await anna.command('request.close', { request_id: id, resolution: 'maybe' });
  assert.equal(badRes.error.field, 'resolution');
  const closed = await anna.command('request.close', { request_id: id, resolution: 'resolved', notes: 'Driver reinstalled.' });
  assert.equal(closed.type, 'ack', JSON.stringify(closed));
  const view = await anna.waitFor((m) => m.type === 'request.updated' && m.request.id === id && m.request.status === 'closed');
  assert.equal(view.request.resolution, 'resolved');
  assert.equal(view.request.notes, 'Driver reinstalled.');

  const st = await cust.waitFor((m) => m.request?.status === 'closed');
  assert.equal(st.request.can_rate, true);
  assert.equal((await cust.command('customer.rate', { rating: 6 })).error.field, 'rating');
  assert.equal((await cust.command('customer.rate', { rating: '5' })).error.field, 'rating');
  const rated = await cust.command('customer.rate', { rating: 4, comment: 'Quick and friendly' });
  assert.equal(rated.type, 'request.state', JSON.stringify(rated));
  assert.equal(rated.request.rating, 4);
  assert.equal(rated.request.can_rate, false);
  assert.equal((await cust.command('customer.rate', { rating: 1 })).error.code, 'already_rated');
  await anna.waitFor((m) => m.type === 'request.updated' && m.request.id === id && m.request.rating === 4);

  // Managers find it in the session list; team managers only for their teams.
  const boss = await login(node, 'manager', ...DEMO_MANAGER);
  const list = await managerCall(node, boss, 'GET', '/requests?limit=10');
  assert.equal(list.status, 200, list.text);
  const row = list.json.requests.find((r) => r.id === id);
  assert.equal(row.rating, 4);
  assert.equal(row.resolution, 'resolved');
  assert.equal(row.technician_name, 'Anna Berger');
  const lead = await login(node, 'manager', 'teamlead@demo.openassist.example', 'demo-teamlead-1');
  const leadList = await managerCall(node, lead, 'GET', '/requests');
  assert.ok(leadList.json.requests.some((r) => r.id === id), 'anna is in Support EU');
  assert.ok(leadList.json.requests.every((r) => r.technician_name === 'Anna Berger' || r.technician_name === 'Ben Okafor'));
  const asTech = await managerCall(node, anna.session, 'GET', '/requests');
  assert.equal(asTech.status, 403);
  assert.equal((await managerCall(node, boss, 'GET', '/requests?limit=x')).status, 400);

  await smtp.waitForMail(new RegExp(`Subject: Support session #${id} \\(rated 4/5\\)`));
  const mails = smtp.mails();
  assert.match(mails, /desk@demo\.openassist\.example/);
  assert.match(mails, /Customer: Rita Rating <ritarating@example\.com>/);
  assert.match(mails, /Technician: Anna Berger/);
  assert.match(mails, /Resolution: resolved/);
  assert.match(mails, /Technician's notes: Driver reinstalled\./);
  assert.match(mails, /Customer rating: 4 of 5/);
  assert.match(mails, /Customer comment: Quick and friendly/);
});
