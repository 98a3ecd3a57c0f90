// The Management Center in German at 1366x768 (issue 10), served by the real
// node with its demo account: every menu item is wholly in sight (none hidden
// past the edge of the menu or the window), the parent-team choices of the
// team forms show whole, and no page is wider than the window.
// Run: OA_BIN=build/test/node/openassist OA_WEB_DIR=web/dist node --test tests/browser/manage_layout.test.mjs
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startNode } from '../harness/node.mjs';
import { COMPANY, launchBrowser, openPage, waitForAttribute } from './helpers.mjs';

const VIEWPORT = { width: 1366, height: 768 };
const SECTIONS = ['teams', 'people', 'bulk', 'sessions', 'dashboards', 'reports', 'managers', 'portals', 'hours', 'account', 'audit', 'settings'];

let node;
let browser;

before(async () => {
  node = await startNode({ args: ['--node.demo'] });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await node?.stop();
});

/** Each menu item that is not wholly in sight: past the menu's visible box or the window. */
function hiddenMenuItems(page) {
  return page.evaluate(() => {
    const list = document.querySelector('nav ul');
    const inner = list.getBoundingClientRect();
    const hidden = [];
    if (list.scrollWidth > list.clientWidth + 1) hidden.push(`the menu scrolls: ${list.scrollWidth} > ${list.clientWidth} px`);
    for (const a of list.querySelectorAll('a')) {
      const r = a.getBoundingClientRect();
      const whole =
        r.left >= inner.left - 0.5 &&
        r.right <= inner.right + 0.5 &&
        r.left >= 0 &&
        r.right <= window.innerWidth &&
        a.scrollWidth <= a.clientWidth + 1;
      if (!whole) hidden.push(`${a.textContent} (${Math.round(r.left)}–${Math.round(r.right)} px)`);
    }
    return hidden;
  });
}

/**
 * The select's widest choice and the room it has for it (its inner width less
 * the native arrow), in px.
 */
function choiceRoom(select) {
  return select.evaluate((el) => {
    const style = getComputedStyle(el);
    const ctx = document.createElement('canvas').getContext('2d');
    ctx.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const choices = [...el.options].map((o) => ({ text: o.text, width: ctx.measureText(o.text).width }));
    const widest = choices.reduce((a, b) => (b.width > a.width ? b : a));
    const room = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 24;
    return { widest: widest.text, width: Math.ceil(widest.width), room: Math.floor(room) };
  });
}

async function assertChoicesWhole(select, what) {
  const { widest, width, room } = await choiceRoom(select);
  assert.ok(width <= room, `${what}: "${widest}" needs ${width} px, the select has ${room} px`);
}

const pageWidth = (page) => page.evaluate(() => document.documentElement.scrollWidth);

test('German at 1366x768: the whole menu, whole parent-team choices, no page wider than the window', { timeout: 120_000 }, async () => {
  const { context, page, unexpected } = await openPage(browser, { locale: 'de-DE' });
  try {
    await page.setViewportSize(VIEWPORT);
    await page.goto(`${node.publicUrl}/manage/`);
    const form = page.getByTestId('login-form');
    await form.locator('input[type=email]').fill(COMPANY.email);
    await form.locator('input[type=password]').fill(COMPANY.password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('whoami').waitFor();
    // The manager's own language is English: German is chosen in the header.
    await page.getByTestId('lang-de').click();
    await waitForAttribute(page.locator('html'), 'lang', 'de');

    assert.deepEqual(await hiddenMenuItems(page), [], 'menu items out of sight');
    assert.equal(await page.locator('nav ul a').count(), SECTIONS.length);

    // The parent team of a new team, and of a team being edited.
    await page.getByTestId('team-create-form').waitFor();
    await assertChoicesWhole(page.getByTestId('team-create-form').locator('select[name=parent_id]'), 'new team');
    await page.locator('[data-testid=team-node][data-team-name="Tier 2"] [data-testid=team-select]').first().click();
    const edit = page.getByTestId('team-edit-form');
    await edit.waitFor();
    await assertChoicesWhole(edit.locator('select[name=parent_id]'), 'team being edited');
    assert.ok((await pageWidth(page)) <= VIEWPORT.width, 'the teams page is wider than the window');

    // Every page of the menu fits the window's width.
    for (const section of SECTIONS) {
      await page.getByTestId(`nav-${section}`).click();
      await waitForAttribute(page.getByTestId(`nav-${section}`), 'aria-current', 'page');
      await page.locator('main h1').first().waitFor();
      assert.ok((await pageWidth(page)) <= VIEWPORT.width, `${section}: ${await pageWidth(page)} px wide`);
      assert.deepEqual(await hiddenMenuItems(page), [], `${section}: menu items out of sight`);
    }
    // And the form of a portal, the widest page.
    await page.getByTestId('nav-portals').click();
    await page.locator('[data-testid=portal-row][data-slug=help] [data-testid=portal-link]').click();
    await page.locator('main form').first().waitFor();
    assert.ok((await pageWidth(page)) <= VIEWPORT.width, `portal form: ${await pageWidth(page)} px wide`);

    assert.deepEqual(unexpected([{ status: 401, path: '/api/v1/auth/me' }]), []);
  } finally {
    await context.close();
  }
});
