import { describe, expect, it } from 'vitest';
import { configFromLegacy, dumpConfigYaml } from '../src/index';

describe('legacy tcp_rt.ko parameters', () => {
  it('translates every parameter one to one', () => {
    const result = configFromLegacy(
      'lports=80,3306 pports=6379 lports_range=1000,2000,3000,3100 pports_range=5000,5100 stats=1 stats_interval=30 log_buf_num=10 stats_buf_num=4',
    );
    if (!result.ok) throw new Error(result.problems.join('\n'));
    expect(dumpConfigYaml(result.config)).toBe(`global:
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
  - port: 6379
    peer: true
    mode: default
    first_frame: disable
  - port: "1000,2000"
    mode: default
    first_frame: disable
  - port: "3000,3100"
    mode: default
    first_frame: disable
  - port: "5000,5100"
    peer: true
    mode: default
    first_frame: disable
init:
  log_buf_num: 10
  log_buf_size: 262144
  stats_buf_num: 4
  stats_buf_size: 16384
`);
  });

  it('gives defaults for no parameters and stats=0 as disable', () => {
    const result = configFromLegacy('  stats=0  ');
    expect(result.ok && result.config.global.stats).toBe('disable');
    expect(result.ok && result.config['per-port']).toEqual([]);
  });

  it.each([
    ['lports=1,2,3,4,5,6,7', ['lports: at most 6 values, got 7']],
    ['lports_range=1000,2000,3000', ['lports_range: start,end pairs needed, got 3 values']],
    ['pports_range=1,2,3,4,5,6,7,8', ['pports_range: at most 6 values, got 8']],
    [
      'rports=80',
      [
        'unknown parameter "rports" (known: lports, pports, lports_range, pports_range, stats, stats_interval, log_buf_num, stats_buf_num)',
      ],
    ],
    ['lports=80,http', ['lports: not a number: "http"']],
    ['lports=-1', ['lports: not a number: "-1"']],
    ['stats_interval=', ['stats_interval: expected name=value, got "stats_interval="']],
    ['lports', ['lports: expected name=value, got "lports"']],
    ['stats=2', ['stats: expected 0 or 1, got 2']],
    ['stats_interval=0', ['stats_interval: expected a positive integer (seconds), got 0']],
    ['log_buf_num=1,2', ['log_buf_num: expects one value, got 2']],
    ['lports=80 lports=81', ['lports: given more than once']],
    ['lports=0', ['lports value 0: expected a port 1..65535, got 0']],
    ['pports=70000', ['pports value 70000: expected a port 1..65535, got 70000']],
    [
      'lports_range=2000,1000',
      ['lports_range range 2000,1000: range start must not exceed its end, got "2000,1000"'],
    ],
    ['lports=80,80', ['lports value 80: local port 80 duplicates per-port[0]']],
    [
      'lports=1,2,3,4,5,6,7 stats=yes foo=1',
      [
        'lports: at most 6 values, got 7',
        'stats: not a number: "yes"',
        'unknown parameter "foo" (known: lports, pports, lports_range, pports_range, stats, stats_interval, log_buf_num, stats_buf_num)',
      ],
    ],
  ])('refuses %j', (text, problems) => {
    expect(configFromLegacy(text)).toEqual({ ok: false, problems });
  });
});
