import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { expect, it } from 'vitest';

/*
 * The loader answers every stdin command this package sends (collector.ts, rules-command.ts) from
 * one dispatcher (packages/bpf/src/loader/commands.c). Its check, built by the bpf Makefile, runs
 * that dispatcher with the kernel's rule maps stubbed: rule sets parsed, malformed lines refused
 * with their id, the lines-mode commands refused in frames mode, `print` text kept as it is.
 */
const CHECK = path.resolve(
  import.meta.dirname,
  '../../../../packages/bpf/build/tcprt-commands-check',
);

it('parses, dispatches and refuses loader commands as the protocol says', () => {
  const run = spawnSync(CHECK, { encoding: 'utf8' });
  expect(run.error).toBeUndefined();
  const lines = run.stdout.trim().split('\n');
  expect(lines.filter((line) => line.startsWith('FAILED'))).toEqual([]);
  expect(lines.filter((line) => line.startsWith('ok'))).toHaveLength(23);
  expect(lines.at(-1)).toBe('0 failed');
  expect(run.status).toBe(0);
});
