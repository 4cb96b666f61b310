/** What each V7 extension letter on an R record means (SPEC §2). */
const EXTENSION_MEANING: Record<string, string> = {
  C: 'Expect: 100-continue request and its interim 100 Continue (no application data)',
  Z: 'carried in TLS 1.3 0-RTT early data',
  A: 'contains a TLS close_notify alert',
  H: 'part of a TLS handshake',
  F: 'first-frame timing: ACK time of the first response bytes',
};

export function describeExtensions(letters: string): string[] {
  return [...letters].map((l) => `R.${l}: ${EXTENSION_MEANING[l] ?? 'unknown extension'}`);
}
