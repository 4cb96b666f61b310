import { expect, test } from 'vitest';
import { parseDurationUs } from '../../src/lib/parse-duration';

test('minimum-time filters accept the units people type', () => {
  expect(parseDurationUs('200ms')).toEqual({ ok: true, us: 200_000 });
  expect(parseDurationUs('1.5s')).toEqual({ ok: true, us: 1_500_000 });
  expect(parseDurationUs(' 800 us ')).toEqual({ ok: true, us: 800 });
  expect(parseDurationUs('250')).toEqual({ ok: true, us: 250_000 });
  expect(parseDurationUs('2min')).toEqual({ ok: true, us: 120_000_000 });
});

test('anything else is refused with a hint, never a crash', () => {
  for (const bad of ['', 'fast', '-5ms', '1e3', '5 parsecs', '90000s']) {
    expect(parseDurationUs(bad).ok).toBe(false);
  }
});
