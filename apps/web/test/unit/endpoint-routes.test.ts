import { expect, test } from 'vitest';
import type { EndpointRoute } from '@tcprt/schema';
import {
  nextSort,
  noRoutesReason,
  readEndpointParams,
  sortEndpointRoutes,
  statusEntries,
  writeEndpointParams,
} from '../../src/lib/endpoint-routes';

const times = (p50Us: number, p99Us = p50Us * 2) => ({ p50Us, p90Us: (p50Us + p99Us) / 2, p99Us });

function route(
  method: EndpointRoute['method'],
  path: string,
  o: Partial<EndpointRoute> = {},
): EndpointRoute {
  return {
    method,
    route: path,
    count: 10,
    tasksPerSec: 1,
    serverErrors: 0,
    errorRatio: 0,
    statusCounts: { '200': 10 },
    total: times(1_000),
    upload: times(10),
    process: times(900),
    download: times(90),
    ...o,
  };
}

// /fast has a long process tail: its p99 process time is above /slow's.
const fast = route('GET', '/fast', {
  tasksPerSec: 50,
  count: 500,
  total: times(400, 200_500),
  process: times(300, 200_000),
});
const slow = route('GET', '/slow/{n}', {
  tasksPerSec: 5,
  total: times(101_000, 104_000),
  process: times(100_500, 103_000),
});
const missing = route('GET', '/missing', {
  tasksPerSec: 2,
  errorRatio: 0,
  statusCounts: { '404': 20 },
});
const broken = route('POST', '/fast', { tasksPerSec: 1, errorRatio: 0.5, serverErrors: 5 });
const all = [missing, broken, slow, fast];

const order = (rs: EndpointRoute[]) => rs.map((r) => `${r.method} ${r.route}`);

test('by default the busiest route leads, as the agent lists them', () => {
  const params = readEndpointParams(new URLSearchParams(''));
  expect(params).toEqual({ sort: 'rate', desc: true, split: 'p50' });
  expect(order(sortEndpointRoutes(all, params))).toEqual([
    'GET /fast',
    'GET /slow/{n}',
    'GET /missing',
    'POST /fast',
  ]);
});

test('sorting by p50 puts the slow route first; the split sorts at the chosen percentile', () => {
  const byP50 = readEndpointParams(new URLSearchParams('sort=p50'));
  expect(order(sortEndpointRoutes(all, byP50))[0]).toBe('GET /slow/{n}');
  // slow leads on process time at p50, fast's tail leads at p99: the split choice decides.
  const processAtP50 = readEndpointParams(new URLSearchParams('sort=process'));
  expect(order(sortEndpointRoutes(all, processAtP50))[0]).toBe('GET /slow/{n}');
  const processAtP99 = readEndpointParams(new URLSearchParams('sort=process&split=p99'));
  expect(order(sortEndpointRoutes(all, processAtP99))[0]).toBe('GET /fast');
});

test('errors sort worst first, and names sort by route then method', () => {
  expect(
    order(
      sortEndpointRoutes(all, nextSort(readEndpointParams(new URLSearchParams()), 'errors')),
    )[0],
  ).toBe('POST /fast');
  const byName = nextSort(readEndpointParams(new URLSearchParams()), 'route');
  expect(byName.desc).toBe(false);
  expect(order(sortEndpointRoutes(all, byName))).toEqual([
    'GET /fast',
    'POST /fast',
    'GET /missing',
    'GET /slow/{n}',
  ]);
  expect(nextSort(byName, 'route').desc).toBe(true);
});

test('the state round-trips through the URL, defaults left out, unknown values ignored', () => {
  const params = new URLSearchParams('port=8080&range=1h');
  writeEndpointParams(params, { sort: 'p99', desc: false, split: 'p99' });
  expect(params.toString()).toBe('port=8080&range=1h&sort=p99&dir=asc&split=p99');
  expect(readEndpointParams(params)).toEqual({ sort: 'p99', desc: false, split: 'p99' });
  writeEndpointParams(params, { sort: 'rate', desc: true, split: 'p50' });
  expect(params.toString()).toBe('port=8080&range=1h');
  expect(readEndpointParams(new URLSearchParams('sort=nope&split=p42'))).toEqual({
    sort: 'rate',
    desc: true,
    split: 'p50',
  });
});

test('status codes list in code order', () => {
  expect(statusEntries({ '503': 1, '200': 118, '404': 2 })).toEqual([
    ['200', 118],
    ['404', 2],
    ['503', 1],
  ]);
  expect(statusEntries({})).toEqual([]);
});

test('an empty table says whether the port had no tasks or tasks without HTTP requests', () => {
  expect(noRoutesReason({ routes: [], withoutRequest: 0 })).toBe('no-tasks');
  expect(noRoutesReason({ routes: [], withoutRequest: 12 })).toBe('no-requests');
  expect(noRoutesReason({ routes: [fast], withoutRequest: 12 })).toBeNull();
});
