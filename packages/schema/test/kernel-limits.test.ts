import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  HTTP_PATH_MAX_BYTES,
  loadConfigYaml,
  MAX_RANGE_RULES_PER_SIDE,
  MAX_SINGLE_PORT_RULES,
  formatConfigProblem,
} from '../src/index';

const header = readFileSync(join(import.meta.dirname, '../../bpf/src/tcprt.h'), 'utf8');
function defined(name: string): number {
  const match = new RegExp(`^#define ${name} (\\d+)\\b`, 'm').exec(header);
  if (!match) throw new Error(`${name} is not #defined as a number in tcprt.h`);
  return Number(match[1]);
}

it('HTTP_PATH_MAX_BYTES is the path the kernel keeps per task (tcprt.h)', () => {
  expect(HTTP_PATH_MAX_BYTES).toBe(defined('TCPRT_HTTP_PATH_MAX'));
});

describe('rule limits: the schema checks what the kernel maps hold', () => {
  it('match tcprt.h', () => {
    expect(MAX_SINGLE_PORT_RULES).toBe(defined('TCPRT_MAX_PORT_RULES'));
    expect(MAX_RANGE_RULES_PER_SIDE).toBe(defined('TCPRT_MAX_RANGE_RULES'));
  });

  const singles = (n: number, from = 1) =>
    Array.from({ length: n }, (_, i) => `  - port: ${from + i}\n`).join('');
  const ranges = (n: number, peer: boolean) =>
    Array.from(
      { length: n },
      (_, i) => `  - port: "${10000 + i * 10},${10000 + i * 10 + 5}"\n    peer: ${peer}\n`,
    ).join('');

  it('accepts exactly the limits', () => {
    const text = `per-port:\n${singles(MAX_SINGLE_PORT_RULES)}${ranges(MAX_RANGE_RULES_PER_SIDE, false)}${ranges(MAX_RANGE_RULES_PER_SIDE, true)}`;
    const result = loadConfigYaml(text);
    expect(result.ok ? [] : result.problems.map(formatConfigProblem)).toEqual([]);
  });

  it('refuses one single-port rule more, with the line of per-port', () => {
    const result = loadConfigYaml(`global:\n  peer: false\nper-port:\n${singles(1025)}`);
    expect(result.ok ? [] : result.problems.map(formatConfigProblem)).toEqual([
      'line 3: per-port: 1025 single-port rules, the kernel holds at most 1024',
    ]);
  });

  it('refuses one range more on one side', () => {
    const result = loadConfigYaml(`per-port:\n${ranges(129, true)}`);
    expect(result.ok ? [] : result.problems.map(formatConfigProblem)).toEqual([
      'line 1: per-port: 129 peer port ranges, the kernel holds at most 128',
    ]);
  });

  it('refuses far too many rules at once, without checking them one by one', () => {
    const text = `per-port: [${Array.from({ length: 20_000 }, () => '{port: 1}').join(', ')}]\n`;
    const started = performance.now();
    const result = loadConfigYaml(text);
    const tookMs = performance.now() - started;
    expect(result.ok ? [] : result.problems.map(formatConfigProblem)).toEqual([
      'line 1: per-port: 20000 rules, the kernel holds at most 1280 (1024 single ports and 128 port ranges per side)',
    ]);
    console.log(`20,000 rules refused in ${tookMs.toFixed(0)} ms`);
  });
});
