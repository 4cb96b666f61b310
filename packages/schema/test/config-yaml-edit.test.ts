import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  dumpConfigYaml,
  editConfigYaml,
  loadConfigYaml,
  tcprtConfigSchema,
  type TcprtConfig,
} from '../src/index';

const COMMENTED = `# tcprt on db-7: owned by the storage team
global:
  # peer ports for the redis clients below
  peer: false
  stats: disable # we scrape /metrics instead
  stats_interval: 60
  first_frame_bytes: []

per-port:
  # the web front (nginx)
  - port: 80
    mode: http # keep-alive, HTTP/1.1
  # session cache, client side
  - port: 6379
    peer: true
  # MariaDB: only the default split
  - port: 3306

# raw files
init:
  log_buf_num: 8 # 2 MiB in all
`;

function loaded(text: string): TcprtConfig {
  const result = loadConfigYaml(text);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.config;
}

function edit(text: string, change: (config: TcprtConfig) => void): string {
  const before = loaded(text);
  const after = structuredClone(before);
  change(after);
  const edited = editConfigYaml(text, before, after);
  expect(loaded(edited)).toEqual(after);
  return edited;
}

const commentsOf = (text: string) => text.match(/#.*$/gm) ?? [];

describe('editConfigYaml', () => {
  it('changes a global value in place, keeping every comment and the untouched lines', () => {
    const edited = edit(COMMENTED, (config) => {
      config.global.stats = 'enable';
    });
    expect(edited).toBe(COMMENTED.replace('stats: disable # we', 'stats: enable # we'));
  });

  it('adds a rule at the end without spelling out the defaults of the others', () => {
    const edited = edit(COMMENTED, (config) => {
      config['per-port'].push({ port: '8000,8100', mode: 'default', first_frame: 'disable' });
    });
    expect(commentsOf(edited)).toEqual(commentsOf(COMMENTED));
    expect(edited).toContain(`  - port: 3306\n  - port: "8000,8100"\n    mode: default\n`);
    // MariaDB's rule still leaves mode and first_frame to their defaults.
    expect(edited.match(/mode:/g)).toHaveLength(2);
  });

  it('removes a rule with its own comment and keeps the comments of the others', () => {
    const edited = edit(COMMENTED, (config) => {
      config['per-port'].splice(1, 1);
    });
    expect(commentsOf(edited)).toEqual(
      commentsOf(COMMENTED).filter((comment) => comment !== '# session cache, client side'),
    );
    expect(edited).toContain(
      '  # the web front (nginx)\n  - port: 80\n    mode: http # keep-alive',
    );
    expect(edited).toContain('  # MariaDB: only the default split\n  - port: 3306\n');
  });

  it('edits a rule in place: its comment stays, a changed key is rewritten, a dropped key goes', () => {
    const edited = edit(COMMENTED, (config) => {
      const [web, cache] = config['per-port'];
      if (!web || !cache) throw new Error('the file has three rules');
      web.mode = 'https';
      web.name = 'true';
      delete cache.peer;
    });
    expect(edited).toContain(
      '  # the web front (nginx)\n  - port: 80\n    mode: https # keep-alive',
    );
    // A name that would load as another type is quoted.
    expect(edited).toContain('    name: "true"\n');
    expect(edited).toContain('  # session cache, client side\n  - port: 6379\n  # MariaDB');
  });

  it('turns an empty `per-port: []` into a block list when a rule is added', () => {
    const text = '# nothing yet\nper-port: [] # add rules below\n';
    const edited = edit(text, (config) => {
      config['per-port'].push({ port: 443, mode: 'https', first_frame: 'disable' });
    });
    expect(edited).toBe(
      '# nothing yet\nper-port:\n  # add rules below\n  - port: 443\n    mode: https\n    first_frame: disable\n',
    );
  });

  it('keeps a list of numbers on one line', () => {
    const edited = edit(COMMENTED, (config) => {
      config.global.first_frame_bytes = [1024, 65536];
    });
    expect(edited).toContain('  first_frame_bytes: [1024, 65536]\n');
  });

  it('writes a key into a section the file leaves out', () => {
    const edited = edit('# only rules here\nper-port: []\n', (config) => {
      config.init.log_buf_num = 4;
    });
    expect(edited).toContain('# only rules here\n');
    expect(edited).toContain('init:\n  log_buf_num: 4\n');
  });

  it('falls back to the plain dump when the running text is not the running config', () => {
    const before = loaded('');
    const after = { ...before, global: { ...before.global, stats: 'enable' as const } };
    // The agent runs the defaults while this rejected file sits on disk.
    expect(editConfigYaml('global: [unclosed\n', before, after)).toBe(dumpConfigYaml(after));
    expect(editConfigYaml('global:\n  stats: disable\n  bogus: 1\n', before, after)).toBe(
      dumpConfigYaml(after),
    );
  });

  it('any change of the rules loads back as that change, with the comments outside the rules kept', () => {
    const before = loaded(COMMENTED);
    const rule = fc.record(
      {
        port: fc.integer({ min: 10_000, max: 60_000 }),
        mode: fc.constantFrom('default', 'http', 'https'),
        first_frame: fc.constantFrom('enable', 'disable'),
        peer: fc.boolean(),
        name: fc.constantFrom('web', 'true', '08', 'null', 'a: b', '# no comment', '"q"', 'ünï'),
      },
      { requiredKeys: ['port', 'mode', 'first_frame'] },
    );
    const kept = commentsOf(COMMENTED).filter((c) => !/front|cache|MariaDB|keep-alive/.test(c));
    fc.assert(
      fc.property(
        fc.subarray([0, 1, 2]),
        fc.uniqueArray(rule, { selector: (r) => r.port, maxLength: 4 }),
        fc.constantFrom('enable', 'disable'),
        (keptRules, added, stats) => {
          const after = structuredClone(before);
          after['per-port'] = [
            ...keptRules.map((i) => before['per-port'][i]!),
            ...added,
          ] as TcprtConfig['per-port'];
          after.global.stats = stats;
          fc.pre(tcprtConfigSchema.safeParse(after).success);
          const edited = editConfigYaml(COMMENTED, before, after);
          expect(loaded(edited)).toEqual(after);
          expect(commentsOf(edited)).toEqual(expect.arrayContaining(kept));
        },
      ),
      { numRuns: 300 },
    );
  });
});
