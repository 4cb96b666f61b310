import { loadConfigYaml, type TcprtConfig } from '@tcprt/schema';
import { describe, expect, it } from 'vitest';
import { rulesCommand } from './rules-command';

function config(yaml: string): TcprtConfig {
  const loaded = loadConfigYaml(yaml);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
  return loaded.config;
}

describe('rulesCommand', () => {
  it('writes one token per rule in file order with side, ports, mode and first_frame', () => {
    const text = [
      'per-port:',
      '  - port: 443',
      '    mode: https',
      '    first_frame: enable',
      '  - port: "56789,56800"',
      '    peer: true',
      '  - port: 8080',
      '    mode: http',
    ].join('\n');
    expect(rulesCommand(7, config(text))).toBe(
      'rules 7 F0,0,0,0 L443:2:1 P56789-56800:0:0 L8080:1:0\n',
    );
  });

  it('lets the global peer default decide rules without their own peer key', () => {
    const text = [
      'global:',
      '  peer: true',
      'per-port:',
      '  - port: 3306',
      '  - port: 80',
      '    peer: false',
    ].join('\n');
    expect(rulesCommand(1, config(text))).toBe('rules 1 F0,0,0,0 P3306:0:0 L80:0:0\n');
  });

  it('sends an empty rule set for a config without rules', () => {
    expect(rulesCommand(2, config(''))).toBe('rules 2 F0,0,0,0\n');
  });

  it('passes global.first_frame_bytes as four steps, missing ones as 0', () => {
    const text = [
      'global:',
      '  first_frame_bytes: [100, 2000, 20000]',
      'per-port:',
      '  - port: 80',
    ];
    expect(rulesCommand(3, config(text.join('\n')))).toBe('rules 3 F100,2000,20000,0 L80:0:0\n');
  });
});
