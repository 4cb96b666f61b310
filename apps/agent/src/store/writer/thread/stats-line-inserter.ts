import type { StatsLine } from '@tcprt/schema';
import type { Db } from '../../database';

/** Keeps every stats line written to the raw stats file, column for column, so it can be re-printed. */
export class StatsLineInserter {
  private readonly insertMany;

  constructor(db: Db) {
    const insert = db.prepare(
      `INSERT INTO stats_lines (at_sec, port, peer, avg_total_us, avg_process_us, retrans_permille,
        avg_min_rtt_us, fail_permille, avg_bytes_sent, avg_upload_us, avg_bytes_received, count)
       VALUES (@timeSec, @port, @peer, @avgTotalUs, @avgProcessUs, @retransPermille, @avgMinRttUs,
        @failPermille, @avgBytesSent, @avgUploadUs, @avgBytesReceived, @count)`,
    );
    this.insertMany = db.transaction((lines: StatsLine[]) => {
      for (const line of lines) insert.run({ ...line, peer: line.peer ? 1 : 0 });
    });
  }

  add(lines: StatsLine[]): void {
    if (lines.length) this.insertMany(lines);
  }
}
