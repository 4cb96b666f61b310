import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { expect, it } from 'vitest';

/*
 * The loader turns the kernel's ring samples (single entries and CPUs' batches of them: compact
 * task entries naming a connection, the connection identities, whole records) back into records,
 * holding each E until the batches have been flushed once more (packages/bpf/src/loader/ring_entry.c).
 * Its check, built by the bpf Makefile, runs that code against a plain-array reference and
 * hand-made entries; the kernel tests cover the same path end to end.
 */
const CHECK = path.resolve(import.meta.dirname, '../build/tcprt-ring-reader-check');

it("reads entries and batches back into records, an E after its connection's other records", () => {
  const run = spawnSync(CHECK, { encoding: 'utf8' });
  expect(run.error).toBeUndefined();
  const lines = run.stdout.trim().split('\n');
  expect(lines.filter((line) => line.startsWith('FAILED'))).toEqual([]);
  expect(lines.filter((line) => line.startsWith('ok'))).toHaveLength(14);
  expect(lines.at(-1)).toBe('0 failed');
  expect(run.status).toBe(0);
});
