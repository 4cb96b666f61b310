import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { appRouter } from '../src/api/router';
import { startHarness, type Harness } from './fixtures/agent-harness';
import { eRecord, nRecord, pRecord, rRecord, wRecord } from './fixtures/records';

const BASE_US = Date.UTC(2026, 0, 1, 12, 0, 0) * 1000;
const web = { local: 8080, peer: 40001 };

let h: Harness;
const caller = (authorized = true) =>
  appRouter.createCaller({ services: h.agent.services, authorized });

beforeAll(async () => {
  h = await startHarness('per-port:\n  - port: 8080\n    name: web\n');
  // Connection 1: three tasks, then a normal close. Connection 2: closed while sending.
  // Connection 3: closed while receiving. Connection 4: client side (peer port 6379).
  h.collector.emit(
    rRecord(BASE_US, web, { uploadUs: 10, processUs: 1000, downloadUs: 90, taskNum: 1 }),
    rRecord(BASE_US + 2_000, web, { uploadUs: 20, processUs: 2000, downloadUs: 80, taskNum: 2 }),
    rRecord(BASE_US + 5_000, web, {
      uploadUs: 30,
      processUs: 3000,
      downloadUs: 40_000,
      taskNum: 3,
      bytesSent: 400_000,
      // 30 ms of the 40 ms waiting on the client's receive window, 8 ms in flight.
      download: { busyUs: 38_000, rwndLimitedUs: 30_000, sndbufLimitedUs: 0 },
    }),
    eRecord(BASE_US + 5_000, web, 3, {
      first: 'fin_received',
      abort: null,
      phase: 'idle',
      phaseUs: 900,
      protocolEnds: [],
    }),
    wRecord(BASE_US + 10_000, { local: 8080, peer: 40002 }, 5000),
    eRecord(BASE_US + 10_000, { local: 8080, peer: 40002 }, 1, {
      first: 'rst_received',
      abort: 'rst_received',
      phase: 'sending',
      phaseUs: 4985,
      protocolEnds: [],
    }),
    nRecord(BASE_US + 20_000, { local: 8080, peer: 40003 }),
    // An N TCP-RT writes for MySQL's COM_QUIT: a normal close by its detail.
    eRecord(BASE_US + 20_000, { local: 8080, peer: 40003 }, 1, {
      first: 'fin_received',
      abort: null,
      phase: 'receiving',
      phaseUs: 20,
      protocolEnds: ['mysql_quit'],
    }),
    pRecord(BASE_US + 30_000, { local: 50000, peer: 6379 }, 400),
    eRecord(BASE_US + 30_000, { local: 50000, peer: 6379 }),
  );
  await h.agent.flush();
});

afterAll(async () => {
  await h.stop();
  await h.dir.remove();
});

