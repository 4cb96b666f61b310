import { AsciiWriter } from '@tcprt/schema';
import {
  closeSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  readSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';

function writeText(out: AsciiWriter, text: string): void {
  out.text(text);
}

/** How far back from a segment's end a torn line's start is looked for (lines are far shorter). */
const TORN_TAIL_SEARCH_BYTES = 64 * 1024;

/**
 * Cuts a segment back to its last whole line and returns its size. A kill -9 can stop a large
 * write() midway (the kernel checks for a fatal signal between pages), leaving the file mid-line;
 * the next lines must not be glued to that piece.
 */
function cutTornTail(file: string): number {
  const size = statSync(file).size;
  if (size === 0) return 0;
  const fd = openSync(file, 'r+');
  try {
    const length = Math.min(size, TORN_TAIL_SEARCH_BYTES);
    const tail = Buffer.alloc(length);
    readSync(fd, tail, 0, length, size - length);
    if (tail[length - 1] === 0x0a) return size;
    const whole = size - length + tail.lastIndexOf(0x0a) + 1;
    ftruncateSync(fd, whole);
    return whole;
  } finally {
    closeSync(fd);
  }
}

export interface RingBounds {
  segmentCount: number;
  segmentBytes: number;
}

/**
 * A text file kept as numbered segments (`<name>.000001`, …) of at most `segmentBytes` each, at
 * most `segmentCount` of them: when a new segment starts, the oldest is deleted first — the
 * sub-buffers of SPEC §4 `init`. Lines are buffered and written on `flush()`.
 */
export class BoundedRingFile {
  private segments: number[];
  private currentBytes: number;
  /** Bytes of the lines waiting for flush(): lines are written straight into it, never built as strings. */
  private readonly pending = new AsciiWriter(64 * 1024);
  private pendingLines = 0;
  private fd: number | null = null;
  /** Lines that could not be written (disk full, I/O error) and were dropped, since start. */
  unwrittenLines = 0;
  /** Why the last write failed, or null when the last write succeeded. */
  lastError: string | null = null;

  constructor(
    private readonly dir: string,
    private readonly name: string,
    private bounds: RingBounds,
  ) {
    mkdirSync(dir, { recursive: true });
    this.segments = this.existingSegments();
    const last = this.segments.at(-1);
    this.currentBytes = last === undefined ? 0 : cutTornTail(this.segmentPath(last));
  }

  private existingSegments(): number[] {
    const pattern = new RegExp(`^${this.name.replace(/\./g, '\\.')}\\.(\\d{6,})$`);
    return readdirSync(this.dir)
      .map((f) => pattern.exec(f)?.[1])
      .filter((n): n is string => n !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
  }

  private segmentPath(n: number): string {
    return path.join(this.dir, `${this.name}.${String(n).padStart(6, '0')}`);
  }

  /** Segment files, oldest first. */
  segmentPaths(): string[] {
    return this.segments.map((n) => this.segmentPath(n));
  }

  get boundBytes(): number {
    return this.bounds.segmentCount * this.bounds.segmentBytes;
  }

  setBounds(bounds: RingBounds): void {
    this.flush();
    this.bounds = bounds;
    this.dropOldest(bounds.segmentCount);
  }

  /** Appends one ASCII line (with its newline). A line longer than a segment is cut to fit. */
  append(line: string): void {
    this.appendWith(writeText, line);
  }

  /**
   * Appends the one line `write` writes for `item` (with its newline), e.g. a record's log line
   * written as bytes. A static writer and its item rather than a closure: no allocation per line.
   */
  appendWith<T>(write: (out: AsciiWriter, item: T) => void, item: T): void {
    const out = this.pending;
    const start = out.length;
    write(out, item);
    const lineBytes = Math.min(out.length - start, this.bounds.segmentBytes);
    out.length = start + lineBytes;
    if (this.segments.length === 0 || this.currentBytes + lineBytes > this.bounds.segmentBytes) {
      // The line opens a new segment: what was pending before it belongs to the current one.
      const line = out.bytes.slice(start, start + lineBytes);
      out.length = start;
      this.startSegment();
      out.append(line);
    }
    this.currentBytes += lineBytes;
    this.pendingLines++;
  }

  private startSegment(): void {
    this.flush();
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    const next = (this.segments.at(-1) ?? 0) + 1;
    // Drop before creating so the files on disk never exceed the bound, not even for a moment.
    this.dropOldest(this.bounds.segmentCount - 1);
    this.segments.push(next);
    this.currentBytes = 0;
  }

  private dropOldest(keep: number): void {
    while (this.segments.length > Math.max(0, keep)) {
      const oldest = this.segments.shift();
      if (oldest === undefined) continue;
      try {
        unlinkSync(this.segmentPath(oldest));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
  }

  /**
   * Writes the pending lines. When they cannot all be written (a full disk), the segment is cut
   * back to its last whole line and the pending lines are dropped and counted: the file never
   * ends mid-line, memory never grows, and the next flush tries again.
   */
  flush(): void {
    if (this.pending.length === 0) return;
    const last = this.segments.at(-1);
    if (last === undefined) return;
    const bytes = this.pending.length;
    const lines = this.pendingLines;
    this.pending.length = 0;
    this.pendingLines = 0;
    const wholeBytes = this.currentBytes - bytes;
    let written = 0;
    try {
      this.fd ??= openSync(this.segmentPath(last), 'a');
      while (written < bytes)
        written += writeSync(this.fd, this.pending.bytes, written, bytes - written);
      this.lastError = null;
    } catch (err) {
      this.currentBytes = wholeBytes;
      if (written > 0 && this.fd !== null) {
        try {
          ftruncateSync(this.fd, wholeBytes);
        } catch {
          // The torn tail stays: the next line goes to a new segment, never after it.
          this.currentBytes = this.bounds.segmentBytes;
        }
      }
      this.unwrittenLines += lines;
      this.lastError = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    }
  }

  /** Bytes on disk plus bytes waiting to be written. */
  sizeBytes(): number {
    let total = 0;
    for (const p of this.segmentPaths()) {
      try {
        total += statSync(p).size;
      } catch {
        // a segment deleted by rotation between listing and stat
      }
    }
    return total + this.pending.length;
  }

  close(): void {
    this.flush();
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}
