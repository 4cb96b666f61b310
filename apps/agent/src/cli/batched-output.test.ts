import { describe, expect, it } from 'vitest';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { batchedOutput } from './batched-output';

describe('batchedOutput', () => {
  it('writes the lines of one event-loop turn with one call, in order', async () => {
    const writes: string[] = [];
    const out = batchedOutput((text) => writes.push(text));
    out.push('a\n');
    out.push('b\n');
    expect(writes).toEqual([]);
    await nextTurn();
    out.push('c\n');
    await nextTurn();
    expect(writes).toEqual(['a\nb\n', 'c\n']);
  });

  it('flush writes pending lines at once and leaves nothing for the scheduled write', async () => {
    const writes: string[] = [];
    const out = batchedOutput((text) => writes.push(text));
    out.push('last\n');
    out.flush();
    expect(writes).toEqual(['last\n']);
    await nextTurn();
    expect(writes).toEqual(['last\n']);
  });
});
