// A data directory that fills up, against the real binary (docs/ARCHITECTURE.md,
// "Writes that are never half-known"): the node warns from storage.map-alert-percent,
// and above storage.map-refuse-percent refuses new data with a clear 507
// `storage_full` while the desk stays up (no restart loop) and the metrics say why.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { get, metric, startNode } from '../harness/node.mjs';
import { customerFields, post } from '../harness/intake.mjs';

let node;

before(async () => {
  node = await startNode({
    args: [
      '--node.demo',
      '--intake.per-address-per-min=0',
      '--storage.map-size-mb=16',
      '--storage.map-alert-percent=1',
      '--storage.map-refuse-percent=3',
    ],
  });
});

after(async () => {
  await node?.stop();
});

const requests = () => `${node.publicUrl}/api/v1/public/portals/demo/help/requests`;

test('a full map refuses new requests with 507 storage_full and the desk stays up', async () => {
  let refused;
  let stored = 0;
  for (let i = 0; i < 3000 && !refused; i++) {
    const res = await post(requests(), {
      fields: { ...customerFields(`Filler ${i}`), problem: 'x'.repeat(1500) },
    });
    if (res.status === 201) stored++;
    else refused = res;
  }
  assert.ok(refused, 'the map never filled');
  assert.ok(stored > 0);
  assert.equal(refused.status, 507, refused.text);
  assert.equal(refused.json.error.code, 'storage_full');
  // The same desk goes on answering: reads work, writes are refused again
  // (no restart loop, no 503 from a desk that is starting), also when the
  // mailer has meanwhile deleted sent mails from the outbox: once full, the
  // node refuses until use is back under the alert level.
  const portal = await get(`${node.publicUrl}/api/v1/public/portals/demo/help`);
  assert.equal(portal.status, 200, portal.text);
  const again = await post(requests(), { fields: customerFields('One More') });
  assert.equal(again.status, 507, again.text);
  assert.ok((await metric(node, 'openassist_storage_map_used_ratio')) >= 0.01);
  assert.equal(await metric(node, 'openassist_storage_map_full'), 1);
  assert.equal(await metric(node, 'openassist_storage_map_size_bytes'), 16 * 1024 * 1024);
  assert.ok((await metric(node, 'openassist_storage_map_alerts_total')) >= 1);
  assert.ok((await metric(node, 'openassist_storage_refused_total{reason="map_full"}')) >= 2);
  assert.equal(await metric(node, 'openassist_storage_queue_depth'), 0);
  assert.equal(await metric(node, 'openassist_storage_oldest_batch_age_seconds'), 0);
  assert.match(node.output(), /LMDB map is \d+% full/);
});
