import { expect, test } from 'vitest';
import { readTaskFilters, toListInput, writeTaskFilters } from '../../src/views/tasks/task-filters';

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
