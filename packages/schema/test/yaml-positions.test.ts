import { describe, expect, it } from 'vitest';
import { loadYamlWithPositions, YamlBoundsError } from '../src/config/yaml-positions';

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
  const source = loadYamlWithPositions(text, { maxNodes: 1000, maxChildren: 100 });
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

describe('bounds: the parse stops at the first node past them', () => {
  const stopped = (text: string, maxNodes: number, maxChildren: number) => {
    try {
      loadYamlWithPositions(text, { maxNodes, maxChildren });
    } catch (err) {
      if (err instanceof YamlBoundsError) return { ...err };
      throw err;
    }
    return null;
  };
  const list = (n: number) => Array.from({ length: n }, (_, i) => `  - ${i}\n`).join('');

  it('names the top-level key of an over-full collection, with its line', () => {
    expect(stopped(`a: 1\nitems:\n${list(5)}`, 100, 4)).toEqual({
      bound: 'maxChildren',
      line: 2,
      topLevelKey: 'items',
    });
    expect(stopped(`a: 1\nitems:\n${list(4)}`, 100, 4)).toBeNull();
  });

  it('gives the line of a deeper or top-level over-full collection, without a key', () => {
    expect(stopped(`a:\n  b: [1, 2,\n    3, 4]\n`, 100, 3)).toEqual({
      bound: 'maxChildren',
      line: 2,
      topLevelKey: null,
    });
    expect(stopped(`- 1\n- 2\n- 3\n`, 100, 2)).toEqual({
      bound: 'maxChildren',
      line: 1,
      topLevelKey: null,
    });
  });

  it('stops at the node past the node budget', () => {
    // root mapping, then key/value pairs: the 6th node is the key on line 3.
    expect(stopped('a: 1\nb: 2\nc: 3\n', 5, 100)).toEqual({
      bound: 'maxNodes',
      line: 3,
      topLevelKey: null,
    });
    expect(stopped('a: 1\nb: 2\n', 5, 100)).toBeNull();
  });
});
