import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '@tcprt/schema';
import { waitUntil } from '@tcprt/testkit/waitUntil';
import { FakeCollector } from '../../test/fixtures/fake-collector';
import { CollectorSupervisor } from './collector-supervisor';

describe('CollectorSupervisor', () => {
  it('restarts a collector that dies, counting restarts and keeping the last error', async () => {
    const fake = new FakeCollector();
    const supervisor = new CollectorSupervisor(fake.start, () => {});
    await supervisor.start(DEFAULT_CONFIG);
    expect(supervisor.snapshot().state).toBe('running');
    fake.crash('loader killed');
    expect(supervisor.snapshot()).toMatchObject({
      state: 'restarting',
      restarts: 1,
      lastError: 'loader killed',
    });
    await waitUntil('the restart', () => fake.starts === 2, 3000);
    await waitUntil('running again', () => supervisor.snapshot().state === 'running', 3000);
    await supervisor.stop();
    expect(supervisor.snapshot().state).toBe('stopped');
  });

  it('backs off exponentially while the collector cannot start', async () => {
    let attempts = 0;
    const startedAt: number[] = [];
    const supervisor = new CollectorSupervisor(
      () => {
        attempts++;
        startedAt.push(Date.now());
        throw new Error('no BTF');
      },
      () => {},
    );
    await supervisor.start(DEFAULT_CONFIG);
    await waitUntil('three attempts', () => attempts >= 3, 5000);
    await supervisor.stop();
    const gaps = [startedAt[1]! - startedAt[0]!, startedAt[2]! - startedAt[1]!];
    expect(gaps[1]!).toBeGreaterThan(gaps[0]! * 1.5);
    expect(supervisor.snapshot().lastError).toBe('no BTF');
  });

  it('adds up lost records across collector runs', async () => {
    const fake = new FakeCollector();
    const supervisor = new CollectorSupervisor(fake.start, () => {});
    await supervisor.start(DEFAULT_CONFIG);
    fake.callbacks?.onHealth({ lostRecords: 7 });
    fake.crash('gone');
    await waitUntil('the restart', () => fake.starts === 2, 3000);
    fake.callbacks?.onHealth({ lostRecords: 2 });
    expect(supervisor.snapshot().lostRecords).toBe(9);
    await supervisor.stop();
  });

  it("says 'failed' while no collector could be started, and reports the time without one as a gap", async () => {
    const fake = new FakeCollector();
    let broken = false;
    const supervisor = new CollectorSupervisor(
      (callbacks) => {
        if (broken) throw new Error('no BTF');
        return fake.start(callbacks);
      },
      () => {},
    );
    await supervisor.start(DEFAULT_CONFIG);
    expect(supervisor.snapshot().gaps).toEqual([]);
    broken = true;
    const crashedAtMs = Date.now();
    fake.crash('loader killed');
    await waitUntil('a failed restart', () => supervisor.snapshot().state === 'failed', 3000);
    expect(supervisor.snapshot()).toMatchObject({ lastError: 'no BTF' });
    expect(supervisor.snapshot().gaps).toEqual([
      { startMs: expect.any(Number) as number, endMs: null, reason: 'loader killed' },
    ]);
    broken = false;
    await waitUntil('running again', () => supervisor.snapshot().state === 'running', 5000);
    const [gap] = supervisor.snapshot().gaps;
    expect(gap!.startMs).toBeGreaterThanOrEqual(crashedAtMs);
    expect(gap!.endMs).toBeGreaterThanOrEqual(gap!.startMs + 500);
    await supervisor.stop();
  });
});
