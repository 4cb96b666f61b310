'use client';

// Changing configuration needs the agent's token (`<data-dir>/token`, root-only). The console
// never reads that file: the operator pastes the token once per browser session and it is sent
// as `Authorization: Bearer` on API calls. sessionStorage keeps it out of other tabs' lifetimes.

const KEY = 'tcprt.agentToken';
const TOKEN = /^[0-9a-f]{64}$/i;
const listeners = new Set<() => void>();

export function readAgentToken(): string | null {
  if (typeof window === 'undefined') return null;
  return window.sessionStorage.getItem(KEY);
}

export function isWellFormedToken(token: string): boolean {
  return TOKEN.test(token.trim());
}

export function saveAgentToken(token: string | null): void {
  if (token) window.sessionStorage.setItem(KEY, token.trim());
  else window.sessionStorage.removeItem(KEY);
  for (const l of listeners) l();
}

export function subscribeAgentToken(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
