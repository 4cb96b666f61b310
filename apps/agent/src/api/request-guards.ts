import { isIP } from 'node:net';

/** Methods the API answers; anything else (TRACE, CONNECT, ...) is a 405, not a framework 500. */
export const API_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** JSON bodies nest at most this deep: the API's inputs need 4; deeper ones only cost recursion. */
export const MAX_JSON_DEPTH = 32;

/**
 * Whether a Host header names this agent. A browser page on a hostile DNS name that resolves to
 * 127.0.0.1 (DNS rebinding) sends its own name; IP literals and `localhost` cannot be rebound,
 * and other names must be configured (`--host-name`). No Host at all (HTTP/1.0 tools) is fine.
 */
export function isAllowedHost(hostHeader: string | undefined, names: readonly string[]): boolean {
  if (hostHeader === undefined || hostHeader === '') return true;
  let host: string;
  try {
    // The same parse the request's URL gets later (tRPC builds one from the Host header).
    const url = new URL(`http://${hostHeader}/`);
    if (url.username || url.password || url.host !== hostHeader.toLowerCase()) return false;
    host = url.hostname.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
  } catch {
    return false;
  }
  if (host === 'localhost' || host.endsWith('.localhost') || isIP(host) !== 0) return true;
  return names.some((name) => name.toLowerCase() === host);
}

/** True when JSON text opens more than `max` arrays/objects at once (strings are skipped). */
export function jsonNestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}
