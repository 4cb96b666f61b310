import { randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, readFileSync } from 'node:fs';
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

/** Constant-time check of an `Authorization: Bearer <token>` header. */
export function hasToken(authorization: string | undefined, token: string): boolean {
  const match = /^Bearer ([0-9a-f]{64})$/i.exec(authorization?.trim() ?? '');
  if (!match?.[1]) return false;
  return timingSafeEqual(Buffer.from(match[1].toLowerCase()), Buffer.from(token));
}
