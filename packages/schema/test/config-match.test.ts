import { describe, expect, it } from 'vitest';
import { matchRule, namedStatsPorts, tcprtConfigSchema, type TcprtConfigInput } from '../src/index';

const config = (input: TcprtConfigInput) => tcprtConfigSchema.parse(input);

describe('rule matching (SPEC §4 order)', () => {
  const rules = config({
    'per-port': [
      { port: '3000,4000', peer: true, mode: 'http' }, // 0: peer range
      { port: 3306, peer: true }, // 1: peer single
      { port: '80,90', mode: 'https' }, // 2: local range
      { port: 85, mode: 'http' }, // 3: local single inside the local range
      { port: 3500 }, // 4: local single
    ],
  });
  const match = (localPort: number, peerPort: number) => {
    const m = matchRule(rules, { localPort, peerPort });
    return m && { index: m.index, peer: m.peer, mode: m.rule.mode };
  };

  it('prefers local single ports, then local ranges, then peer single ports, then peer ranges', () => {
    expect(match(85, 3306)).toEqual({ index: 3, peer: false, mode: 'http' });
    expect(match(80, 3306)).toEqual({ index: 2, peer: false, mode: 'https' });
    expect(match(90, 3500)).toEqual({ index: 2, peer: false, mode: 'https' });
    expect(match(40000, 3306)).toEqual({ index: 1, peer: true, mode: 'default' });
    expect(match(40000, 3500)).toEqual({ index: 0, peer: true, mode: 'http' });
    expect(match(3500, 3500)).toEqual({ index: 4, peer: false, mode: 'default' });
  });

  it('includes both range ends and returns null when nothing matches', () => {
    expect(match(91, 3000)?.index).toBe(0);
    expect(match(91, 4000)?.index).toBe(0);
    expect(match(79, 4001)).toBeNull();
    expect(matchRule(config({}), { localPort: 80, peerPort: 80 })).toBeNull();
  });

  it('uses global peer for rules without their own peer', () => {
    const peerByDefault = config({
      global: { peer: true },
      'per-port': [{ port: 6379 }, { port: 80, peer: false }],
    });
    expect(matchRule(peerByDefault, { localPort: 6379, peerPort: 1 })).toBeNull();
    expect(matchRule(peerByDefault, { localPort: 1, peerPort: 6379 })?.peer).toBe(true);
    expect(matchRule(peerByDefault, { localPort: 80, peerPort: 1 })?.peer).toBe(false);
  });

  it('names single ports per side for stats', () => {
    expect(namedStatsPorts(rules)).toEqual({ local: [85, 3500], peer: [3306] });
  });
});
