// Files in sessions in the browser (docs/sessions.md, "Files"), against the
// real node with its demo account: a customer on the portal page
// (/p/demo/help), Anna in her console (/console/) and the company manager
// (/manage/), each in a browser context of their own.
//   Both ways: "Send file" (only the allowlist offered) says what it sends,
//   the file becomes a link with its name and size in both chats, and each
//   side downloads the same bytes; the manager watching live downloads it too.
//   A program renamed to invoice.pdf is refused: the customer reads why next
//   to the input, both chats show the system line. After the close there is
//   no "Send file" any more.
//   The Management Center's account settings: the largest file in a session.
// Run: OA_BIN=build/test/node/openassist OA_WEB_DIR=web/dist node --test tests/browser/files.test.mjs
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { COMPANY, waitForAttribute, waitForText, waitForValue } from './helpers.mjs';
import { ACCOUNT, act, assertNoProblems, openManager, startIntake } from './intake_helpers.mjs';
import { joinedChat, waitForLine, waitForLines } from './chat_helpers.mjs';

let intake;

before(async () => {
  intake = await startIntake();
});

afterEach(async () => {
  await intake?.closeAll();
});

after(async () => {
  await intake?.stop();
});

/** A PDF of exactly 12 KB (the server checks the signature). */
const PDF = (() => {
  const head = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\n');
  const tail = Buffer.from('\n%%EOF\n');
  const filler = Buffer.alloc(12 * 1024 - head.length - tail.length - 1, 0x20);
  return Buffer.concat([head, Buffer.from('%'), filler, tail]);
})();
const TXT = Buffer.from('Step 1: unplug.\nStep 2: wait 10 s.\n');
/** A Windows program named like a PDF. */
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(510, 0)]);

const REFUSED =
  'The file "invoice.pdf" from Fiona was refused: the content is not a PDF document (it looks like a Windows program)';

/** The file lines of a chat, in order: {from, id, label}. */
function fileLines(chat) {
  return chat.locator('[data-testid=chat-line][data-file=true]').evaluateAll((items) =>
    items.map((li) => {
      const link = li.querySelector('[data-testid=chat-file]');
      return { from: li.dataset.from, id: link?.dataset.fileId ?? '', label: link?.textContent ?? '' };
    }),
  );
}

