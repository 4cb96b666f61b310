import { expect, test } from 'vitest';
import type { Status } from '@tcprt/schema';
import { healthProblems } from '../../src/lib/health';

/** A healthy agent's status; each test breaks one part of it. */
function status(change: (s: Status) => void = () => {}): Status {
  const s = {
    collector: {
      state: 'running',
      active: true,
      lastError: null,
      lostRecords: 0,
      gaps: [],
    },
    config: { errors: [], warnings: [], rejectedAtMs: null },
    storage: { unstoredRecords: 0, unwrittenRawLines: 0, error: null },
  } as unknown as Status;
  change(s);
  return s;
}

test('a healthy agent shows no banner', () => {
  expect(healthProblems(status())).toEqual([]);
});

test('rules the collector refused show as a rejected config, the previous one still running', () => {
  const problems = healthProblems(
    status((s) => {
      s.config.errors = [
        {
          line: null,
          path: 'per-port',
          message: 'the collector refused these rules: more than 1024 single-port rules',
        },
      ];
      s.config.rejectedAtMs = 1_700_000_000_000;
    }),
  );
  expect(problems).toEqual([
    {
      severity: 'warn',
      message:
        'the last config change was rejected (1 error); the previous config is still running',
    },
  ]);
});

test('records that could not be stored come first, before a rejected config', () => {
  const problems = healthProblems(
    status((s) => {
      s.storage.unstoredRecords = 12;
      s.storage.error = 'ENOSPC';
      s.config.errors = [{ line: 3, path: 'global.stats', message: 'expected enable' }];
    }),
  );
  expect(problems.map((p) => p.severity)).toEqual(['bad', 'warn']);
  expect(problems[0]!.message).toBe(
    'cannot write (ENOSPC); 12 records not stored, 0 raw lines not written',
  );
});
