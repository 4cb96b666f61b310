import { randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../config/atomic-write';
import { TOKEN_FILE } from '../defaults';

/** The agent's credential: created on first start in `<data-dir>/token`, readable only by its owner (root). */
export function loadOrCreateToken(dataDir: string): string {
  const file = path.join(dataDir, TOKEN_FILE);
  if (!existsSync(file)) writeFileAtomic(file, `${randomBytes(32).toString('hex')}\n`, 0o600);
  chmodSync(file, 0o600);
  const token = readFileSync(file, 'utf8').trim();
  if (!/^[0-9a-f]{64}$/.test(token))
    throw new Error(`${file} does not hold a token: delete it to have a new one made`);
  return token;
}

/**
 * The token as the file holds it now, re-read when the file changes: deleting the file revokes
 * the token at once (every protected call is refused), writing a new one rotates it.
 */
export class TokenFile {
  private cached: { ino: number; mtimeMs: number; size: number; token: string | null } | null =
    null;

  constructor(readonly file: string) {}

  current(): string | null {
    let stat;
    try {
      stat = statSync(this.file);
    } catch {
      return null;
    }
    const c = this.cached;
    if (c && c.ino === stat.ino && c.mtimeMs === stat.mtimeMs && c.size === stat.size)
      return c.token;
    let token: string | null = null;
    try {
      const text = readFileSync(this.file, 'utf8').trim();
      token = /^[0-9a-f]{64}$/.test(text) ? text : null;
    } catch {
      token = null;
    }
    this.cached = { ino: stat.ino, mtimeMs: stat.mtimeMs, size: stat.size, token };
    return token;
  }
}

/** Constant-time check of an `Authorization: Bearer <token>` header. */
export function hasToken(authorization: string | undefined, token: string | null): boolean {
  if (token === null) return false;
  const match = /^Bearer ([0-9a-f]{64})$/i.exec(authorization?.trim() ?? '');
  if (!match?.[1]) return false;
  return timingSafeEqual(Buffer.from(match[1].toLowerCase()), Buffer.from(token));
}
