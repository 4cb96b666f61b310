/*
 * IP address text as records carry it: dotted IPv4, or RFC 5952 IPv6 text, with IPv4-mapped
 * IPv6 (::ffff:a.b.c.d) always shown as plain IPv4 (SPEC §2).
 */

const IPV4_MAPPED_PREFIX = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff];

function isIpv4MappedBytes(bytes: ArrayLike<number>): boolean {
  return bytes.length === 16 && IPV4_MAPPED_PREFIX.every((b, i) => bytes[i] === b);
}

function formatIpv4(bytes: ArrayLike<number>, offset: number): string {
  return `${bytes[offset]}.${bytes[offset + 1]}.${bytes[offset + 2]}.${bytes[offset + 3]}`;
}

/** RFC 5952: lowercase hex, no leading zeros, the longest run (≥ 2) of zero groups becomes `::`. */
function formatIpv6(bytes: ArrayLike<number>): string {
  const groups = Array.from(
    { length: 8 },
    (_, i) => ((bytes[2 * i] ?? 0) << 8) | (bytes[2 * i + 1] ?? 0),
  );
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) [bestStart, bestLength] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/** Address text from 4 (IPv4) or 16 (IPv6) network-order bytes, as the kernel hands them over. */
export function ipFromBytes(bytes: ArrayLike<number>): string {
  if (bytes.length === 4) return formatIpv4(bytes, 0);
  if (bytes.length !== 16) throw new Error(`an IP address has 4 or 16 bytes, got ${bytes.length}`);
  return isIpv4MappedBytes(bytes) ? formatIpv4(bytes, 12) : formatIpv6(bytes);
}

function parseIpv4(text: string): number[] | null {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255))
    return null;
  return parts.map(Number);
}

/** `endsAddress`: only the address's last 32 bits may be written as dotted IPv4. */
function parseIpv6Groups(text: string, endsAddress: boolean): number[] | null {
  if (text === '') return [];
  const groups: number[] = [];
  const parts = text.split(':');
  for (const [i, part] of parts.entries()) {
    const v4 = endsAddress && i === parts.length - 1 && part.includes('.') ? parseIpv4(part) : null;
    if (v4) groups.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
    else if (/^[0-9a-f]{1,4}$/i.test(part)) groups.push(parseInt(part, 16));
    else return null;
  }
  return groups;
}

/** 4 or 16 bytes of an IPv4 or IPv6 address text, or null when the text is not an address. */
export function ipToBytes(text: string): number[] | null {
  if (!text.includes(':')) return parseIpv4(text);
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const head = parseIpv6Groups(halves[0]!, halves.length === 1);
  const tail = halves.length === 2 ? parseIpv6Groups(halves[1]!, true) : [];
  if (!head || !tail) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  return [...head, ...Array<number>(missing).fill(0), ...tail].flatMap((g) => [g >> 8, g & 0xff]);
}

export function isIpv4MappedIpv6(text: string): boolean {
  const bytes = ipToBytes(text);
  return bytes !== null && isIpv4MappedBytes(bytes);
}

/** Canonical text of an address (IPv4-mapped → IPv4, IPv6 per RFC 5952); throws on non-addresses. */
export function normalizeIp(text: string): string {
  const bytes = ipToBytes(text);
  if (!bytes) throw new Error(`not an IP address: "${text}"`);
  return ipFromBytes(bytes);
}
