import { expect, test } from 'vitest';
import {
  readTaskFilters,
  toListInput,
  validateTaskFilters,
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

test('method, route and status live in the URL and reach the records query', () => {
  const filters = readTaskFilters(
    new URLSearchParams('method=GET&route=%2Fslow%2F%7Bn%7D&status=404&localPort=80'),
  );
  expect(filters).toMatchObject({ method: 'GET', route: '/slow/{n}', status: '404' });
  expect(validateTaskFilters(filters)).toEqual({});
  expect(toListInput(filters, range)).toMatchObject({
    method: 'GET',
    route: '/slow/{n}',
    status: 404,
  });

  const params = new URLSearchParams();
  writeTaskFilters(params, filters);
  expect(params.get('method')).toBe('GET');
  expect(params.get('route')).toBe('/slow/{n}');
  expect(params.get('status')).toBe('404');
  writeTaskFilters(params, { ...filters, method: '', route: ' ', status: '' });
  expect(['method', 'route', 'status'].filter((k) => params.has(k))).toEqual([]);
});

test('an unknown method means no method filter; a bad status or overlong route is refused at its field', () => {
  const filters = readTaskFilters(new URLSearchParams('method=BREW'));
  expect(filters.method).toBe('');
  expect(toListInput(filters, range).method).toBeUndefined();
  for (const status of ['42', '1000', '2xx', '40.4'])
    expect(validateTaskFilters({ ...filters, status }).status).toBe('a status code 100–999');
  expect(validateTaskFilters({ ...filters, route: `/${'a'.repeat(200)}` }).route).toBe(
    'at most 200 characters',
  );
  expect(validateTaskFilters({ ...filters, route: `/${'a'.repeat(199)}` }).route).toBeUndefined();
});
