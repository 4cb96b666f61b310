/** A token of a log or stats line that is not what its field needs; the message names the field. */
export class TokenError extends Error {}

/**
 * Unsigned decimal as the kernel prints it: no sign, no padding, so "007" is rejected (it would
 * not survive a format round trip). Values above 2^53 cannot be held exactly and are rejected.
 */
export function parseUnsignedToken(token: string, fieldName: string): number {
  if (!/^(0|[1-9]\d*)$/.test(token))
    throw new TokenError(`${fieldName}: not an unsigned integer: "${token}"`);
  const value = Number(token);
  if (!Number.isSafeInteger(value))
    throw new TokenError(`${fieldName}: larger than 2^53-1: "${token}"`);
  return value;
}
