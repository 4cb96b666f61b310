import { describe, expect, it } from 'vitest';
import { MAX_BUCKETS, closeReasonsInputSchema, statsSeriesInputSchema } from '../src/api/stats';

const HOUR_MS = 3_600_000;

describe.each([
  ['stats.series', statsSeriesInputSchema, { port: 80 }],
  ['stats.closeReasons', closeReasonsInputSchema, {}],
] as const)('%s input: the bucketed window', (_name, schema, own) => {
  it('takes a window, defaults bucketSec to one minute and coerces query-string numbers', () => {
    const parsed = schema.parse({ ...own, fromMs: '0', toMs: String(HOUR_MS) });
    expect(parsed).toMatchObject({ fromMs: 0, toMs: HOUR_MS, bucketSec: 60 });
  });

  it('refuses a window that ends before it starts', () => {
    expect(schema.safeParse({ ...own, fromMs: HOUR_MS, toMs: 0 }).success).toBe(false);
  });

  it(`refuses more than ${MAX_BUCKETS} buckets, accepts exactly ${MAX_BUCKETS}`, () => {
    const toMs = MAX_BUCKETS * 60_000;
    expect(schema.safeParse({ ...own, fromMs: 0, toMs, bucketSec: 60 }).success).toBe(true);
    const tooMany = schema.safeParse({ ...own, fromMs: 0, toMs: toMs + 60_000, bucketSec: 60 });
    expect(tooMany.success).toBe(false);
    expect(tooMany.error?.issues[0]?.message).toMatch(/buckets per query/);
  });

  it('takes bucket widths in multiples of 10 s (the finest rollup), refuses others', () => {
    const withBucket = (bucketSec: number) =>
      schema.safeParse({ ...own, fromMs: 0, toMs: HOUR_MS, bucketSec }).success;
    expect(withBucket(10)).toBe(true);
    expect(withBucket(90)).toBe(true);
    expect(withBucket(15)).toBe(false);
    expect(withBucket(5)).toBe(false);
  });

  it('refuses unknown fields', () => {
    expect(schema.safeParse({ ...own, fromMs: 0, toMs: HOUR_MS, bucket: 60 }).success).toBe(false);
  });
});

describe('the query-specific fields', () => {
  it('stats.series needs a port and defaults side to local', () => {
    expect(statsSeriesInputSchema.safeParse({ fromMs: 0, toMs: HOUR_MS }).success).toBe(false);
    expect(statsSeriesInputSchema.parse({ port: 80, fromMs: 0, toMs: HOUR_MS }).side).toBe('local');
  });

  it('stats.closeReasons takes an optional port', () => {
    expect(closeReasonsInputSchema.parse({ fromMs: 0, toMs: HOUR_MS }).port).toBeUndefined();
    expect(closeReasonsInputSchema.parse({ port: 443, fromMs: 0, toMs: HOUR_MS }).port).toBe(443);
  });
});
