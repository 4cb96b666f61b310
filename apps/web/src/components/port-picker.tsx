'use client';

import type { Ports } from '@tcprt/schema';
import { useState, type FormEvent } from 'react';
import { portLabel, serviceDetail } from '@/lib/port-label';

/** The range's ports as buttons (labelled with their service), and a field for any other port. */
export function PortPicker({
  port,
  peer,
  known,
  onPick,
}: {
  port: number | null;
  peer: boolean;
  known: Ports['ports'];
  onPick: (port: number, peer: boolean) => void;
}) {
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<string | null>(null);
  function submit(e: FormEvent) {
    e.preventDefault();
    const n = Number(typed);
    if (!Number.isInteger(n) || n < 1 || n > 65535) return setError('a port 1–65535');
    setError(null);
    onPick(n, peer);
  }
  return (
    <div className="toolbar" role="group" aria-label="Port">
      <div className="segmented">
        {known.map((k) => (
          <button
            key={`${k.peer}-${k.port}`}
            type="button"
            aria-pressed={port === k.port && peer === k.peer}
            onClick={() => onPick(k.port, k.peer)}
            title={serviceDetail(k.service)}
          >
            {portLabel(k.port, k.peer, k.service)}
          </button>
        ))}
      </div>
      <form onSubmit={submit} className="toolbar">
        <input
          type="text"
          aria-label="Other port"
          placeholder="other port"
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          style={{ width: 90 }}
          aria-invalid={error ? true : undefined}
        />
        <button type="submit">Show</button>
        {error && <span className="field-error">{error}</span>}
      </form>
    </div>
  );
}
