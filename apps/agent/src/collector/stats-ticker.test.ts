import { tcprtConfigSchema, type RRecord, type TcprtConfigInput } from '@tcprt/schema';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { StatsTicker } from './stats-ticker';

const config = (input: TcprtConfigInput) => tcprtConfigSchema.parse(input);

const r = (port: number, totalUs: number): RRecord => ({
  type: 'R',
  version: 'V6',
  startSec: 1_700_000_000,
  startUsec: 0,
  peer: { ip: '10.0.0.2', port: 40000 },
  local: { ip: '10.0.0.1', port },
  bytesSent: 1000,
  totalUs,
  minRttUs: 50,
  retrans: 0,
  taskNum: 1,
  processUs: 100,
  uploadUs: 10,
  bytesReceived: 20,
  reorder: 0,
  mss: 1448,
});

describe('StatsTicker', () => {
  let printed: string[];
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_700_000_000_000 });
    printed = [];
  });
  afterEach(() => vi.useRealTimers());

  it('prints the first interval after 10 s and then every stats_interval, named ports even when idle', () => {
    const ticker = new StatsTicker(
      config({ global: { stats: 'enable', stats_interval: 60 }, 'per-port': [{ port: 80 }] }),
      (line) => printed.push(line),
    );
    ticker.add(r(80, 300));
    ticker.add(r(80, 500));
    vi.advanceTimersByTime(9_999);
    expect(printed).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(printed).toEqual(['1700000010 all 80 400 100 0 50 0 1000 10 20 2\n']);
    vi.advanceTimersByTime(60_000);
    expect(printed.slice(1)).toEqual(['1700000070 all 80 0 0 0 0 0 0 0 0 0\n']);
    ticker.stop();
  });

  it('prints nothing when stats are disabled', () => {
    const ticker = new StatsTicker(config({ 'per-port': [{ port: 80 }] }), (line) =>
      printed.push(line),
    );
    ticker.add(r(80, 300));
    vi.advanceTimersByTime(120_000);
    expect(printed).toEqual([]);
    ticker.stop();
  });

  it('closes the running interval early on a config change and follows the new interval', () => {
    const ticker = new StatsTicker(
      config({ global: { stats: 'enable', stats_interval: 60 }, 'per-port': [{ port: 80 }] }),
      (line) => printed.push(line),
    );
    ticker.add(r(80, 300));
    vi.advanceTimersByTime(5_000);
    ticker.reconfigure(
      config({ global: { stats: 'enable', stats_interval: 30 }, 'per-port': [{ port: 81 }] }),
    );
    expect(printed).toEqual(['1700000005 all 80 300 100 0 50 0 1000 10 20 1\n']);
    vi.advanceTimersByTime(30_000);
    expect(printed.slice(1)).toEqual(['1700000035 all 81 0 0 0 0 0 0 0 0 0\n']);
    ticker.stop();
  });
});
