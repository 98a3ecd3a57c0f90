// Screenshots for the README's walkthrough (docs/screenshots/), taken on
// demand, not by ctest: starts a node with the demo account and headless
// Chromium at 1366x768 (a laptop), and for English and German takes
//   console-<lang>.png   Anna's console with five active chats, the
//                        customer's screen shared in the one she has open;
//   queue-<lang>.png     a customer's page waiting in the service queue
//                        (place 3: Anna's five sessions are full);
//   portals-<lang>.png   the Management Center's portal page.
// Each language runs on a node of its own (so the chats are in that language).
//
// Run (after `cd web && npm run build`):
//   node tools/screenshots.mjs [--out docs/screenshots] [--lang en|de]
// OA_BIN picks the binary (default build/release/node/openassist when built,
// else build/test/node/openassist), OA_WEB_DIR the web UIs (default web/dist),
// OA_CHROMIUM the browser (default /usr/bin/chromium).
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
if (!process.env.OA_BIN) {
  const release = join(root, 'build/release/node/openassist');
  process.env.OA_BIN = existsSync(release) ? release : join(root, 'build/test/node/openassist');
}
// The sanitizer build reports what the test suite suppresses.
process.env.UBSAN_OPTIONS ??= `suppressions=${join(root, 'tests/ubsan.supp')}`;
process.env.LSAN_OPTIONS ??= `suppressions=${join(root, 'tests/lsan.supp')}`;

const { customerFields, openCustomer } = await import('../tests/harness/intake.mjs');
const { COMPANY, openPage, waitForAttribute } = await import('../tests/browser/helpers.mjs');
const { act, startIntake, waitForStatus } = await import('../tests/browser/intake_helpers.mjs');
const { consoleChat, say, selectRequest } = await import('../tests/browser/chat_helpers.mjs');
const { joinedWithScreen, waitForPicture } = await import('../tests/browser/screen_helpers.mjs');

const VIEWPORT = { width: 1366, height: 768 };
const outArg = process.argv.indexOf('--out');
const out = resolve(outArg > 0 ? process.argv[outArg + 1] : join(root, 'docs/screenshots'));

/** What the people in the screenshots say, per language. */
const TEXT = {
  en: {
    locale: 'en-US',
    customer: 'Sheila Brooks',
    problem: 'The printer in room 2.14 says "access denied" since this morning.',
    others: [
      ['Otto Weber', 'Outlook asks for my password every five minutes.'],
      ['Petra Lang', 'The VPN disconnects when I join a video call.'],
      ['Quinn Avery', 'I cannot open the shared drive S:.'],
      ['Rosa Martin', 'My laptop fan is very loud and it is slow.'],
    ],
    chat: [
      ['tech', 'Hello Sheila, I am Anna. Which printer is it?'],
      ['customer', 'The big one next to the kitchen, HP LaserJet.'],
      ['tech', 'Thanks. May I look at your screen?'],
      ['customer', 'Sure, the error is still open.'],
    ],
    greeting: (name) => `Hello ${name}, I am looking at it now.`,
    queued: [
      ['Ida Novak', 'Excel crashes when I open the budget file.'],
      ['Jon Berg', 'My second monitor stays black.'],
    ],
    waiting: ['Tom Fischer', 'tom.fischer@example.com', 'The network printer no longer prints from my laptop.'],
  },
  de: {
    locale: 'de-DE',
    customer: 'Sabine Krüger',
    problem: 'Der Drucker in Raum 2.14 meldet seit heute Morgen „Zugriff verweigert“.',
    others: [
      ['Otto Weber', 'Outlook fragt alle fünf Minuten nach meinem Passwort.'],
      ['Petra Lang', 'Das VPN bricht ab, sobald ich in eine Videokonferenz gehe.'],
      ['Jonas Vogt', 'Ich kann das Laufwerk S: nicht öffnen.'],
      ['Rosa Martin', 'Der Lüfter meines Laptops ist laut und alles ist langsam.'],
    ],
    chat: [
      ['tech', 'Guten Tag, Frau Krüger, hier ist Anna. Welcher Drucker ist es?'],
      ['customer', 'Der große neben der Küche, ein HP LaserJet.'],
      ['tech', 'Danke. Darf ich Ihren Bildschirm sehen?'],
      ['customer', 'Gern, die Fehlermeldung ist noch offen.'],
    ],
    greeting: (name) => `Guten Tag, ${name.split(' ')[0]}, ich sehe es mir gleich an.`,
    queued: [
      ['Ida Novak', 'Excel stürzt ab, wenn ich die Budgetdatei öffne.'],
      ['Jan Berg', 'Mein zweiter Monitor bleibt schwarz.'],
    ],
    waiting: ['Tom Fischer', 'tom.fischer@example.com', 'Der Netzwerkdrucker druckt nicht mehr von meinem Laptop.'],
  },
};

