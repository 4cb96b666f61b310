import { expect, test } from 'vitest';
import { requestLabel, requestPath, statusTone } from '../../src/lib/http-request';

const http = { method: 'GET' as const, route: '/slow/{n}', path: '/slow/42', pathTruncated: false };

test('a request reads as method and route; its path is kept as seen', () => {
  expect(requestLabel(http)).toBe('GET /slow/{n}');
  expect(requestPath(http)).toBe('/slow/42');
});

test('a truncated path is marked, an unprintable one says so', () => {
  expect(requestPath({ path: '/a/very/long', pathTruncated: true })).toBe('/a/very/long…');
  expect(requestPath({ path: '', pathTruncated: false })).toBe('(not printable)');
});

test('5xx reads as bad, 4xx as a warning, the rest plain', () => {
  expect(statusTone(503)).toBe('text-bad');
  expect(statusTone(500)).toBe('text-bad');
  expect(statusTone(404)).toBe('text-warn');
  expect(statusTone(200)).toBeUndefined();
  expect(statusTone(304)).toBeUndefined();
  expect(statusTone(null)).toBeUndefined();
});
