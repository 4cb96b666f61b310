import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';

/** Which field of a line holds its time in seconds: log lines `V6 R <sec> …`, stats lines `<sec> all …`. */
export type LineTimeField = 'log' | 'stats';

function lineSec(line: string, kind: LineTimeField): number {
  const fields = line.split(' ', 3);
  return Number(kind === 'log' ? fields[2] : fields[0]);
}

async function* readSegments(paths: string[]): AsyncGenerator<string> {
  for (const p of paths) {
    const input = createReadStream(p, { encoding: 'utf8' });
    // A segment rotated away since the listing simply contributes nothing.
    const lines = createInterface({ input, crlfDelay: Infinity });
    input.on('error', () => lines.close());
    for await (const line of lines) yield line;
  }
}

/**
 * The raw file's lines, oldest first, as a stream of text; with a window only lines whose time
 * (whole seconds) falls in [fromMs, toMs] are included.
 */
export function rawFileStream(
  segmentPaths: string[],
  kind: LineTimeField,
  window: { fromMs?: number | undefined; toMs?: number | undefined },
): Readable {
  const fromSec = window.fromMs === undefined ? -Infinity : Math.floor(window.fromMs / 1000);
  const toSec = window.toMs === undefined ? Infinity : Math.floor(window.toMs / 1000);
  async function* filtered(): AsyncGenerator<string> {
    for await (const line of readSegments(segmentPaths)) {
      if (!line) continue;
      const sec = lineSec(line, kind);
      if (sec >= fromSec && sec <= toSec) yield `${line}\n`;
    }
  }
  return Readable.from(filtered());
}
