// Issue 10 over the real binary and a real SMTP server (python3-aiosmtpd):
// - where the portal asks for an e-mail, the customer gets a confirmation
//   mail (in their language) with a link built from node.public-url that
//   carries the request's id and token in the URL fragment; that id and token
//   reattach to the request; no e-mail field, no mail; `lang` other than en/de
//   is a 400;
// - portal field labels (and skill labels) in English and German are stored,
//   validated (400 JSON errors naming the input, nothing half-written) and
//   shown on the public portal page.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startNode } from '../harness/node.mjs';
import { startSmtp } from '../harness/smtp.mjs';
import { Client, DEMO_MANAGER, eventually, login, managerCall, post } from '../harness/intake.mjs';

const PUBLIC_URL = 'https://support.example.test/help-base/';

let smtp;
let node;
let manager;

before(async () => {
  smtp = await startSmtp();
  node = await startNode({
    args: [
      '--node.demo',
      '--intake.per-address-per-min=0',
      `--mail.smtp-url=${smtp.url}`,
      `--node.public-url=${PUBLIC_URL}`,
    ],
  });
  manager = await login(node, 'manager', ...DEMO_MANAGER);
});
after(async () => {
  const exit = await node?.stop();
  smtp?.stop();
  assert.deepEqual(exit, { code: 0, signal: null });
});

const intake = (slug, body) => post(`${node.publicUrl}/api/v1/public/portals/demo/${slug}/requests`, body);
const mc = async (method, path, body, status = 200) => {
  const res = await managerCall(node, manager, method, path, body);
  assert.equal(res.status, status, `${method} ${path}: ${res.status} ${res.text}`);
  return res.json;
};

test('the confirmation mail links back to the request from node.public-url', async () => {
  const created = await intake('help', {
    fields: { name: 'Rita Resume', email: 'rita.resume@example.com', problem: 'The printer is on fire' },
    lang: 'de',
  });
  assert.equal(created.status, 201, created.text);
  const { request_id: id, token } = created.json;

  const link = /https:\/\/support\.example\.test\/help-base\/p\/demo\/help#request=(\d+)&token=([A-Za-z0-9_-]+)/;
  const [url, linkedId, linkedToken] = await smtp.waitForMail(link);
  assert.equal(linkedId, id);
  assert.equal(linkedToken, token);
  const mails = smtp.mails();
  assert.match(mails, /To: <rita\.resume@example\.com>/);
  assert.match(mails, new RegExp(`Subject: Ihre Support-Anfrage #${id}`), 'in the customer\'s language');
  assert.match(mails, /Guten Tag Rita Resume/);
  assert.ok(!url.includes('?'), 'nothing of the request in the query: the fragment never reaches the server');

  // What the link carries is enough to reattach.
  const c = await new Client(node.wsUrl).open();
  try {
    const state = await c.command('customer.attach', { account: 'demo', request_id: linkedId, token: linkedToken });
    assert.equal(state.type, 'request.state', JSON.stringify(state));
    assert.equal(String(state.request.id), id);
    assert.equal(state.request.status, 'waiting');
  } finally {
    c.close();
  }

  // English by default.
  const en = await intake('help', {
    fields: { name: 'Erik English', email: 'erik@example.com', problem: 'Help' },
  });
  assert.equal(en.status, 201, en.text);
  await smtp.waitForMail(new RegExp(`Subject: Your support request #${en.json.request_id}`));
  assert.match(smtp.mails(), new RegExp(`p/demo/help#request=${en.json.request_id}&token=${en.json.token}`));
});

test('no e-mail field, no mail; a language other than en or de is refused', async () => {
  const portal = await mc(
    'POST',
    '/portals',
    {
      name: 'No mail',
      slug: 'nomail',
      mode: 'web',
      type: 'smartbox',
      fields: [
        { key: 'name', label: 'Name', type: 'text', required: true },
        { key: 'problem', label: 'Problem', type: 'textarea', required: true },
      ],
    },
    201,
  );
  assert.ok(portal.id);
  const quiet = await eventually(async () => {
    const res = await intake('nomail', { fields: { name: 'Nora Nomail', problem: 'quiet' }, lang: 'en' });
    return res.status === 404 ? undefined : res;
  }, 10_000, 'the new portal');
  assert.equal(quiet.status, 201, quiet.text);
  // A later mail arrives; none was written for Nora's request.
  const marker = await intake('help', { fields: { name: 'Mark', email: 'mark@example.com', problem: 'x' } });
  assert.equal(marker.status, 201, marker.text);
  await smtp.waitForMail(new RegExp(`request=${marker.json.request_id}&`));
  assert.ok(!smtp.mails().includes(`#${quiet.json.request_id}`), 'no mail without an e-mail address');

  for (const lang of ['fr', 5, '']) {
    const res = await intake('help', { fields: { name: 'L', email: 'l@example.com', problem: 'x' }, lang });
    assert.equal(res.status, 400, `${JSON.stringify(lang)}: ${res.text}`);
    assert.equal(res.json.error.code, 'bad_field');
    assert.equal(res.json.error.field, 'lang');
  }
});

