import { afterAll, beforeAll, expect, it } from 'vitest';
import { formatLogLine, parseLogLine, type HistorySpan, type TcprtRecord } from '@tcprt/schema';
import { startHarness, type Harness } from './fixtures/agent-harness';
import { eRecord, rRecord } from './fixtures/records';

const BASE_US = Date.UTC(2026, 0, 3, 9, 0, 0) * 1000;
let h: Harness;
const records: TcprtRecord[] = [];

beforeAll(async () => {
  h = await startHarness('per-port:\n  - port: 8080\n');
  // 5003 records over 5003 ms, delivered out of start order in two halves (as the collector's
  // per-CPU batches may): the download is in start-time order whatever the order of arrival.
  for (let i = 0; i < 5003; i++) {
    const ports = { local: 8080, peer: 42000 + (i % 500) };
    records.push(
      i % 10 === 9
        ? eRecord(BASE_US + i * 1000, ports)
        : rRecord(BASE_US + i * 1000, ports, { uploadUs: 3, processUs: i, downloadUs: 4 }),
    );
  }
  const later = records.filter((_, i) => i % 2 === 1);
  const earlier = records.filter((_, i) => i % 2 === 0);
  h.collector.emit(...later, ...earlier);
  await h.agent.flush();
});

afterAll(async () => {
  await h.stop();
  await h.dir.remove();
});

it("streams a window's stored records as log lines in start-time order, and says beforehand how many", async () => {
  const fromMs = BASE_US / 1000 + 1000;
  const toMs = BASE_US / 1000 + 4500;
  const expected = records
    .filter((r) => r.startSec * 1e6 + r.startUsec >= fromMs * 1000)
    .filter((r) => r.startSec * 1e6 + r.startUsec < toMs * 1000)
    .map(formatLogLine);
  expect(expected).toHaveLength(3500);

  const span = (await (
    await fetch(`${h.agent.url}/api/history/span?fromMs=${fromMs}&toMs=${toMs}`)
  ).json()) as HistorySpan;
  expect(span).toEqual({
    lines: 3500,
    firstStartUs: fromMs * 1000,
    lastStartUs: (toMs - 1) * 1000,
    oldestStoredUs: BASE_US,
  });

  const res = await fetch(`${h.agent.url}/api/history/log?fromMs=${fromMs}&toMs=${toMs}`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="tcprt-history-/);
  const text = await res.text();
  expect(text).toBe(expected.join(''));
  const parsed = text.split('\n').slice(0, -1).map(parseLogLine);
  expect(parsed).toHaveLength(3500);
});

it('refuses a window without both ends or with its ends reversed', async () => {
  for (const query of ['fromMs=1', 'fromMs=5&toMs=1', 'fromMs=x&toMs=2']) {
    const res = await fetch(`${h.agent.url}/api/history/log?${query}`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toMatch(/toMs|fromMs/);
  }
});
