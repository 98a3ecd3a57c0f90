// Password hashing runs on a pool of workers and a bulk import hashes in
// chunks (docs/ARCHITECTURE.md, "Password hashing"): logins of the same
// account go on while an import with passwords runs.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startNode } from '../harness/node.mjs';
import { DEMO_MANAGER, login, managerCall } from '../harness/intake.mjs';

let node;
before(async () => {
  node = await startNode({ args: ['--node.demo', '--services.hashers=2', '--services.hash-chunk=2'] });
});
after(async () => {
  await node?.stop();
});

test('logins succeed while a bulk import with passwords runs', { timeout: 120_000 }, async () => {
  const mgr = await login(node, 'manager', ...DEMO_MANAGER);
  const lines = [];
  for (let i = 0; i < 40; i += 1)
    lines.push(`,Bulk team,bulk${i}@demo.openassist.example,Bulk,Person${i},bulk-password-${i},Bulk ${i},`);
  let importDone = false;
  const started = Date.now();
  const imported = managerCall(node, mgr, 'POST', '/technicians/bulk', { text: lines.join('\n') }).then((r) => {
    importDone = true;
    return r;
  });
  // Logins of the same account, one after the other, while it runs.
  const during = [];
  for (let i = 0; i < 3; i += 1) {
    const res = await fetch(`${node.publicUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ kind: 'technician', email: 'anna@demo.openassist.example', password: 'demo-tech-1' }),
    });
    during.push({ status: res.status, importDone });
  }
  const result = await imported;
  assert.equal(result.status, 200, result.text);
  assert.equal(result.json.added, 40, result.text);
  for (const d of during) assert.equal(d.status, 200);
  assert.ok(
    during.every((d) => !d.importDone),
    `every login answered before the import (${Date.now() - started} ms) ended: ${JSON.stringify(during)}`,
  );
  // The imported passwords work.
  const bulk = await login(node, 'technician', 'bulk7@demo.openassist.example', 'bulk-password-7');
  assert.ok(bulk.cookie);
});
