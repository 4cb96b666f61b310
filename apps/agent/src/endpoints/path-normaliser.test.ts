import { describe, expect, it } from 'vitest';
import { normalisePath } from './path-normaliser';

describe('normalisePath', () => {
  it.each([
    ['/users/123', '/users/{n}'],
    ['/users/123/orders/7', '/users/{n}/orders/{n}'],
    ['/reports/2026-12-05', '/reports/{n}'],
    ['/pkg/1.2.3', '/pkg/{n}'],
    ['/items/0f8fad5b-d9cb-469f-a165-70867728950e', '/items/{uuid}'],
    ['/items/0F8FAD5B-D9CB-469F-A165-70867728950E/x', '/items/{uuid}/x'],
    ['/git/da39a3ee5e6b4b0d3255bfef95601890afd80709', '/git/{hex}'],
    ['/obj/507f1f77bcf86cd799439011', '/obj/{hex}'],
    ['/s/xK9fQ2mPz', '/s/{id}'],
    ['/img/12345.png', '/img/{n}.png'],
    ['/img/da39a3ee5e6b4b0d.jpeg', '/img/{hex}.jpeg'],
    // Kept: words, short versions, names with one digit, hex-looking words without a digit.
    ['/api/v2/users', '/api/v2/users'],
    ['/sha256/abc', '/sha256/abc'],
    ['/deadbeefcafebabe', '/deadbeefcafebabe'],
    ['/fast', '/fast'],
    ['/', '/'],
    ['/a//b/', '/a//b/'],
    ['/index.html', '/index.html'],
  ])('%s → %s', (path, route) => {
    expect(normalisePath(path, false)).toBe(route);
  });

  it('ends a cut path in * (its last segment is partial)', () => {
    expect(normalisePath('/users/123/ord', true)).toBe('/users/{n}/*');
    expect(normalisePath('/aaaaaaaa', true)).toBe('/*');
  });

  it('keeps only the path of absolute-form targets; authority-form and * have none', () => {
    expect(normalisePath('http://example.com/users/9', false)).toBe('/users/{n}');
    expect(normalisePath('http://example.com', false)).toBe('/');
    expect(normalisePath('example.com:443', false)).toBe('{authority}');
    expect(normalisePath('*', false)).toBe('*');
  });

  it('gives one route for many ids of the same shape', () => {
    const routes = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      routes.add(normalisePath(`/slow/${i}`, false));
      routes.add(normalisePath(`/u/${crypto.randomUUID()}/avatar`, false));
    }
    expect([...routes].sort()).toEqual(['/slow/{n}', '/u/{uuid}/avatar']);
  });
});