/** Waits until the chat shows a file line with this label; resolves to it. */
async function waitForFile(chat, label, timeout = 10_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const files = await fileLines(chat).catch(() => []);
    const found = files.find((f) => f.label === label);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no file ${JSON.stringify(label)}; the chat shows ${JSON.stringify(files)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Picks a file with the chat's "Send file" (its hidden input, as the file dialog would). */
function pickFile(chat, name, mimeType, buffer) {
  return chat.getByTestId('chat-file-input').setInputFiles({ name, mimeType, buffer });
}

/** Clicks the link of a file and resolves to what the browser saved: {name, bytes}. */
async function download(page, link) {
  const [saved] = await Promise.all([page.waitForEvent('download', { timeout: 15_000 }), link.click()]);
  const failure = await saved.failure();
  assert.equal(failure, null, `download failed: ${failure}`);
  return { name: saved.suggestedFilename(), bytes: await readFile(await saved.path()) };
}

const fileLink = (chat, id) => chat.locator(`[data-testid=chat-file][data-file-id="${id}"]`);

test('files both ways as links, downloads with the same bytes, a renamed program refused', { timeout: 180_000 }, async () => {
  const anna = await intake.console('anna');
  const { customer: fiona, id, chat, desk } = await joinedChat(intake, anna, 'Fiona');

  // "Send file" on both sides, offering only the allowlist.
  for (const box of [chat, desk]) {
    await waitForText(box.getByTestId('chat-file-send'), /^Send file$/);
    assert.equal(await box.getByTestId('chat-file-send').isEnabled(), true);
    const accept = (await box.getByTestId('chat-file-input').getAttribute('accept')).split(',');
    for (const ext of ['.pdf', '.txt', '.docx', '.png', '.zip']) assert.ok(accept.includes(ext), `accepts ${ext}`);
    assert.ok(!accept.includes('.exe'), 'no programs offered');
  }

  // The customer sends a PDF: held on its way, so "Sending report.pdf…" can be seen.
  let release;
  const held = new Promise((r) => {
    release = r;
  });
  const uploadPath = `**/api/v1/public/portals/${ACCOUNT}/help/requests/${id}/files?name=*`;
  await fiona.page.route(uploadPath, async (route) => {
    await held;
    await route.continue();
  });
  await pickFile(chat, 'report.pdf', 'application/pdf', PDF);
  await waitForText(chat.getByTestId('chat-file-sending'), /^Sending report\.pdf…$/);
  assert.equal(await chat.getByTestId('chat-file-send').isEnabled(), false, 'one file at a time');
  release();
  await chat.getByTestId('chat-file-sending').waitFor({ state: 'detached' });
  await fiona.page.unroute(uploadPath);
  assert.equal(await chat.getByTestId('chat-file-send-error').count(), 0);

  // A link with name and size in both chats, the same file.
  const mine = await waitForFile(chat, 'report.pdf (12 KB)');
  const annas = await waitForFile(desk, 'report.pdf (12 KB)');
  assert.match(mine.id, /^[0-9a-f]{32}$/);
  assert.equal(annas.id, mine.id);
  assert.deepEqual([mine.from, annas.from], ['customer', 'customer']);
  assert.equal(await desk.locator(`[data-testid=chat-line][data-file=true] .chat-name`).first().textContent(), 'Fiona');

  // Anna downloads it: the same bytes under its name.
  const pdf = await download(anna.page, fileLink(desk, mine.id));
  assert.equal(pdf.name, 'report.pdf');
  assert.deepEqual(pdf.bytes, PDF);

  // Anna sends a text file back; the customer downloads it.
  await pickFile(desk, 'steps.txt', 'text/plain', TXT);
  const back = await waitForFile(chat, `steps.txt (${TXT.length} B)`);
  assert.equal(back.from, 'technician');
  assert.equal((await waitForFile(desk, `steps.txt (${TXT.length} B)`)).id, back.id);
  const txt = await download(fiona.page, fileLink(chat, back.id));
  assert.equal(txt.name, 'steps.txt');
  assert.deepEqual(txt.bytes, TXT);

  // The manager watching live sees the files and downloads one.
  const boss = await openManager(intake, COMPANY, { viewport: null });
  await boss.page.getByTestId('nav-sessions').click();
  await boss.page.locator(`[data-testid=session-row][data-request-id="${id}"] [data-testid=session-link]`).click();
  await waitForAttribute(boss.page.getByTestId('session-detail'), 'data-status', 'active');
  await boss.page.getByTestId('watch-live').click();
  const monitor = boss.page.getByTestId('monitor-chat');
  await waitForFile(monitor, 'report.pdf (12 KB)');
  const watched = await download(boss.page, fileLink(monitor, back.id));
  assert.equal(watched.name, 'steps.txt');
  assert.deepEqual(watched.bytes, TXT);

  // A program renamed to invoice.pdf: refused, the reason next to the customer's
  // input, the system line in both chats, no link.
  await pickFile(chat, 'invoice.pdf', 'application/pdf', EXE);
  await waitForText(
    chat.getByTestId('chat-file-send-error'),
    /^invoice\.pdf was not sent: the content is not a PDF document \(it looks like a Windows program\)$/,
  );
  assert.equal(await chat.getByTestId('chat-file-send-error').getAttribute('role'), 'alert');
  for (const box of [chat, desk]) {
    const line = await waitForLine(box, REFUSED);
    assert.equal(line.from, 'system');
    assert.ok(line.text.includes('was refused'));
    assert.deepEqual((await fileLines(box)).map((f) => f.label), ['report.pdf (12 KB)', `steps.txt (${TXT.length} B)`]);
  }
  await waitForLines(monitor, (ls) => ls.some((l) => l.text === REFUSED), 'the refusal in the live view');

  // A good file afterwards clears the error.
  await pickFile(chat, 'notes.txt', 'text/plain', Buffer.from('all good now\n'));
  await waitForFile(desk, 'notes.txt (13 B)');
  await chat.getByTestId('chat-file-send-error').waitFor({ state: 'detached' });

  // Closed: no more sending; the links stay.
  await act(anna, id, 'close');
  await waitForAttribute(chat, 'data-open', 'false');
  await waitForAttribute(desk, 'data-open', 'false');
  assert.equal(await chat.getByTestId('chat-file-send').count(), 0);
  assert.equal(await desk.getByTestId('chat-file-send').count(), 0);
  assert.equal(await chat.getByTestId('chat-file').count(), 3);

  // Names are text, never markup: nothing but the label inside a link.
  for (const box of [chat, desk]) assert.equal(await box.locator('[data-testid=chat-file] *').count(), 0);

  const refusedUpload = { status: 415, path: `/api/v1/public/portals/${ACCOUNT}/help/requests/${id}/files` };
  assertNoProblems([anna, fiona, boss], [refusedUpload]);
});

test('Management Center: the largest file in a session, checked and saved', { timeout: 120_000 }, async () => {
  const boss = await openManager(intake, COMPANY, { section: 'account', viewport: null });
  const { page } = boss;
  const form = page.getByTestId('account-form');
  const input = form.getByLabel('Largest file in a session (MB)');
  await waitForValue(input, String((await intake.mc('GET', '/account')).file_limit_mb));

  // Out of range: said next to the input, nothing saved.
  await input.fill('0');
  await page.getByTestId('account-save').click();
  const error = form.locator('[data-testid=field-error][data-field=file_limit_mb]');
  await waitForText(error, /^must be between 1 and 100$/);
  assert.equal(await input.getAttribute('aria-invalid'), 'true');
  assert.equal((await intake.mc('GET', '/account')).file_limit_mb, 25);

  await input.fill('7');
  await page.getByTestId('account-save').click();
  await waitForText(page.getByTestId('notice'), /^Account settings saved\.$/);
  await error.waitFor({ state: 'detached' });
  assert.equal((await intake.mc('GET', '/account')).file_limit_mb, 7);

  // Shown again after a reload; German too.
  await page.reload();
  await waitForValue(page.getByTestId('account-form').getByLabel('Largest file in a session (MB)'), '7');
  await page.getByTestId('lang-de').click();
  await waitForText(page.getByTestId('nav-account'), /^Konto$/);
  await waitForValue(page.getByTestId('account-form').getByLabel('Größte Datei in einer Sitzung (MB)'), '7');
  await intake.mc('PUT', '/account', { file_limit_mb: 25 });

  assertNoProblems([boss]);
});
