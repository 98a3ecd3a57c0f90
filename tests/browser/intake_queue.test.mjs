// Queue-mode intake in the browser, against the real node with its demo
// account; portals made over the manager's REST API, customers on the portal
// page and technicians in their consoles, each in a browser context of their own.
//   Skills routing: the best-skilled free technician, degrading when nobody matches.
//   One technician, three customers: places 1, 2, 3 move up as sessions close.
// Run: OA_BIN=build/test/node/openassist OA_WEB_DIR=web/dist node --test tests/browser/intake_queue.test.mjs
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { waitForAttribute, waitForText } from './helpers.mjs';
import { act, assertNoProblems, fields, setStatus, showTab, startIntake, waitForStatus } from './intake_helpers.mjs';

let intake;
let teams;

before(async () => {
  intake = await startIntake();
  ({ teams } = await intake.directory());
});

afterEach(async () => {
  await intake?.closeAll();
});

after(async () => {
  await intake?.stop();
});

/** Waits until the customer's page shows the place in the queue. */
async function waitForPosition(customer, position) {
  await waitForStatus(customer, 'waiting');
  await waitForText(customer.page.getByTestId('queue-position'), new RegExp(`^${position}$`));
}

test('skills routing: network to Ben, windows to Anna, network+printers to Ben', { timeout: 90_000 }, async () => {
  const skillChoices = ['windows', 'network', 'printers'];
  await intake.mc('POST', '/portals', {
    name: 'Skills',
    slug: 'skills',
    mode: 'queue',
    type: 'queue',
    time_zone: 'UTC',
    skills_routing: true,
    fields: [
      { key: 'name', label: 'Name', type: 'text', required: true },
      { key: 'email', label: 'E-mail', type: 'email', required: true },
      { key: 'problem', label: 'Problem', type: 'textarea', required: true },
      { key: 'area', label: 'Area', type: 'skill', required: true, choices: skillChoices },
      { key: 'also', label: 'Also', type: 'skill', required: false, choices: skillChoices },
    ],
    sub_portals: [{ name: 'All', team_ids: [teams['Support EU'], teams['Support US']] }],
  });
  const anna = await intake.console('anna');
  const ben = await intake.console('ben');
  const carla = await intake.console('carla');
  const techs = [anna, ben, carla];
  for (const tech of techs) await showTab(tech, 'mine');

  const cases = [
    { who: 'Net', area: 'network', to: ben },
    { who: 'Win', area: 'windows', to: anna }, // rank 1 beats Carla's rank 2
    { who: 'Both', area: 'network', also: 'printers', to: ben }, // nobody has both: printers is dropped
  ];
  const customers = [];
  for (const c of cases) {
    const customer = await intake.customer('skills', c.who);
    customers.push(customer);
    // The skill fields are selects of their choices.
    const offered = await customer.form.locator('[name=area] option').evaluateAll((o) => o.map((x) => x.value));
    assert.deepEqual(offered, ['', ...skillChoices]);
    const id = await customer.submit({ ...fields(c.who), area: c.area, ...(c.also ? { also: c.also } : {}) });
    await waitForStatus(customer, 'assigned');
    const assigned = customer.page.getByTestId('technician-assigned');
    await waitForText(assigned, new RegExp(`^${c.to.screenName} has taken your request`));
    // In the right console's "My requests", in nobody else's.
    await waitForAttribute(c.to.row(id), 'data-status', 'assigned');
    const detail = await c.to.row(id).textContent();
    assert.match(detail, new RegExp(c.to.name));
    assert.match(detail, new RegExp(c.who));
    for (const other of techs.filter((t) => t !== c.to))
      assert.equal(await other.row(id).count(), 0, `${c.who} not in ${other.name}'s requests`);
    // The skills asked for are shown with the request.
    await c.to.row(id).click();
    const detailOf = c.to.page.locator(`[data-testid=request-detail][data-request-id="${id}"]`);
    const skills = detailOf.getByTestId('detail-skills');
    await waitForText(skills, new RegExp(`^${[c.area, c.also].filter(Boolean).join(', ')}$`));
  }
  await waitForText(ben.page.getByTestId('tab-mine-count'), /^2$/);
  await waitForText(anna.page.getByTestId('tab-mine-count'), /^1$/);
  await waitForText(carla.page.getByTestId('tab-mine-count'), /^0$/);
  assert.equal(await carla.page.getByTestId('requests-empty').count(), 1);
  assert.equal(await anna.page.getByTestId('alerts').count(), 0, 'queue mode assigns without alerts');

  assertNoProblems([...techs, ...customers]);
});

test('queue of one technician: places 1, 2, 3 move up as sessions close', { timeout: 90_000 }, async () => {
  const solo = await intake.mc('POST', '/teams', { name: 'Solo' });
  const sam = await intake.mc('POST', '/technicians', {
    email: 'solo@demo.openassist.example',
    first_name: 'Sam',
    last_name: 'Solo',
    team_id: solo.id,
    password: 'demo-tech-1',
  });
  await intake.mc('PUT', `/technicians/${sam.id}`, { features: { max_sessions: 1 } });
  await intake.mc('POST', '/portals', {
    name: 'Solo queue',
    slug: 'solo-queue',
    mode: 'queue',
    type: 'queue',
    time_zone: 'UTC',
    sub_portals: [{ name: 'Solo', team_ids: [solo.id] }],
  });

  const tech = await intake.console('solo');
  await waitForAttribute(tech.page.getByTestId('session-count'), 'data-max', '1');
  await setStatus(tech, 'busy');

  const customers = [];
  const ids = [];
  for (const name of ['Ann', 'Bob', 'Cem']) {
    const customer = await intake.customer('solo-queue', name);
    ids.push(await customer.submit(fields(name)));
    customers.push(customer);
  }
  const [ann, bob, cem] = customers;
  await waitForPosition(ann, 1);
  await waitForPosition(bob, 2);
  await waitForPosition(cem, 3);
  // The console lists them with their places.
  for (const [i, id] of ids.entries()) {
    await waitForAttribute(tech.row(id), 'data-status', 'waiting');
    await waitForText(tech.row(id).locator('td').last(), new RegExp(`^${i + 1}$`));
  }

  // Available: the first is assigned, the others move up.
  await setStatus(tech, 'available');
  await waitForStatus(ann, 'assigned');
  await waitForText(ann.page.getByTestId('technician-assigned'), /^Sam has taken your request/);
  await waitForPosition(bob, 1);
  await waitForPosition(cem, 2);

  // Join and close: the next one's turn.
  await act(tech, ids[0], 'join');
  await waitForStatus(ann, 'active');
  await waitForPosition(bob, 1); // never more than one session at a time
  await act(tech, ids[0], 'close');
  await waitForStatus(ann, 'closed');
  await waitForStatus(bob, 'assigned');
  await waitForText(bob.page.getByTestId('technician-assigned'), /^Sam has taken your request/);
  await waitForPosition(cem, 1);

  await act(tech, ids[1], 'join');
  await waitForStatus(bob, 'active');
  await act(tech, ids[1], 'close');
  await waitForStatus(bob, 'closed');
  await waitForStatus(cem, 'assigned');

  await act(tech, ids[2], 'join');
  await waitForStatus(cem, 'active');
  await act(tech, ids[2], 'close');
  await waitForStatus(cem, 'closed');
  for (const id of ids) await waitForAttribute(tech.row(id), 'data-status', 'closed');
  await waitForText(tech.page.getByTestId('tab-closed-count'), /^3$/);

  assertNoProblems([tech, ...customers]);
});
