'use client';

import { useId, useState, useSyncExternalStore } from 'react';
import {
  isWellFormedToken,
  readAgentToken,
  saveAgentToken,
  subscribeAgentToken,
} from '@/lib/agent-token';

/** Whether the operator has given the agent's token in this browser session. */
export function useHasAgentToken(): boolean {
  return useSyncExternalStore(
    subscribeAgentToken,
    () => readAgentToken() !== null,
    () => false,
  );
}

export function TokenField() {
  const hasToken = useHasAgentToken();
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  if (hasToken) {
    return (
      <div className="toolbar small">
        <span className="pill ok">Agent token set for this session</span>
        <button type="button" onClick={() => saveAgentToken(null)}>
          Forget token
        </button>
      </div>
    );
  }
  return (
    <form
      className="toolbar"
      aria-label="Agent token"
      onSubmit={(e) => {
        e.preventDefault();
        if (!isWellFormedToken(value)) return setError('64 hex characters, as in <data-dir>/token');
        setError(null);
        saveAgentToken(value);
        setValue('');
      }}
    >
      <label className="field" htmlFor={id}>
        Agent token{' '}
        <span className="hint">
          changes need it: sudo cat /var/lib/tcprt/token (or &lt;data-dir&gt;/token)
        </span>
        <input
          id={id}
          type="password"
          autoComplete="off"
          value={value}
          onChange={(e) => setValue(e.target.value)}
          style={{ width: 420 }}
          aria-invalid={error ? true : undefined}
        />
      </label>
      <button type="submit" style={{ alignSelf: 'flex-end' }}>
        Use token
      </button>
      {error && <span className="field-error">{error}</span>}
    </form>
  );
}
