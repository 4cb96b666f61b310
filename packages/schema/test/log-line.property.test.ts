import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatLogLine, parseLogLine, tcprtRecordSchema } from '../src/index';
import { recordArbitrary } from './arbitraries';

describe('log line round trip over random records', () => {
  it('generated records are valid records', () => {
    fc.assert(
      fc.property(recordArbitrary, (record) => tcprtRecordSchema.safeParse(record).success),
    );
  });

  it('parse(format(r)) deep-equals r and format(parse(line)) === line', () => {
    fc.assert(
      fc.property(recordArbitrary, (record) => {
        const line = formatLogLine(record);
        expect(line.endsWith(' \n')).toBe(true);
        expect(parseLogLine(line)).toEqual(record);
        expect(formatLogLine(parseLogLine(line))).toBe(line);
      }),
      { numRuns: 2000 },
    );
  });

  it('any mutated line that still parses formats back to exactly itself', () => {
    const tokenText = fc.stringMatching(/^[0-9a-fA-FPRVWNE.:[\]-]{0,12}$/);
    fc.assert(
      fc.property(recordArbitrary, fc.nat(), tokenText, (record, at, replacement) => {
        const tokens = formatLogLine(record).slice(0, -2).split(' ');
        tokens[at % tokens.length] = replacement;
        const line = `${tokens.join(' ')} \n`;
        let parsed;
        try {
          parsed = parseLogLine(line);
        } catch {
          return;
        }
        expect(formatLogLine(parsed)).toBe(line);
      }),
      { numRuns: 3000 },
    );
  });
});
