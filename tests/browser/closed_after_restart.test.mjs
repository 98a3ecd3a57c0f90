// Closed requests after a restart (issue 10; docs/intake.md: consoles list the
// most recent 100 closed requests): the console's Closed tab shows the same
// requests, by count and by name, after the node was killed (SIGKILL) and
// started again on the same data. Ended requests of every kind: cancelled by
// the customer, closed and rated, closed without a rating (its summary still
// due). Chromium at 1366x768 against the real node with its demo account.
// Run: OA_BIN=build/test/node/openassist OA_WEB_DIR=web/dist node --test tests/browser/closed_after_restart.test.mjs
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { startNode, tempDir } from '../harness/node.mjs';
import { customerFields, openConsole as openConsoleSocket, openCustomer } from '../harness/intake.mjs';
import { launchBrowser, waitForText } from './helpers.mjs';
import { assertNoProblems, openConsole, showTab } from './intake_helpers.mjs';

const LAPTOP = { width: 1366, height: 768 };
const ARGS = ['--intake.per-address-per-min=0'];
const work = tempDir('oa-closed-restart-');
const dataDir = join(work, 'data');
const sockets = [];
let node = null;
let browser = null;

after(async () => {
  for (const c of sockets) c.ws?.terminate();
  await browser?.close().catch(() => {});
  await node?.stop().catch(() => {});
  rmSync(work, { recursive: true, force: true });
});

/** Anna's console in the browser, on the Closed tab: its count and the customers' names listed. */
async function closedTab(expected) {
  const anna = await openConsole(browser, node, 'anna');
  await anna.page.setViewportSize(LAPTOP);
  await showTab(anna, 'closed');
  await waitForText(anna.page.getByTestId('tab-closed-count'), new RegExp(`^${expected}$`));
  const rows = anna.page.getByTestId('request-row');
  const names = await rows.locator('.row-name').allInnerTexts();
  const ids = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-request-id')));
  return { anna, names: names.map((n) => n.trim()).sort(), ids: ids.sort() };
}

test('the Closed tab lists the same requests after the node is killed and restarted', { timeout: 180_000 }, async () => {
  node = await startNode({ dataDir, args: [...ARGS, '--node.demo'] });
  browser = await launchBrowser();
  const tech = await openConsoleSocket(node, 'anna@demo.openassist.example');
  sockets.push(tech);

  // Seven ended requests: three cancelled, two closed and rated, two closed unrated.
  const names = ['Cora', 'Cruz', 'Cyan', 'Rita', 'Rolf', 'Uma', 'Ulf'];
  for (const name of names) {
    const c = await openCustomer(node, 'demo', 'help', { fields: customerFields(name) });
    sockets.push(c);
    const id = c.request.request_id;
    if (name.startsWith('C')) {
      assert.equal((await c.command('customer.cancel')).request.outcome, 'cancelled');
      continue;
    }
    await tech.waitFor((m) => m.type === 'alert' && m.alert.request_id === id);
    for (const step of ['request.accept', 'request.join'])
      assert.equal((await tech.command(step, { request_id: id })).type, 'ack', step);
    assert.equal((await tech.command('request.close', { request_id: id, resolution: 'resolved' })).type, 'ack');
    await c.waitFor((m) => m.type === 'request.state' && m.request.can_rate === true);
    if (name.startsWith('R')) {
      const rated = await c.command('customer.rate', { rating: 5, comment: 'thanks' });
      assert.equal(rated.request?.rating, 5, JSON.stringify(rated));
    }
  }

  const before = await closedTab(names.length);
  assert.deepEqual(before.names, [...names].sort());
  await before.anna.close();

  // Everything was acknowledged, so it is durable: kill without mercy.
  await node.kill();
  node = await startNode({ dataDir, args: ARGS });
  const afterRestart = await closedTab(names.length);
  assert.deepEqual(afterRestart.names, before.names, 'the same customers in the Closed tab');
  assert.deepEqual(afterRestart.ids, before.ids, 'the same requests');
  assertNoProblems([afterRestart.anna]);
  await afterRestart.anna.close();
});
