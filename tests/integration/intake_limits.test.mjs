// Intake under retries and abuse, against the real binary (docs/intake.md):
// an intake retried with the same Idempotency-Key is one request, public
// reads are throttled per address (429 with Retry-After), and made-up portal
// names are answered 404 without harm to the real ones.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { get, startNode } from '../harness/node.mjs';
import { customerFields, post } from '../harness/intake.mjs';

let node;
const READS_PER_MIN = 8;

before(async () => {
  node = await startNode({
    args: [
      '--node.demo',
      '--intake.per-address-per-min=0',
      `--intake.public-reads-per-address-per-min=${READS_PER_MIN}`,
    ],
  });
});

after(async () => {
  await node?.stop();
});

const requests = () => `${node.publicUrl}/api/v1/public/portals/demo/help/requests`;

test('a retried intake with the same Idempotency-Key gets the same request and token', async () => {
  const body = { fields: customerFields('Ida Retry') };
  const key = { 'Idempotency-Key': 'b6f8a2c4-retry-1' };
  const first = await post(requests(), body, key);
  assert.equal(first.status, 201, first.text);
  const again = await post(requests(), body, key);
  assert.equal(again.status, 201, again.text);
  assert.equal(again.json.request_id, first.json.request_id);
  assert.equal(again.json.token, first.json.token);
  // The same key with another body is refused, and stores nothing.
  const changed = await post(requests(), { fields: customerFields('Someone Else') }, key);
  assert.equal(changed.status, 422, changed.text);
  assert.equal(changed.json.error.code, 'idempotency_key_reused');
  // Without a key (or with another) a POST is a new request: the next id,
  // so the retries above made none.
  const fresh = await post(requests(), body);
  assert.equal(fresh.status, 201, fresh.text);
  assert.equal(Number(fresh.json.request_id), Number(first.json.request_id) + 1);
  const other = await post(requests(), body, { 'Idempotency-Key': 'b6f8a2c4-retry-2' });
  assert.equal(Number(other.json.request_id), Number(first.json.request_id) + 2);
  // A key that is not one is a clear 400.
  const bad = await post(requests(), body, { 'Idempotency-Key': 'x'.repeat(256) });
  assert.equal(bad.status, 400, bad.text);
  assert.equal(bad.json.error.code, 'bad_header');
});

test('public reads are throttled per address with a JSON 429 and Retry-After', async () => {
  const base = `${node.publicUrl}/api/v1/public/portals/demo/help`;
  const statuses = [];
  // Portal data and status share the budget of the address.
  for (let i = 0; i < READS_PER_MIN; i++) {
    const res = await get(i % 2 ? `${base}/status` : base);
    statuses.push(res.status);
  }
  assert.deepEqual(statuses, Array(READS_PER_MIN).fill(200));
  for (const url of [base, `${base}/status`, `${node.publicUrl}/api/v1/public/portals/demo/nope`]) {
    const res = await get(url);
    assert.equal(res.status, 429, `${url}: ${res.text}`);
    assert.equal(res.json.error.code, 'too_many_requests');
    const after = Number(res.headers.get('retry-after'));
    assert.ok(after >= 1 && after <= 60, `Retry-After ${after}`);
  }
  // Intakes have their own limit: a customer can still ask for help.
  const res = await post(`${base}/requests`, { fields: customerFields('Still Here') });
  assert.equal(res.status, 201, res.text);
});
