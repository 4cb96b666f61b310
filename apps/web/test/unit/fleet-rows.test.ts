import { expect, test } from 'vitest';
import {
  fleetQuery,
  fleetRows,
  hostConsoleUrl,
  parseFleetParams,
  selectFleetRows,
  type VectorSample,
} from '../../src/lib/fleet/fleet-rows';

const series = (instance: string, port: string, value: number): VectorSample => ({
  metric: { instance, port, side: 'local' },
  value,
});

const rows = fleetRows({
  rate: [series('a:7071', '80', 10), series('b:7071', '80', 2), series('b:7071', '443', 5)],
  p50_total: [series('a:7071', '80', 0.2), series('b:7071', '80', 0.01)],
  p99_process: [series('a:7071', '80', 0.5), series('b:7071', '80', NaN)],
  failure: [series('b:7071', '443', 0.25)],
  lost: [{ metric: { instance: 'b:7071' }, value: 3 }],
});

test('joins the query results into one row per instance, port and side', () => {
  expect(rows).toHaveLength(3);
  const a = rows.find((r) => r.instance === 'a:7071')!;
  expect(a.requestsPerSec).toBe(10);
  expect(a.p50.total).toBe(0.2);
  expect(a.p99.process).toBe(0.5);
  expect(a.p50.upload).toBeNull();
  expect(a.lostRecords).toBeNull();
  const b80 = rows.find((r) => r.instance === 'b:7071' && r.port === 80)!;
  // histogram_quantile gives NaN without tasks in the window: shown as no value.
  expect(b80.p99.process).toBeNull();
  expect(b80.lostRecords).toBe(3);
  expect(rows.find((r) => r.port === 443)!.failureRatio).toBe(0.25);
});

test('filters and sorts as the URL says, rows without a value last', () => {
  const byRate = selectFleetRows(rows, parseFleetParams({ sort: 'rate', dir: 'desc' }));
  expect(byRate.map((r) => r.requestsPerSec)).toEqual([10, 5, 2]);
  const byP50 = selectFleetRows(rows, parseFleetParams({ sort: 'p50' }));
  expect(byP50.map((r) => r.p50.total)).toEqual([0.01, 0.2, null]);
  expect(selectFleetRows(rows, parseFleetParams({ host: 'b:', port: '443' }))).toHaveLength(1);
  expect(parseFleetParams({ sort: 'nonsense', port: 'x' })).toEqual({
    sort: 'instance',
    desc: false,
    host: '',
    port: null,
  });
  const params = parseFleetParams({ host: 'web', sort: 'p99', dir: 'desc' });
  expect(fleetQuery(params, { port: 80 })).toBe('?host=web&port=80&sort=p99&dir=desc');
});

test('links each host to its console through the template', () => {
  expect(hostConsoleUrl('http://{host}:7070', '10.0.0.5:7071')).toBe('http://10.0.0.5:7070');
  expect(hostConsoleUrl('https://console/{instance}', 'web-1:7071')).toBe(
    'https://console/web-1:7071',
  );
});