test('field labels in English and German: stored, validated, on the portal page', async () => {
  const { portals } = await mc('GET', '/portals');
  const queue = portals.find((p) => p.slug === 'queue');
  const fields = [
    { key: 'name', label: 'Your name', type: 'text', required: true, translations: { de: { label: 'Ihr Name' } } },
    { key: 'email', label: 'Your e-mail', type: 'email', required: true },
    {
      key: 'problem',
      label: 'How can we help?',
      type: 'textarea',
      required: true,
      translations: { en: { label: 'What is wrong?' }, de: { label: 'Wie können wir helfen?' } },
    },
    {
      key: 'topic',
      label: 'Topic',
      type: 'skill',
      required: false,
      choices: ['windows', 'network', 'printers'],
      choice_labels: ['Windows', 'Network and Wi-Fi', 'Printers'],
      translations: { de: { label: 'Thema', choice_labels: ['Windows', 'Netzwerk und WLAN', 'Drucker'] } },
    },
  ];
  const saved = await mc('PUT', `/portals/${queue.id}`, { fields });
  assert.deepEqual(saved.fields[0].translations, { de: { label: 'Ihr Name' } });
  assert.equal(saved.fields[1].translations, undefined, 'none given, none stored');
  assert.deepEqual(saved.fields[3].translations.de.choice_labels, ['Windows', 'Netzwerk und WLAN', 'Drucker']);
  const stored = async () => (await mc('GET', '/portals')).portals.find((p) => p.id === queue.id).fields;
  assert.deepEqual(await stored(), saved.fields);

  // The customer page has them (it picks the reader's language).
  const page = await eventually(async () => {
    const res = await fetch(`${node.publicUrl}/api/v1/public/portals/demo/queue`);
    const body = await res.json();
    return body.portal.fields[0].translations ? body : undefined;
  }, 10_000, 'the labels on the portal page');
  const topic = page.portal.fields.find((f) => f.key === 'topic');
  assert.deepEqual(topic.translations, { de: { label: 'Thema', choice_labels: ['Windows', 'Netzwerk und WLAN', 'Drucker'] } });
  assert.deepEqual(page.portal.fields.find((f) => f.key === 'problem').translations, {
    en: { label: 'What is wrong?' },
    de: { label: 'Wie können wir helfen?' },
  });

  // Bad input: a 400 naming the input; the stored fields stay as they were.
  const withTranslations = (i, translations) => fields.map((f, j) => (j === i ? { ...f, translations } : f));
  const bad = [
    [withTranslations(0, { fr: { label: 'Votre nom' } }), 'fields[0].translations'],
    [withTranslations(0, 'Ihr Name'), 'fields[0].translations'],
    [withTranslations(0, { de: 'Ihr Name' }), 'fields[0].translations.de'],
    [withTranslations(0, { de: { label: 7 } }), 'fields[0].translations.de.label'],
    [withTranslations(0, { de: { label: 'x'.repeat(101) } }), 'fields[0].translations.de.label'],
    [withTranslations(0, { de: { label: 'Name', title: 'x' } }), 'fields[0].translations.de'],
    [withTranslations(0, { de: { choice_labels: ['a'] } }), 'fields[0].translations.de.choice_labels'],
    [withTranslations(3, { de: { choice_labels: ['Windows', 'Drucker'] } }), 'fields[3].translations.de.choice_labels'],
    [withTranslations(3, { de: { choice_labels: ['Windows', 5, 'Drucker'] } }), 'fields[3].translations.de.choice_labels'],
  ];
  for (const [body, field] of bad) {
    const res = await managerCall(node, manager, 'PUT', `/portals/${queue.id}`, { fields: body });
    assert.equal(res.status, 400, `${field}: ${res.text}`);
    assert.equal(res.json.error.code, 'bad_field');
    assert.equal(res.json.error.field, field, res.text);
    assert.equal(typeof res.json.error.message, 'string');
  }
  assert.deepEqual(await stored(), saved.fields);
});
