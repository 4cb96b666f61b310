import { expect, test } from 'vitest';
import {
  peerGroupingOf,
  peerTasksHref,
  readTaskFilters,
  toListInput,
  writeTaskFilters,
} from '../../src/views/tasks/task-filters';

const range = { fromMs: 1_000, toMs: 2_000, cursor: undefined, limit: 100 };

test('the V7 extension filter lives in the URL and reaches the records query', () => {
  const filters = readTaskFilters(new URLSearchParams('ext=H&localPort=443'));
  expect(filters.extension).toBe('H');
  expect(toListInput(filters, range)).toMatchObject({ extension: 'H', localPort: 443 });

  const params = new URLSearchParams();
  writeTaskFilters(params, { ...filters, extension: 'F' });
  expect(params.get('ext')).toBe('F');
  writeTaskFilters(params, { ...filters, extension: '' });
  expect(params.has('ext')).toBe(false);
});

test('an unknown extension in a shared URL means no extension filter', () => {
  const filters = readTaskFilters(new URLSearchParams('ext=X'));
  expect(filters.extension).toBe('');
  expect(toListInput(filters, range).extension).toBeUndefined();
});

test('grouping by peer lives in the URL; a peer opens its own records, slowest first', () => {
  expect(peerGroupingOf(new URLSearchParams('kinds=R'))).toBeNull();
  expect(peerGroupingOf(new URLSearchParams('group=peer'))).toBe('slowest');
  expect(peerGroupingOf(new URLSearchParams('group=peer&peers=busiest'))).toBe('busiest');
  expect(peerGroupingOf(new URLSearchParams('group=peer&peers=nonsense'))).toBe('slowest');

  const href = peerTasksHref(
    new URLSearchParams('from=1&to=2&localPort=80&group=peer&peers=busiest&cursor=abc&asc=1'),
    '2001:db8::7',
  );
  const opened = new URLSearchParams(href.replace(/^\/tasks\?/, ''));
  expect(Object.fromEntries(opened)).toEqual({
    from: '1',
    to: '2',
    localPort: '80',
    peerAddr: '2001:db8::7',
    sort: 'total',
  });
  expect(readTaskFilters(opened)).toMatchObject({
    peerAddr: '2001:db8::7',
    sort: 'total',
    descending: true,
  });
});