describe('records', () => {
  it('lists newest first with each exact log line', async () => {
    const page = await caller().records.list({ limit: 100 });
    expect(page.items).toHaveLength(10);
    expect(page.items[0]?.startUs).toBe(BASE_US + 30_000);
    const first = page.items.at(-1);
    expect(first?.line).toBe(
      `V6 R ${BASE_US / 1e6} 0 127.0.0.1:40001 127.0.0.1:8080 1000 1100 50 0 1 1000 10 100 0 65483 \n`,
    );
    expect(first).toMatchObject({
      kind: 'R',
      totalUs: 1100,
      uploadUs: 10,
      processUs: 1000,
      downloadUs: 90,
    });
  });

  it('filters by kind, port and minimum process time', async () => {
    const slow = await caller().records.list({ kinds: 'R', localPort: 8080, minProcessUs: 1500 });
    expect(slow.items.map((r) => r.processUs)).toEqual([3000, 2000]);
    const closes = await caller().records.list({ kinds: 'W,N' });
    expect(closes.items.map((r) => r.kind)).toEqual(['N', 'W']);
    const byPeer = await caller().records.list({ peerAddr: '127.0.0.1', peerPort: 6379 });
    expect(byPeer.items.map((r) => r.kind)).toEqual(['E', 'P']);
  });

  it('pages with a cursor through a sort by total time without gaps or repeats', async () => {
    const seen: number[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const page = await caller().records.list({ sort: 'total', order: 'desc', limit: 2, cursor });
      seen.push(...page.items.map((r) => r.totalUs ?? -1));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    // R ×3, W, N and P have a total time; E records do not.
    expect(seen).toEqual([...seen].sort((a, b) => b - a));
    expect(seen).toHaveLength(6);
  });

  it('returns a connection timeline in order with its closing record', async () => {
    const [first] = (await caller().records.list({ order: 'asc', limit: 1 })).items;
    const timeline = await caller().records.connection({ connectionId: first!.connectionId });
    expect(timeline.records.map((r) => `${r.kind}${r.taskNumber}`)).toEqual([
      'R1',
      'R2',
      'R3',
      'E3',
    ]);
    expect(timeline.closing?.kind).toBe('E');
    await expect(caller().records.connection({ connectionId: 999_999 })).rejects.toThrow(
      /no connection/,
    );
  });

  it('gets one record and tails after an id', async () => {
    const tail = await caller().records.tail({ afterId: 8 });
    expect(tail.items.map((r) => r.id)).toEqual([9, 10]);
    expect(tail.lastId).toBe(10);
    expect((await caller().records.get({ id: 9 })).kind).toBe('P');
    await expect(caller().records.get({ id: 12345 })).rejects.toThrow(/no record/);
  });
});

describe('stats', () => {
  it('summarizes a port per bucket as SPEC §3 counts (R with bytes sent) plus percentiles', async () => {
    const series = await caller().stats.series({
      port: 8080,
      fromMs: BASE_US / 1000,
      toMs: BASE_US / 1000 + 120_000,
      bucketSec: 60,
    });
    expect(series.buckets).toHaveLength(2);
    const [b] = series.buckets;
    expect(b).toMatchObject({ count: 3, failPermille: 333 });
    expect(b?.process.avgUs).toBe(2000);
    expect(b?.process.p50Us).toBeGreaterThanOrEqual(1940);
    expect(b?.process.p50Us).toBeLessThanOrEqual(2060);
    expect(b?.total.p99Us).toBeGreaterThan(2900);
    expect(series.buckets[1]?.count).toBe(0);
    // One of the three tasks had chronographs: 30 of its 40 ms on the client's window.
    expect(b?.downloadLimits).toEqual({
      receiverShare: 0.75,
      networkShare: 0.2,
      applicationShare: 0.05,
    });
    expect(series.buckets[1]?.downloadLimits).toBeNull();
  });

  it('counts close reasons per port', async () => {
    const reasons = await caller().stats.closeReasons({
      fromMs: BASE_US / 1000,
      toMs: BASE_US / 1000 + 60_000,
    });
    expect(reasons.buckets).toEqual([
      {
        startMs: BASE_US / 1000,
        port: 8080,
        normal: 1,
        whileSending: 1,
        whileReceiving: 1,
        reasons: {
          normal: 2,
          peer_gave_up: 0,
          reset_by_peer: 1,
          reset_by_local: 0,
          timed_out: 0,
          closed_while_sending: 0,
          closed_while_receiving: 0,
        },
      },
    ]);
  });

  it('serves the close detail and reason of each connection, and the split of each download', async () => {
    const closes = await caller().records.list({ kinds: 'E', localPort: 8080, order: 'asc' });
    expect(closes.items.map((e) => [e.closeReason, e.close?.first])).toEqual([
      ['normal', 'fin_received'],
      ['reset_by_peer', 'rst_received'],
      ['normal', 'fin_received'],
    ]);
    const timeline = await caller().records.connection({
      connectionId: closes.items[1]!.connectionId,
    });
    expect(timeline.closing?.close).toMatchObject({ phase: 'sending', phaseUs: 4985 });
    const [slowest] = (
      await caller().records.list({ kinds: 'R', sort: 'receiverLimited', limit: 1 })
    ).items;
    expect(slowest?.download).toEqual({
      chrono: { busyUs: 38_000, rwndLimitedUs: 30_000, sndbufLimitedUs: 0 },
      receiverShare: 0.75,
      networkShare: 0.2,
      applicationShare: 0.05,
      bytesPerSec: 10_000_000,
    });
    expect(slowest?.line).not.toContain('38000'); // never in the log line
  });

  it('lists ports busiest first, peer ports marked', async () => {
    const { ports } = await caller().stats.ports({
      fromMs: BASE_US / 1000,
      toMs: BASE_US / 1000 + 60_000,
    });
    expect(ports.map(({ service: _, ...p }) => p)).toEqual([
      { port: 8080, peer: false, records: 8 },
      { port: 6379, peer: true, records: 2 },
    ]);
    // The rule's name, whatever (if anything) listens on 8080 on this machine.
    expect(ports[0]?.service).toMatchObject({ name: 'web', source: 'rule' });
    // Records from the fake collector: no connection exists whose caller could be found.
    expect(ports[1]?.service).toBeNull();
  });
});

describe('config', () => {
  it('adds, updates and removes rules and saves them to the file', async () => {
    const added = await caller().config.rules.add({
      rule: { port: '9000,9010', mode: 'http', first_frame: 'disable' },
    });
    expect(added.rules.map((r) => r.port)).toEqual([8080, '9000,9010']);
    expect(readFileSync(h.configPath, 'utf8')).toContain('"9000,9010"');
    await caller().config.rules.update({
      index: 1,
      rule: { port: 9001, mode: 'https', first_frame: 'enable' },
    });
    expect((await caller().config.rules.list({})).rules[1]).toMatchObject({
      port: 9001,
      mode: 'https',
    });
    expect(h.collector.appliedConfigs.at(-1)?.['per-port'][1]?.port).toBe(9001);
    await caller().config.rules.remove({ index: 1 });
    expect((await caller().config.rules.list({})).rules).toHaveLength(1);
    await expect(caller().config.rules.remove({ index: 5 })).rejects.toThrow(/no rule at index 5/);
  });

  it('rejects an overlapping rule with its field path and keeps the running config', async () => {
    await expect(
      caller().config.rules.add({ rule: { port: 8080, mode: 'default', first_frame: 'disable' } }),
    ).rejects.toThrow(/per-port\[1\]\.port/);
    expect((await caller().config.get({})).config['per-port']).toHaveLength(1);
    expect((await caller().status.get({})).config.errors[0]?.path).toBe('per-port[1].port');
  });

  it('validates YAML without applying and reports lines', async () => {
    const result = await caller().config.validate({ yaml: 'global:\n  stats: maybe\n' });
    expect(result.valid).toBe(false);
    expect(result.issues[0]).toMatchObject({ line: 2, path: 'global.stats' });
    expect((await caller().config.get({})).config.global.stats).toBe('disable');
  });

  it('replaces the file and changes global and init sections', async () => {
    const view = await caller().config.replace({
      yaml: 'global:\n  stats: enable\nper-port:\n  - port: 8080\n',
    });
    expect(view.config.global.stats).toBe('enable');
    expect(readFileSync(h.configPath, 'utf8')).toBe(
      'global:\n  stats: enable\nper-port:\n  - port: 8080\n',
    );
    const g = await caller().config.setGlobal({ global: { stats_interval: 5 } });
    expect(g.config.global).toMatchObject({ stats: 'enable', stats_interval: 5 });
    const i = await caller().config.setInit({ init: { log_buf_num: 4 } });
    expect(i.config.init).toMatchObject({ log_buf_num: 4, log_buf_size: 262144 });
    expect((await caller().status.rawFiles({})).log.boundBytes).toBe(4 * 262144);
  });

  it('refuses every change without the credential', async () => {
    const anon = caller(false);
    const before = readFileSync(h.configPath, 'utf8');
    const attempts = [
      () => anon.config.replace({ yaml: 'per-port: []\n' }),
      () =>
        anon.config.rules.add({ rule: { port: 1234, mode: 'default', first_frame: 'disable' } }),
      () =>
        anon.config.rules.update({
          index: 0,
          rule: { port: 1234, mode: 'default', first_frame: 'disable' },
        }),
      () => anon.config.rules.remove({ index: 0 }),
      () => anon.config.setGlobal({ global: { peer: true } }),
      () => anon.config.setInit({ init: { log_buf_num: 2 } }),
      () => anon.status.setActive({ active: false }),
    ];
    for (const attempt of attempts)
      await expect(attempt()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    expect(readFileSync(h.configPath, 'utf8')).toBe(before);
    expect(h.collector.deactivations).toBe(0);
  });
});

describe('status', () => {
  it('reports version, collector, database and records/s', async () => {
    const s = await caller().status.get({});
    expect(s.collector.state).toBe('running');
    expect(s.database.records).toBe(10);
    expect(s.database.sizeBytes).toBeGreaterThan(0);
    expect(s.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('deactivates and reactivates tracking', async () => {
    await caller().status.setActive({ active: false });
    expect(h.collector.deactivations).toBe(1);
    expect((await caller().status.get({})).collector).toMatchObject({
      state: 'deactivated',
      active: false,
    });
    await caller().status.setActive({ active: true });
    expect((await caller().status.get({})).collector).toMatchObject({
      state: 'running',
      active: true,
    });
  });
});
