'use client';

import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTRPC } from '@/lib/trpc';

const KEEP_LINES = 500;

/**
 * New log lines as the agent stores them: polls `records.tail` from the newest id known when
 * the view opened, so it shows only what arrives from now on.
 */
export function LiveTail({ startAfterId }: { startAfterId: number }) {
  const trpc = useTRPC();
  const [afterId, setAfterId] = useState(startAfterId);
  const [lines, setLines] = useState<{ id: number; line: string }[]>([]);
  const [paused, setPaused] = useState(false);
  const box = useRef<HTMLPreElement>(null);
  const tail = useQuery({
    ...trpc.records.tail.queryOptions({ afterId, limit: 500 }),
    refetchInterval: paused ? false : 1000,
    enabled: !paused,
  });

  useEffect(() => {
    const page = tail.data;
    if (!page || page.items.length === 0) return;
    setLines((old) =>
      [...old, ...page.items.map((r) => ({ id: r.id, line: r.line }))].slice(-KEEP_LINES),
    );
    setAfterId(page.lastId);
  }, [tail.data]);

  useEffect(() => {
    const el = box.current;
    if (el && !paused) el.scrollTop = el.scrollHeight;
  }, [lines, paused]);

  return (
    <section className="panel" aria-label="Live tail">
      <div className="panel-head">
        <h2>Live tail</h2>
        <div className="toolbar">
          <span className={`pill ${paused ? 'warn' : tail.isError ? 'bad' : 'ok'}`}>
            {paused ? 'paused' : tail.isError ? 'agent unreachable' : 'following'}
          </span>
          <button type="button" onClick={() => setPaused((p) => !p)}>
            {paused ? 'Resume' : 'Pause'}
          </button>
          <button type="button" onClick={() => setLines([])}>
            Clear
          </button>
        </div>
      </div>
      <pre
        ref={box}
        className="mono"
        data-testid="live-tail"
        style={{
          height: 320,
          overflow: 'auto',
          margin: 0,
          background: '#0d1117',
          color: '#c9d1d9',
          padding: 10,
          borderRadius: 4,
          fontSize: 12,
        }}
      >
        {lines.length === 0 ? (
          <span style={{ color: '#7d8590' }}>
            Waiting for new records… (records are written when a task ends: the next request or the
            close)
          </span>
        ) : (
          // Each line already ends with its newline, as in the raw file.
          lines.map((l) => l.line).join('')
        )}
      </pre>
      <p className="note">
        Keeps the latest {KEEP_LINES} lines. Lines are exactly as in the raw log file.
      </p>
    </section>
  );
}
