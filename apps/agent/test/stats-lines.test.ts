import { afterAll, beforeAll, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { parseStatsLine } from '@tcprt/schema';
import { startHarness, type Harness } from './fixtures/agent-harness';
import { rRecord, wRecord } from './fixtures/records';
import { waitForValue, waitUntil } from '@tcprt/testkit/waitUntil';

let h: Harness;
beforeAll(async () => {
  h = await startHarness(
    'global:\n  stats: enable\n  stats_interval: 1\nper-port:\n  - port: 8080\n  - port: 9000\n',
  );
});
afterAll(async () => {
  await h.stop();
  await h.dir.remove();
});

it('writes SPEC §3 stats lines per port every interval to the raw stats file and the history', async () => {
  const nowUs = Date.now() * 1000;
  const p = { local: 8080, peer: 40000 };
  h.collector.emit(
    rRecord(nowUs, p, { uploadUs: 10, processUs: 1000, downloadUs: 90, bytesSent: 3000 }),
    rRecord(nowUs, p, { uploadUs: 30, processUs: 2001, downloadUs: 70, bytesSent: 1000 }),
    rRecord(nowUs, p, { uploadUs: 5, processUs: 5, downloadUs: 5, bytesSent: 0 }), // not counted: nothing sent
    wRecord(nowUs, p, 500),
  );
  const statsText = async () => (await fetch(`${h.agent.url}/api/raw/stats`)).text();
  await waitUntil(
    'a stats line for port 8080',
    async () => /^\d+ all 8080 /m.test(await statsText()),
    5000,
  );
  const lines = (await statsText()).split('\n').filter(Boolean).map(parseStatsLine);
  const busy = lines.find((l) => l.port === 8080 && l.count > 0);
  // avg total (1100 + 2101) / 2, avg process (1000 + 2001) / 2, fail 1000 × 1 W / 2 counted.
  expect(busy).toMatchObject({
    avgTotalUs: 1600,
    avgProcessUs: 1500,
    failPermille: 500,
    avgBytesSent: 2000,
    avgUploadUs: 20,
    count: 2,
  });
  // A port named in the config prints every interval, even with nothing to count.
  expect(lines.some((l) => l.port === 9000 && l.count === 0)).toBe(true);
  // The same line is kept in the history, column for column. The history is written by the
  // writer thread, so it may land a moment after the raw file.
  const db = new Database(h.agent.databasePath, { readonly: true });
  const busyRow = db.prepare('SELECT * FROM stats_lines WHERE port = 8080 AND count > 0');
  const stored = await waitForValue(
    'the stats line for port 8080 in the history',
    () => busyRow.get() as Record<string, number> | undefined,
    5000,
  ).finally(() => db.close());
  expect(stored).toMatchObject({
    at_sec: busy?.timeSec,
    avg_total_us: 1600,
    avg_process_us: 1500,
    fail_permille: 500,
    count: 2,
    peer: 0,
  });
});
