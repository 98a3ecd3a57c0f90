// Report benchmark (docs/BENCHMARKS.md, issue 13): `--requests` customer
// requests (100,000) posted to the demo portal today, then the snapshot
// summary, technician performance and session detail of today timed
// `--runs` times each (JSON, and the snapshot as CSV) with the node idle;
// medians and the worst run, and the node's RssAnon before and after. The
// issue's target: the snapshot of one day with 100,000 sessions in under
// 500 ms. Exits non-zero only when the set-up fails or a report is refused.
//
//   node bench/report_load.mjs [--bin build/release/node/openassist]
//     [--requests 100000] [--runs 7] [--inflight 128]
import http from 'node:http';
import { arg, json, percentile, rssAnonKiB, startNode } from './lib.mjs';

const requests = Number(arg('requests', '100000'));
const runs = Number(arg('runs', '7'));
const inflight = Number(arg('inflight', '128'));

const node = await startNode([`--intake.max-open-requests=${requests + 1000}`]);
try {
  const boss = await json(node.port, 'POST', '/api/v1/auth/login', {
    kind: 'manager',
    email: 'manager@demo.openassist.example',
    password: 'demo-manager-1',
  });
  if (boss.status !== 200) throw new Error(`login: ${boss.status}`);
  const from = Date.now() - 60_000;

  // Load: `inflight` requests at a time until `requests` were answered 201.
  const agent = new http.Agent({ keepAlive: true, maxSockets: inflight });
  const post = (i) =>
    new Promise((resolve) => {
      const body = JSON.stringify({ fields: { name: `c${i}`, email: `c${i}@example.com`, problem: 'bench' } });
      const req = http.request(
        {
          host: '127.0.0.1',
          port: node.port,
          method: 'POST',
          agent,
          path: '/api/v1/public/portals/demo/help/requests',
          headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode === 201));
        },
      );
      req.on('error', () => resolve(false));
      req.end(body);
    });
  const loadStart = performance.now();
  let next = 0;
  let failed = 0;
  await Promise.all(
    Array.from({ length: inflight }, async () => {
      while (next < requests) if (!(await post(next++))) failed++;
    }),
  );
  const loadSecs = (performance.now() - loadStart) / 1000;
  if (failed > 0) throw new Error(`${failed} intakes failed`);
  const to = Date.now() + 60_000;

  const time = async (path, csv = false) => {
    const t0 = performance.now();
    const res = await fetch(`http://127.0.0.1:${node.port}/api/v1${path}`, { headers: { Cookie: boss.cookie } });
    const text = await res.text();
    const ms = performance.now() - t0;
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${text.slice(0, 200)}`);
    return { ms, bytes: text.length, body: csv ? null : JSON.parse(text) };
  };
  const rss0 = rssAnonKiB(node.pid);
  const results = {};
  for (const [name, path, csv] of [
    ['snapshot', `/reports/snapshot?from=${from}&to=${to}`, false],
    ['snapshot_csv', `/reports/snapshot?from=${from}&to=${to}&format=csv`, true],
    ['technicians', `/reports/technicians?from=${from}&to=${to}`, false],
    ['sessions', `/reports/sessions?from=${from}&to=${to}`, false],
  ]) {
    const times = [];
    let last;
    for (let r = 0; r < runs; r++) {
      last = await time(path, csv);
      times.push(last.ms);
    }
    times.sort((a, b) => a - b);
    results[name] = {
      median_ms: Math.round(percentile(times, 50)),
      max_ms: Math.round(times[times.length - 1]),
      bytes: last.bytes,
    };
    if (name === 'snapshot') results[name].submitted = last.body.totals.submitted;
    if (name === 'sessions') results[name].rows = last.body.rows.length;
  }
  console.log(
    JSON.stringify(
      {
        requests,
        load_seconds: Math.round(loadSecs),
        intakes_per_s: Math.round(requests / loadSecs),
        runs,
        rss_anon_mib_before_reports: Math.round(rss0 / 1024),
        rss_anon_mib_after_reports: Math.round(rssAnonKiB(node.pid) / 1024),
        ...results,
      },
      null,
      2,
    ),
  );
  if (results.snapshot.submitted !== requests) throw new Error(`the snapshot counted ${results.snapshot.submitted}`);
} finally {
  await node.stop();
}
