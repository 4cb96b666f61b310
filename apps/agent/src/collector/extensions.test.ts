import { describe, expect, it } from 'vitest';
import { extensionLetters, firstFrameSteps } from './extensions';

describe('extensionLetters', () => {
  it('maps bit 0..4 to C Z A H F, always in that order', () => {
    expect(extensionLetters(0)).toBe('');
    expect(extensionLetters(1)).toBe('C');
    expect(extensionLetters(0b01010)).toBe('ZH');
    expect(extensionLetters(0b10100)).toBe('AF');
    expect(extensionLetters(0b11111)).toBe('CZAHF');
  });

  it('ignores bits beyond the five letters', () => {
    expect(extensionLetters(0b100000 | 0b1000)).toBe('H');
  });
});

describe('firstFrameSteps', () => {
  it('keeps one token per configured step, in step order, skipping zero steps', () => {
    const slots = [
      { stepBytes: 100, bytes: 250, us: 40 },
      { stepBytes: 0, bytes: 0, us: 0 },
      { stepBytes: 2000, bytes: 65_000, us: 90 },
      { stepBytes: 20000, bytes: 0, us: 0 },
    ];
    expect(firstFrameSteps(slots)).toEqual([
      { bytes: 250, us: 40 },
      { bytes: 65_000, us: 90 },
      { bytes: 0, us: 0 },
    ]);
  });
});
