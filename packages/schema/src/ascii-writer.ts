/** Below this an integer's digits come exactly from float division by 10 (the error stays far under 0.1). */
const EXACT_DIGITS_BELOW = 2 ** 48;
const ZERO = 48;
const INT32_MAX = 0x7fff_ffff;
/** ASCII is valid UTF-8: the platform decoder turns the bytes into a string in one native call. */
const decoder = new TextDecoder();

/**
 * A growable byte buffer that text is appended to as ASCII, numbers digit by digit. The agent
 * writes every record's log line into one of these: no string per line or per number, which
 * made formatting a line cost as much as decoding the record.
 */
export class AsciiWriter {
  bytes: Uint8Array;
  length = 0;

  constructor(initialBytes = 4096) {
    this.bytes = new Uint8Array(initialBytes);
  }

  private room(n: number): void {
    if (this.length + n <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.length + n));
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }

  /** Appends ASCII text (code units above 127 would be cut to their low byte). */
  text(s: string): void {
    this.room(s.length);
    const { bytes } = this;
    let at = this.length;
    for (let i = 0; i < s.length; i++) bytes[at++] = s.charCodeAt(i);
    this.length = at;
  }

  /** Appends a number as String(n) would write it. */
  number(n: number): void {
    if (n >= 0 && n <= INT32_MAX && (n | 0) === n) {
      this.int32(n);
      return;
    }
    if (!(n >= 0 && n < EXACT_DIGITS_BELOW && Number.isInteger(n))) {
      this.text(String(n));
      return;
    }
    let digits = 1;
    for (let rest = n; rest >= 10; rest = Math.floor(rest / 10)) digits++;
    this.room(digits);
    const { bytes } = this;
    for (let at = this.length + digits - 1, rest = n; at >= this.length; at--) {
      const next = Math.floor(rest / 10);
      bytes[at] = ZERO + rest - next * 10;
      rest = next;
    }
    this.length += digits;
  }

  /**
   * A non-negative int32 (most numbers of a log line): division by 10 in int32 arithmetic, which
   * the JIT turns into a multiplication, instead of float division and Math.floor.
   */
  private int32(n: number): void {
    let digits = 1;
    for (let rest = n; rest >= 10; rest = (rest / 10) | 0) digits++;
    this.room(digits);
    const { bytes } = this;
    for (let at = this.length + digits - 1, rest = n; at >= this.length; at--) {
      const next = (rest / 10) | 0;
      bytes[at] = ZERO + rest - next * 10;
      rest = next;
    }
    this.length += digits;
  }

  byte(code: number): void {
    this.room(1);
    this.bytes[this.length++] = code;
  }

  /** Appends bytes another writer holds. */
  append(from: Uint8Array): void {
    this.room(from.length);
    this.bytes.set(from, this.length);
    this.length += from.length;
  }

  /** What was written, as a string. */
  toString(from = 0, to = this.length): string {
    return decoder.decode(this.bytes.subarray(from, to));
  }
}
