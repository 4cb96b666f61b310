import { describe, expect, it } from 'vitest';
import { ipFromBytes, ipToBytes, isIpv4MappedIpv6, normalizeIp } from '../src/index';

describe('IP address text', () => {
  it.each([
    [[127, 0, 0, 1], '127.0.0.1'],
    [[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], '::1'],
    [[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 168, 1, 2], '192.168.1.2'],
    [[0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1], '2001:db8::1:0:0:1'],
    [[0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1], '2001:db8:0:1:1:1:1:1'],
    [Array<number>(16).fill(0), '::'],
    [[0xfe, 0x80, ...Array<number>(13).fill(0), 0xab], 'fe80::ab'],
  ])('bytes %j print as %s (RFC 5952, mapped as IPv4)', (bytes, text) => {
    expect(ipFromBytes(bytes)).toBe(text);
    expect(normalizeIp(text)).toBe(text);
  });

  it('normalizes other spellings', () => {
    expect(normalizeIp('::FFFF:10.1.2.3')).toBe('10.1.2.3');
    expect(normalizeIp('0:0:0:0:0:ffff:a01:203')).toBe('10.1.2.3');
    expect(normalizeIp('2001:DB8:0:0:0:0:0:1')).toBe('2001:db8::1');
    expect(isIpv4MappedIpv6('::ffff:1.2.3.4')).toBe(true);
    expect(isIpv4MappedIpv6('::1.2.3.4')).toBe(false);
  });

  it.each([
    '1::2::3',
    '1.2.3',
    '01.2.3.4',
    '256.1.1.1',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7::8',
    ':1',
    'g::',
    '1.2.3.4::',
    '',
  ])('rejects %j', (text) => {
    expect(ipToBytes(text)).toBeNull();
    expect(() => normalizeIp(text)).toThrow(`not an IP address: "${text}"`);
  });

  it('rejects byte arrays of the wrong size', () => {
    expect(() => ipFromBytes([1, 2, 3])).toThrow('an IP address has 4 or 16 bytes, got 3');
  });
});
