import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';

/** Editors save in several steps (truncate, write, rename): wait for the file to settle. */
const WATCH_SETTLE_MS = 150;

/**
 * Calls `onChange` once a change to `file` has settled. Shared by `tcprt agent` and
 * `tcprt collect`. Watches the directory: an atomic save replaces the file's inode, which a watch
 * on the file itself would lose.
 */
export class ConfigFileWatcher {
  private watcher: FSWatcher | null = null;
  private settleTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly file: string,
    private readonly onChange: () => void,
  ) {}

  start(): void {
    const name = path.basename(this.file);
    this.watcher = watch(path.dirname(this.file), (_event, changed) => {
      if (changed !== null && changed !== name) return;
      this.changed();
    });
    // E.g. the directory removed: the last config keeps running; a later edit is not seen.
    this.watcher.on('error', (err) =>
      process.stderr.write(`tcprt: no longer watching ${this.file}: ${err.message}\n`),
    );
  }

  /** Treats the file as changed now (SIGHUP in `tcprt collect`). */
  changed(): void {
    if (this.settleTimer) clearTimeout(this.settleTimer);
    this.settleTimer = setTimeout(() => this.onChange(), WATCH_SETTLE_MS);
  }

  stop(): void {
    this.watcher?.close();
    this.watcher = null;
    if (this.settleTimer) clearTimeout(this.settleTimer);
  }
}
