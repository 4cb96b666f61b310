import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  HTTP_PATH_MAX_BYTES,
  loadConfigYaml,
  MAX_RANGE_RULES_PER_SIDE,
  MAX_RULES,
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

  it('refuses far too many rules at once, stopping at the first rule past the limit', () => {
    const flow = `per-port: [${Array.from({ length: 20_000 }, () => '{port: 1}').join(', ')}]\n`;
    const block = `global:\n  peer: true\nper-port:\n${singles(20_000)}`;
    const refusal = (text: string) => {
      const started = performance.now();
      const result = loadConfigYaml(text);
      const tookMs = performance.now() - started;
      return { problems: result.ok ? [] : result.problems.map(formatConfigProblem), tookMs };
    };
    const limits = 'the kernel holds at most 1280 (1024 single ports and 128 port ranges per side)';
    const flowRefused = refusal(flow);
    const blockRefused = refusal(block);
    expect(flowRefused.problems).toEqual([`line 1: per-port: more than 1280 rules, ${limits}`]);
    expect(blockRefused.problems).toEqual([`line 3: per-port: more than 1280 rules, ${limits}`]);
    console.log(
      `20,000 rules refused in ${flowRefused.tookMs.toFixed(1)} ms (flow), ${blockRefused.tookMs.toFixed(1)} ms (block)`,
    );
  });

  it('refuses a file too large for any config the kernel takes, with the line where it stopped', () => {
    // 1280 rules (the longest list allowed) with 20 unknown keys each: over the node budget.
    const keys = Array.from({ length: 20 }, (_, k) => `k${k}: 1`).join(', ');
    const text = `per-port:\n${Array.from({ length: MAX_RULES }, (_, i) => `  - {port: ${i + 1}, ${keys}}\n`).join('')}`;
    const result = loadConfigYaml(text);
    const problems = result.ok ? [] : result.problems.map(formatConfigProblem);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^line (\d+): more than \d+ YAML nodes: more than a config the kernel can take holds \(at most 1280 rules\)$/,
    );
    // It stopped partway, not at the end of the file.
    expect(Number(/^line (\d+)/.exec(problems[0]!)![1])).toBeLessThan(MAX_RULES);
  });

  it('keeps a line and field per problem for a config of the most rules with a typo in each', () => {
    const text = `per-port:\n${Array.from({ length: MAX_RULES }, (_, i) => `  - port: ${i + 1}\n    name: r${i}\n    peer: false\n    mode: http\n    first_frame: disable\n    tyop: 1\n`).join('')}`;
    const result = loadConfigYaml(text);
    const problems = result.ok ? [] : result.problems.map(formatConfigProblem);
    expect(problems[0]).toBe(
      'line 1: per-port: 1280 single-port rules, the kernel holds at most 1024',
    );
    expect(problems[1]).toMatch(/^line 7: per-port\[0\]\.tyop: unknown key/);
    expect(problems).toHaveLength(1 + MAX_RULES);
  });
});
