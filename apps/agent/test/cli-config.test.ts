import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { brokenConfigFiles } from './fixtures/broken-config-files';
import { makeTempDir } from '@tcprt/testkit/tempDir';

// Runs the real CLI (bin/tcprt through tsx) over the schema package's config fixtures.
const tcprt = join(import.meta.dirname, '../bin/tcprt');
const fixtures = join(import.meta.dirname, '../../../packages/schema/test/fixtures/config');
const yamlFiles = (dir: string) =>
  readdirSync(join(fixtures, dir)).filter(
    (f) => f.endsWith('.yaml') && !f.endsWith('.normalized.yaml'),
  );

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(args: string[], cwd = fixtures): Promise<Run> {
  try {
    const { stdout, stderr } = await promisify(execFile)(tcprt, args, {
      cwd,
      env: { ...process.env, INIT_CWD: cwd },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const failed = err as { code?: unknown; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number') throw err;
    return { code: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

// Each run starts node + tsx (about 1.5 s): run several at once.
describe.concurrent('tcprt config validate', () => {
  it.each(yamlFiles('good'))('accepts good/%s and prints it normalized', async (file) => {
    const result = await run(['config', 'validate', join('good', file)]);
    expect(result).toEqual({
      code: 0,
      stdout: readFileSync(
        join(fixtures, 'good', file.replace(/\.yaml$/, '.normalized.yaml')),
        'utf8',
      ),
      stderr: '',
    });
  });

  it.each(yamlFiles('bad'))('rejects bad/%s with every problem, line and field', async (file) => {
    const path = join('bad', file);
    const problems = readFileSync(join(fixtures, 'bad', file.replace(/\.yaml$/, '.errors')), 'utf8')
      .trimEnd()
      .split('\n');
    const result = await run(['config', 'validate', path]);
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr: problems.map((p) => `${path}: ${p}\n`).join(''),
    });
  });

  it('reports a file that cannot be read', async () => {
    const result = await run(['config', 'validate', 'no-such-file.yaml']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^no-such-file\.yaml: cannot read: ENOENT/);
  });

  it('refuses a missing file argument or an unknown subcommand with usage (exit 2)', async () => {
    const missing = await run(['config', 'validate']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('validate takes exactly one FILE');
    const unknown = await run(['config', 'frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown subcommand 'frobnicate'");
    expect(unknown.stderr).toContain('tcprt config from-legacy');
  });
});

describe.concurrent('tcprt config from-legacy', () => {
  it('prints the equivalent tcprt.yaml, which validates', async () => {
    const result = await run([
      'config',
      'from-legacy',
      'lports=80,3306 pports_range=6000,6010 stats=1 stats_interval=30',
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`global:
  peer: false
  stats: enable
  stats_interval: 30
  first_frame_bytes: []
per-port:
  - port: 80
    mode: default
    first_frame: disable
  - port: 3306
    mode: default
    first_frame: disable
  - port: "6000,6010"
    peer: true
    mode: default
    first_frame: disable
init:
  log_buf_num: 8
  log_buf_size: 262144
  stats_buf_num: 8
  stats_buf_size: 16384
`);
  });

  it('exits 1 with every reason on parameters the module refused', async () => {
    const result = await run([
      'config',
      'from-legacy',
      'lports=1,2,3,4,5,6,7',
      'lports_range=1,2,3',
    ]);
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'tcprt config from-legacy: lports: at most 6 values, got 7\n' +
        'tcprt config from-legacy: lports_range: start,end pairs needed, got 3 values\n',
    });
  });
});

describe.concurrent('tcprt config validate: files that are broken as files', () => {
  it.each(brokenConfigFiles)('refuses $name', async ({ put, reason }) => {
    const dir = await makeTempDir('validate');
    const file = join(dir.path, 'tcprt.yaml');
    put(file);
    const result = await run(['config', 'validate', file]);
    await dir.remove();
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(reason);
    expect(result.stderr.length).toBeLessThan(300);
  });
});
