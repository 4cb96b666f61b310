import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CONFIG,
  dumpConfigYaml,
  formatConfigProblem,
  loadConfigYaml,
  MAX_BUF_NUM,
  MAX_BUF_SIZE_BYTES,
  MAX_FIRST_FRAME_BYTES,
  MAX_STATS_INTERVAL_SEC,
  tcprtConfigSchema,
} from '../src/index';

const fixtures = join(import.meta.dirname, 'fixtures/config');
const read = (...parts: string[]) => readFileSync(join(fixtures, ...parts), 'utf8');
const yamlFiles = (dir: string) =>
  readdirSync(join(fixtures, dir)).filter(
    (f) => f.endsWith('.yaml') && !f.endsWith('.normalized.yaml'),
  );

describe('tcprt.yaml: good files', () => {
  it.each(yamlFiles('good'))('%s loads and saves as its .normalized.yaml', (file) => {
    const result = loadConfigYaml(read('good', file));
    if (!result.ok) throw new Error(result.problems.map(formatConfigProblem).join('\n'));
    const normalized = read('good', file.replace(/\.yaml$/, '.normalized.yaml'));
    expect(dumpConfigYaml(result.config)).toBe(normalized);
    // Saving is stable: the saved text loads back to the same config.
    expect(loadConfigYaml(normalized)).toEqual({ ok: true, config: result.config });
  });

  it('gives the SPEC §4 defaults for an empty file', () => {
    expect(loadConfigYaml('')).toEqual({ ok: true, config: DEFAULT_CONFIG });
    expect(DEFAULT_CONFIG).toEqual({
      global: { peer: false, stats: 'disable', stats_interval: 60, first_frame_bytes: [] },
      'per-port': [],
      init: { log_buf_num: 8, log_buf_size: 262144, stats_buf_num: 8, stats_buf_size: 16384 },
    });
  });
});

describe('tcprt.yaml: bad files report every problem with line and key path', () => {
  const files = yamlFiles('bad');
  it('has at least 60 broken fixtures', () => expect(files.length).toBeGreaterThanOrEqual(60));

  it.each(files)('%s', (file) => {
    const expected = read('bad', file.replace(/\.yaml$/, '.errors'))
      .trimEnd()
      .split('\n');
    const result = loadConfigYaml(read('bad', file));
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.problems.map(formatConfigProblem)).toEqual(expected);
  });
});

describe('tcprt.yaml: save and load back', () => {
  const port = fc.oneof(
    fc.integer({ min: 1, max: 65535 }),
    fc
      .tuple(fc.integer({ min: 1, max: 65535 }), fc.integer({ min: 1, max: 65535 }))
      .map(([a, b]) => `${Math.min(a, b)},${Math.max(a, b)}`),
  );
  // Names YAML would read as another type if written bare, and any text at all.
  const name = fc.oneof(
    fc.constantFrom('true', 'null', '08', 'web', 'a: b', '#x', '- y', 'mariadb (prod)'),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 64 }),
  );
  const rule = fc.record(
    {
      port,
      name,
      peer: fc.boolean(),
      mode: fc.constantFrom('default', 'http', 'https'),
      first_frame: fc.constantFrom('enable', 'disable'),
    },
    { requiredKeys: ['port'] },
  );
  const bufNum = fc.integer({ min: 1, max: MAX_BUF_NUM });
  const bufSize = fc.integer({ min: 1, max: MAX_BUF_SIZE_BYTES });
  // Increasing byte counts, unused (0) steps last.
  const firstFrameBytes = fc
    .uniqueArray(fc.integer({ min: 1, max: MAX_FIRST_FRAME_BYTES }), { maxLength: 4 })
    .chain((steps) =>
      fc
        .integer({ min: 0, max: 4 - steps.length })
        .map((zeros) => [...steps.sort((a, b) => a - b), ...Array<number>(zeros).fill(0)]),
    );
  const config = fc.record({
    global: fc.record(
      {
        peer: fc.boolean(),
        stats: fc.constantFrom('enable', 'disable'),
        stats_interval: fc.integer({ min: 1, max: MAX_STATS_INTERVAL_SEC }),
        first_frame_bytes: firstFrameBytes,
      },
      { requiredKeys: [] },
    ),
    'per-port': fc.array(rule, { maxLength: 6 }),
    init: fc.record(
      {
        log_buf_num: bufNum,
        log_buf_size: bufSize,
        stats_buf_num: bufNum,
        stats_buf_size: bufSize,
      },
      { requiredKeys: [] },
    ),
  });

  it('dumpConfigYaml output loads back to the same config', () => {
    fc.assert(
      fc.property(config, (input) => {
        const parsed = tcprtConfigSchema.safeParse(input);
        fc.pre(parsed.success); // random rules may overlap; those configs are rejected elsewhere
        if (!parsed.success) return;
        expect(loadConfigYaml(dumpConfigYaml(parsed.data))).toEqual({
          ok: true,
          config: parsed.data,
        });
      }),
      { numRuns: 500 },
    );
  });
});
