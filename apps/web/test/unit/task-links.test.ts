import { expect, test } from 'vitest';
import { bucketTasksHref } from '../../src/lib/bucket-tasks';
import { carriedQuery, withParams } from '../../src/lib/carried-query';
import { readTaskFilters, toListInput } from '../../src/views/tasks/task-filters';

test("an endpoint's route opens its R tasks in the window, slowest first", () => {
  const href = bucketTasksHref({
    port: 18701,
    peer: false,
    fromMs: 1_000.4,
    toMs: 61_000.2,
    request: { method: 'GET', route: '/slow/{n}' },
  });
  const [path, query] = href.split('?');
  expect(path).toBe('/tasks');
  const params = new URLSearchParams(query);
  expect(Object.fromEntries(params)).toEqual({
    from: '1000',
    to: '61001',
    localPort: '18701',
    kinds: 'R',
    sort: 'total',
    method: 'GET',
    route: '/slow/{n}',
  });
  // The Tasks page reads exactly that filter back, newest-first off, slowest first.
  const filters = readTaskFilters(params);
  expect(
    toListInput(filters, { fromMs: 1000, toMs: 61001, cursor: undefined, limit: 100 }),
  ).toMatchObject({
    localPort: 18701,
    kinds: 'R',
    method: 'GET',
    route: '/slow/{n}',
    sort: 'total',
    order: 'desc',
  });
});

test('a bucket link without a request has no request filter', () => {
  const href = bucketTasksHref({ port: 80, peer: true, fromMs: 0, toMs: 10_000 });
  expect(href).toBe('/tasks?from=0&to=10000&peerPort=80&kinds=P&sort=total');
});

test('withParams adds to a carried query or starts one', () => {
  const carried = carriedQuery(new URLSearchParams('range=1h&sort=p99&refresh=off'));
  expect(carried).toBe('?range=1h&refresh=off');
  expect(withParams(`/endpoints${carried}`, { port: '80' })).toBe(
    '/endpoints?range=1h&refresh=off&port=80',
  );
  expect(withParams('/endpoints', { port: '80' })).toBe('/endpoints?port=80');
  expect(withParams('/endpoints?port=1', { port: '80' })).toBe('/endpoints?port=80');
});
