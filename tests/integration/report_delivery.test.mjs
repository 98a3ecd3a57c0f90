// E-mail delivery of saved reports (docs/reports.md, "E-mail delivery")
// against the real node and a real SMTP server on loopback (Debian's
// python3-aiosmtpd): a daily report due in the next minute, while the SMTP
// server is down, is retried by the durable outbox and arrives exactly once
// when the server is back, with the report's CSV attached; the delivery is
// recorded.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { startNode, sleep } from '../harness/node.mjs';
import { freeSmtpPort, startSmtp } from '../harness/smtp.mjs';
import { DEMO_MANAGER, customerFields, login, managerCall, post } from '../harness/intake.mjs';

let node;
let smtp;
after(async () => {
  await node?.stop();
  smtp?.stop();
});

/** Hours and minutes of `ms` in `timeZone`, as minutes after midnight. */
function minuteOfDay(ms, timeZone) {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    .formatToParts(new Date(ms));
  const part = (type) => Number(parts.find((p) => p.type === type).value);
  return part('hour') * 60 + part('minute');
}

const count = (text, needle) => text.split(needle).length - 1;

test('a scheduled report is retried while SMTP is down and arrives exactly once', { timeout: 240_000 }, async () => {
  const port = await freeSmtpPort();
  node = await startNode({
    args: [
      '--node.demo',
      '--intake.per-address-per-min=0',
      `--mail.smtp-url=smtp://127.0.0.1:${port}`,
      '--mail.first-retry-s=2',
      '--mail.report-check-s=1',
    ],
  });
  const manager = await login(node, 'manager', ...DEMO_MANAGER);
  const me = (await managerCall(node, manager, 'GET', '/auth/me')).json;
  const zone = me.user?.time_zone ?? me.time_zone;
  assert.ok(zone, JSON.stringify(me));
  // A request today, for the report to hold.
  const intake = await post(`${node.publicUrl}/api/v1/public/portals/demo/help/requests`, {
    fields: customerFields('Delia Delivered'),
  });
  assert.equal(intake.status, 201, intake.text);

  // Due at the next whole minute in the manager's zone (at least 5 s away).
  const at = Date.now() + 5_000;
  const sendAt = (minuteOfDay(at, zone) + 1) % (24 * 60);
  const saved = await managerCall(node, manager, 'POST', '/saved-reports', {
    name: 'Daily check',
    kind: 'sessions',
    period: 'today',
    schedule: 'daily',
    send_at: sendAt,
    email: 'ops@example.com',
  });
  assert.equal(saved.status, 201, saved.text);
  assert.deepEqual([saved.json.schedule, saved.json.send_at, saved.json.email], ['daily', sendAt, 'ops@example.com']);

  // The slot passes with the SMTP server down: the mailer tries and fails.
  await (async () => {
    for (const end = Date.now() + 90_000; Date.now() < end; await sleep(250))
      if (/mail to ops@example\.com not sent \(attempt 1\)/.test(node.output())) return;
    throw new Error(`no failed attempt to ops@example.com:\n${node.output().slice(-3000)}`);
  })();
  const mine = await managerCall(node, manager, 'GET', '/saved-reports');
  const recorded = mine.json.saved_reports[0].delivered_at;
  assert.ok(recorded >= saved.json.delivered_at, 'recorded once the mail is in the outbox');

  // The server comes back: the retry delivers it, once.
  smtp = await startSmtp(port);
  // The CSV comes as a file (base64 in a multipart mail), the text names it.
  const [, fileName, b64] = await smtp.waitForMail(
    /Content-Disposition: attachment; filename="(Daily-check-\d{4}-\d{2}-\d{2}\.csv)"\r?\nContent-Transfer-Encoding: base64\r?\n\r?\n([A-Za-z0-9+/=\r\n]+?)\r?\n--/,
    60_000,
  );
  const csv = Buffer.from(b64.replace(/\s+/g, ''), 'base64').toString('utf8');
  assert.match(smtp.mails(), /Subject: openassist: Daily check \(\d{4}-\d{2}-\d{2}\)/);
  assert.match(smtp.mails(), /To: <ops@example\.com>/);
  assert.match(smtp.mails(), /Content-Type: multipart\/mixed/);
  assert.match(smtp.mails(), /Content-Type: text\/csv; charset=utf-8/);
  assert.ok(smtp.mails().includes(`attached as a CSV file (${fileName}`), smtp.mails());
  assert.match(csv, /^request_id,portal_id,portal,technician_id,technician,customer,created,joined,closed/);
  const csvLine = csv.match(/\d+,\d+,Help Desk,,,Delia Delivered,[^\r\n]*/)?.[0];
  assert.ok(csvLine, csv);
  assert.match(csvLine, /,open,/);
  await sleep(8_000); // further retries and passes would show up here
  assert.equal(count(smtp.mails(), 'Subject: openassist: Daily check'), 1, smtp.mails());
  const after = (await managerCall(node, manager, 'GET', '/saved-reports')).json.saved_reports[0];
  assert.equal(after.delivered_at, recorded, 'one slot, one delivery');
  assert.ok(after.delivered_at > saved.json.delivered_at);
});
