import { expect, test } from 'vitest';
import type { PortService } from '@tcprt/schema';
import { portLabel, serviceDetail } from '../../src/lib/port-label';

const mariadb: PortService = {
  name: 'mariadbd',
  source: 'process',
  process: 'mariadbd',
  pid: 812,
  command: '/usr/sbin/mariadbd',
  cgroup: '/system.slice/mariadb.service',
  unit: 'mariadb.service',
  container: null,
  firstSeenMs: 1,
  lastSeenMs: 2,
};

test('a port without a known service is its number', () => {
  expect(portLabel(3306, false)).toBe(':3306');
  expect(portLabel(3306, true, null)).toBe('peer :3306');
});

test('a service labels its port with its name and unit or short container id', () => {
  expect(portLabel(3306, false, mariadb)).toBe('mariadbd (:3306, mariadb.service)');
  const id = '3f2a1b0c9d8e'.padEnd(64, '0');
  expect(
    portLabel(6379, false, { ...mariadb, name: 'redis-server', unit: null, container: id }),
  ).toBe('redis-server (:6379, container 3f2a1b0c9d8e)');
  expect(portLabel(6379, true, { ...mariadb, name: 'redis-cli', unit: null })).toBe(
    'redis-cli (peer :6379)',
  );
});

test('a rule-named port with no process seen shows the name alone; the tooltip needs a process', () => {
  const named: PortService = {
    ...mariadb,
    name: 'orders-db',
    source: 'rule',
    process: null,
    pid: null,
    command: null,
    cgroup: null,
    unit: null,
  };
  expect(portLabel(3306, false, named)).toBe('orders-db (:3306)');
  expect(serviceDetail(named)).toBeUndefined();
  expect(serviceDetail(mariadb)).toBe(
    'mariadbd, pid 812: /usr/sbin/mariadbd (cgroup /system.slice/mariadb.service)',
  );
});
