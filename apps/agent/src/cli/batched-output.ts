/**
 * Output lines produced in one turn of the event loop, written with one call. The loader hands
 * over records in bursts; one write per line (a syscall, and a wake-up of whoever reads the pipe)
 * cost more CPU than decoding and formatting the record itself.
 */
export interface BatchedOutput {
  push(line: string): void;
  /** Writes whatever is pending now (before exiting). */
  flush(): void;
}

export function batchedOutput(write: (text: string) => void): BatchedOutput {
  let pending: string[] = [];
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (pending.length === 0) return;
    const text = pending.join('');
    pending = [];
    write(text);
  };
  return {
    push(line) {
      pending.push(line);
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    flush,
  };
}
