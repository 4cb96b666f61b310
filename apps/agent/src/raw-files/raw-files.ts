import {
  writeLogLine,
  type InitConfig,
  type RawDownloadInput,
  type RawFilesInfo,
  type TcprtRecord,
} from '@tcprt/schema';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { BoundedRingFile } from './bounded-ring-file';
import { rawFileStream } from './raw-download';

const FLUSH_INTERVAL_MS = 100;

/** The raw log (SPEC §2 lines) and stats (SPEC §3 lines) files in `<data-dir>/raw`, bounded by `init`. */
export class RawFiles {
  private readonly log: BoundedRingFile;
  private readonly stats: BoundedRingFile;
  private readonly timer: NodeJS.Timeout;

  constructor(dataDir: string, init: InitConfig) {
    const dir = path.join(dataDir, 'raw');
    this.log = new BoundedRingFile(dir, 'tcprt.log', {
      segmentCount: init.log_buf_num,
      segmentBytes: init.log_buf_size,
    });
    this.stats = new BoundedRingFile(dir, 'tcprt.stats', {
      segmentCount: init.stats_buf_num,
      segmentBytes: init.stats_buf_size,
    });
    this.timer = setInterval(() => this.flush(), FLUSH_INTERVAL_MS);
    this.timer.unref();
  }

  setBounds(init: InitConfig): void {
    this.log.setBounds({ segmentCount: init.log_buf_num, segmentBytes: init.log_buf_size });
    this.stats.setBounds({ segmentCount: init.stats_buf_num, segmentBytes: init.stats_buf_size });
  }

  /** Appends the record's SPEC §2 line, written as bytes straight into the file's buffer. */
  appendRecord(record: TcprtRecord): void {
    this.log.appendWith(writeLogLine, record);
  }

  appendStatsLine(line: string): void {
    this.stats.append(line);
  }

  flush(): void {
    this.log.flush();
    this.stats.flush();
  }

  /** Lines dropped because they could not be written, and why the last write failed (if it did). */
  writeFailures(): { unwrittenLines: number; lastError: string | null } {
    return {
      unwrittenLines: this.log.unwrittenLines + this.stats.unwrittenLines,
      lastError: this.log.lastError ?? this.stats.lastError,
    };
  }

  info(): RawFilesInfo {
    return {
      log: { sizeBytes: this.log.sizeBytes(), boundBytes: this.log.boundBytes },
      stats: { sizeBytes: this.stats.sizeBytes(), boundBytes: this.stats.boundBytes },
    };
  }

  stream(input: RawDownloadInput): Readable {
    this.flush();
    const ring = input.file === 'log' ? this.log : this.stats;
    return rawFileStream(ring.segmentPaths(), input.file, input);
  }

  close(): void {
    clearInterval(this.timer);
    this.log.close();
    this.stats.close();
  }
}
