import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RRecord } from '@tcprt/schema';
import { appRouter } from '../src/api/router';
import { startHarness, type Harness } from './fixtures/agent-harness';
import { rRecord } from './fixtures/records';

const BASE_US = Date.UTC(2026, 0, 1, 12, 0, 0) * 1000;
const https = { local: 8443, peer: 40001 };

/** An https-mode R record carrying the given extension letters (SPEC §2 V7). */
function v7(
  startUs: number,
  taskNum: number,
  extensions: string,
  extra: Partial<RRecord> = {},
): RRecord {
  return {
    ...rRecord(startUs, https, { uploadUs: 10, processUs: 100, downloadUs: 10, taskNum }),
    version: 'V7',
    srttUs: 40,
    cwnd: 10,
    extensions,
    ...extra,
  };
}

let h: Harness;
const caller = () => appRouter.createCaller({ services: h.agent.services, authorized: true });

beforeAll(async () => {
  h = await startHarness('per-port:\n  - port: 8443\n    mode: https\n');
  h.collector.emit(
    v7(BASE_US, 1, 'H', { handshakeUs: 900 }),
    v7(BASE_US + 1_000, 2, ''),
    v7(BASE_US + 2_000, 3, 'AF', { firstFrame: [{ bytes: 120, us: 300 }] }),
    rRecord(
      BASE_US + 3_000,
      { local: 8080, peer: 40002 },
      { uploadUs: 1, processUs: 1, downloadUs: 1 },
    ),
  );
  await h.agent.flush();
});

afterAll(async () => {
  await h.stop();
  await h.dir.remove();
});

describe('records.list extension filter', () => {
  it('returns only records carrying the letter, combined letters included', async () => {
    const tasks = async (extension: 'C' | 'Z' | 'A' | 'H' | 'F') =>
      (await caller().records.list({ extension, order: 'asc' })).items.map((r) => r.taskNumber);
    expect(await tasks('H')).toEqual([1]);
    expect(await tasks('A')).toEqual([3]);
    expect(await tasks('F')).toEqual([3]);
    expect(await tasks('Z')).toEqual([]);
    expect((await caller().records.list({})).items).toHaveLength(4);
  });

  it('keeps the V7 line exact for filtered records', async () => {
    const [first] = (await caller().records.list({ extension: 'F' })).items;
    expect(first?.line).toMatch(/^V7 R\.AF .* 40 10 120:300 \n$/);
  });

  it('refuses an unknown letter', async () => {
    await expect(caller().records.list({ extension: 'X' as never })).rejects.toThrow(/extension/);
  });
});