/** Chooses the language in the page's header switch (the signed-in user's own setting may differ). */
async function useLanguage(page, lang) {
  await page.getByTestId(`lang-${lang}`).first().click();
  await waitForAttribute(page.locator('html'), 'lang', lang);
}

/** Lets fonts, images and transitions settle before a picture is taken. */
async function settle(page) {
  // No button looks hovered.
  await page.mouse.move(0, VIEWPORT.height - 1);
  await page.evaluate(() => document.fonts.ready);
  await page.waitForTimeout(400);
}

async function shoot(page, name) {
  const path = join(out, name);
  await page.screenshot({ path });
  console.log(`wrote ${path}`);
}

async function run(lang) {
  const text = TEXT[lang];
  const intake = await startIntake();
  const api = [];
  try {
    // Anna's console, in the language.
    const anna = await intake.console('anna');
    await anna.page.setViewportSize(VIEWPORT);
    await useLanguage(anna.page, lang);

    // The customer with the screen, and four more (over the API), each accepted and joined.
    const { customer, id, chat, desk } = await joinedWithScreen(intake, anna, text.customer, {
      viewport: VIEWPORT,
      fields: { problem: text.problem },
      before: (c) => useLanguage(c.page, lang),
    });
    for (const [from, line] of text.chat) await say(from === 'tech' ? desk : chat, line);
    for (const [name, problem] of text.others) {
      const c = await openCustomer(intake.node, 'demo', 'help', { fields: { ...customerFields(name), problem } });
      api.push(c);
      const other = c.request.request_id;
      await anna.alert(other).getByTestId('alert-accept').click();
      await waitForAttribute(anna.row(other), 'data-status', 'assigned');
      await act(anna, other, 'join');
      await waitForAttribute(anna.row(other), 'data-status', 'active');
      await say(consoleChat(anna, other), text.greeting(name));
    }

    // Back to the first customer, who shares her screen.
    await selectRequest(anna, id);
    const detail = anna.page.locator(`[data-testid=request-detail][data-request-id="${id}"]`);
    await detail.getByTestId('screen-request').click();
    await customer.page.getByTestId('screen-allow').click();
    await customer.page.getByTestId('screen-sharing').waitFor();
    await waitForPicture(detail.getByTestId('screen-viewer'), "Anna's viewer");
    // The toasts of the morning are gone.
    await anna.page.locator('[data-testid=toast]').first().waitFor({ state: 'detached', timeout: 15_000 }).catch(() => {});
    await settle(anna.page);
    await shoot(anna.page, `console-${lang}.png`);

    // The service queue: Anna is full, two requests wait before this customer's.
    for (const [name, problem] of text.queued)
      api.push(await openCustomer(intake.node, 'demo', 'queue', { fields: { ...customerFields(name), problem } }));
    const waiting = await intake.customer('queue', 'waiting');
    await waiting.page.setViewportSize(VIEWPORT);
    await useLanguage(waiting.page, lang);
    const [name, email, problem] = text.waiting;
    await waiting.submit({ name, email, problem });
    await waitForStatus(waiting, 'waiting');
    await waiting.page.getByTestId('queue-position').waitFor();
    await settle(waiting.page);
    await shoot(waiting.page, `queue-${lang}.png`);

    // The Management Center's portals.
    const { context, page } = await openPage(intake.browser, { locale: text.locale });
    intake.people.push({ close: () => context.close() });
    await page.setViewportSize(VIEWPORT);
    await page.goto(`${intake.node.publicUrl}/manage/`);
    const form = page.getByTestId('login-form');
    await form.locator('input[type=email]').fill(COMPANY.email);
    await form.locator('input[type=password]').fill(COMPANY.password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('whoami').waitFor();
    await useLanguage(page, lang);
    await page.getByTestId('nav-portals').click();
    await page.locator('[data-testid=portal-row]').first().waitFor();
    await settle(page);
    await shoot(page, `portals-${lang}.png`);
  } catch (e) {
    // What each page showed when it went wrong, next to the screenshots.
    for (const [i, p] of intake.people.entries())
      if (p.page) await p.page.screenshot({ path: join(out, `failed-${lang}-${i}.png`) }).catch(() => {});
    throw e;
  } finally {
    for (const c of api) c.close();
    await intake.closeAll();
    await intake.stop().catch((e) => console.error(`the node did not stop cleanly: ${e.message}`));
  }
}

mkdirSync(out, { recursive: true });
const only = process.argv.indexOf('--lang');
for (const lang of only > 0 ? [process.argv[only + 1]] : ['en', 'de']) await run(lang);
