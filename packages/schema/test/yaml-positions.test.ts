import { describe, expect, it } from 'vitest';
import { loadYamlWithPositions } from '../src/config/yaml-positions';

// Every line number below was counted by hand in this text (1-based).
const text = `# comment
global:
  peer:
  stats: "x"
  first_frame_bytes: [100, 2000,
     20000, 0]
per-port:
  - port: 443
    mode: https

  -
    port: "56789,56800"
    mode:
      default
  - {port: 80, mode: http,
     peer: true}
  - ? port
    : 8080
  - &a
    port: 9
  - *a
  - port: 1
    first_frame: |
      abc
    mode: x
init:
`;

describe('YAML key path → line', () => {
  const source = loadYamlWithPositions(text);
  it.each([
    [['global'], 2],
    [['global', 'peer'], 3],
    [['global', 'stats'], 4],
    [['global', 'first_frame_bytes', 1], 5],
    [['global', 'first_frame_bytes', 2], 6],
    [['per-port', 0, 'mode'], 9],
    [['per-port', 1, 'port'], 12],
    [['per-port', 1, 'mode'], 13],
    [['per-port', 2, 'mode'], 15],
    [['per-port', 2, 'peer'], 16],
    [['per-port', 3, 'port'], 17],
    [['per-port', 4, 'port'], 20],
    [['per-port', 5, 'port'], 21],
    [['per-port', 6, 'mode'], 25],
    [['init'], 26],
  ] as [(string | number)[], number][])('%j is on line %i', (path, line) => {
    expect(source.lineOf(path)).toBe(line);
  });

  it('falls back to the closest existing node for paths that are not in the text', () => {
    expect(source.lineOf(['per-port', 6, 'peer'])).toBe(22);
    expect(source.lineOf(['per-port', 42])).toBe(7);
    expect(source.lineOf(['nothing'])).toBe(2); // where the document's content starts
  });
});
