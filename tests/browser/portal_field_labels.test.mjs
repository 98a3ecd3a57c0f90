// Issue 10, "portal field labels are translatable per language", in headless
// Chromium (1366x768) against the real node: the company manager gives the
// service queue's fields German labels (and the skill field German skill
// labels) in the Management Center's customer form editor; a German customer
// sees them, an English one the default labels; a skill label list of the
// wrong length is refused in the editor, in the manager's words.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startNode } from '../harness/node.mjs';
import { apiGet, COMPANY, launchBrowser, login, openPage, waitForText } from './helpers.mjs';

const VIEWPORT = { width: 1366, height: 768 };

let node;
let browser;

before(async () => {
  node = await startNode({ args: ['--node.demo'] });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  const exit = await node?.stop();
  assert.deepEqual(exit, { code: 0, signal: null });
});

/** The customer form's label texts and the skill choices as a customer in `locale` sees them. */
async function customerView(locale) {
  const { context, page, unexpected } = await openPage(browser, { locale });
  try {
    await page.setViewportSize(VIEWPORT);
    await page.goto(`${node.publicUrl}/p/demo/queue`);
    const form = page.getByTestId('request-form');
    await form.waitFor();
    const label = (key) => form.locator(`[data-field="${key}"] > label`).first().textContent();
    const view = {
      name: (await label('name')).replace('*', ''),
      problem: (await label('problem')).replace('*', ''),
      topic: (await label('topic')).replace('*', ''),
      choices: await form
        .locator('select[name=topic] option')
        .evaluateAll((os) => os.filter((o) => o.value !== '').map((o) => `${o.value}=${o.textContent}`)),
    };
    assert.deepEqual(unexpected(), []);
    return view;
  } finally {
    await context.close();
  }
}

test('a German customer sees the German labels the manager gave', { timeout: 120_000 }, async () => {
  // Before: the default labels in both languages.
  const before = await customerView('de-DE');
  assert.equal(before.name, 'Your name');

  const { context, page, unexpected } = await openPage(browser);
  try {
    await page.setViewportSize(VIEWPORT);
    await page.goto(`${node.publicUrl}/manage/#/portals`);
    await login(page, COMPANY);
    await page.locator('[data-testid=portal-row][data-slug="queue"]').getByTestId('portal-link').click();
    const form = page.getByTestId('portal-form');
    await form.waitFor();
    const row = (key) => form.locator(`[data-testid=customer-field][data-key="${key}"]`);
    const input = (key, name) => row(key).locator(`input[name$="${name}"]`);

    await input('name', '.translations.de.label').fill('Ihr Name');
    await input('problem', '.translations.de.label').fill('Wie können wir helfen?');
    await input('problem', '.translations.en.label').fill('What went wrong?');
    await input('topic', '.translations.de.label').fill('Thema');
    // One label too few: said in the editor, nothing sent.
    await input('topic', '.translations.de.choice_labels').fill('Windows, Netzwerk und WLAN');
    await page.getByTestId('portal-save').click();
    await waitForText(
      row('topic').locator('[data-testid=field-error][data-field$=".translations.de.choice_labels"]'),
      /Give one label for each of the 3 skills/,
    );
    await input('topic', '.translations.de.choice_labels').fill('Windows, Netzwerk und WLAN, Drucker');
    await page.getByTestId('portal-save').click();
    await waitForText(page.getByTestId('notice'), /Portal “Service queue” saved\./);

    const saved = (await apiGet(page, '/portals')).portals.find((p) => p.slug === 'queue');
    const byKey = Object.fromEntries(saved.fields.map((f) => [f.key, f]));
    assert.deepEqual(byKey.name.translations, { de: { label: 'Ihr Name' } });
    assert.deepEqual(byKey.topic.translations, {
      de: { label: 'Thema', choice_labels: ['Windows', 'Netzwerk und WLAN', 'Drucker'] },
    });
    assert.equal(byKey.email.translations, undefined);

    // Opened again: the German labels are there to edit.
    await page.reload();
    await page.locator('[data-testid=portal-row][data-slug="queue"]').getByTestId('portal-link').click();
    await form.waitFor();
    assert.equal(await input('name', '.translations.de.label').inputValue(), 'Ihr Name');
    assert.equal(await input('topic', '.translations.de.choice_labels').inputValue(), 'Windows, Netzwerk und WLAN, Drucker');
    // The 401 of GET /auth/me before signing in is expected.
    assert.deepEqual(unexpected([{ status: 401, path: '/api/v1/auth/me' }]), []);
  } finally {
    await context.close();
  }

  // The customer page in German and in English.
  const de = await customerView('de-DE');
  assert.deepEqual(de, {
    name: 'Ihr Name',
    problem: 'Wie können wir helfen?',
    topic: 'Thema',
    choices: ['windows=Windows', 'network=Netzwerk und WLAN', 'printers=Drucker'],
  });
  const en = await customerView('en-US');
  assert.deepEqual(en, {
    name: 'Your name',
    problem: 'What went wrong?',
    topic: 'Topic',
    choices: ['windows=Windows', 'network=Network and Wi-Fi', 'printers=Printers'],
  });
});
