import { describe, expect, it } from 'vitest';
import { AsciiWriter } from '../src/ascii-writer';

describe('AsciiWriter', () => {
  it('writes numbers exactly as String() does, at every digit count and past the int32 and digit-loop ranges', () => {
    const values = [
      0,
      7,
      9,
      10,
      99,
      100,
      65_535,
      2 ** 31 - 1,
      2 ** 31,
      2 ** 31 + 1,
      4_294_967_295,
      -0,
      -1,
      1_764_000_000_123_456,
      2 ** 48 - 1,
      2 ** 48,
      2 ** 53 - 1,
      1.5,
      1e21,
    ];
    for (let p = 1; p < 2 ** 53; p *= 10) values.push(p - 1, p, p + 1);
    const out = new AsciiWriter(4); // small, so writing has to grow it
    for (const v of values) {
      out.number(v);
      out.text(' ');
    }
    expect(out.toString()).toBe(values.map((v) => `${String(v)} `).join(''));
  });

  it('keeps what it holds when it grows, and reads back any range', () => {
    const out = new AsciiWriter(1);
    const text = 'V6 R 1 2 [2001:db8::1]:80 10.0.0.1:8080 \n'.repeat(300);
    out.text(text.slice(0, 5000));
    out.append(new TextEncoder().encode(text.slice(5000)));
    expect(out.length).toBe(text.length);
    expect(out.toString()).toBe(text);
    expect(out.toString(3, 9)).toBe(text.slice(3, 9));
  });
});
