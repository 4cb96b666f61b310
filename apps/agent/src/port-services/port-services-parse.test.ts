import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cgroupPathOf, placementOf } from './cgroup-path';
import { parseProcNetTcp, socketInodeOfLink, TCP_ESTABLISHED, TCP_LISTEN } from './proc-net-tcp';

const fixture = (name: string) =>
  readFileSync(path.join(import.meta.dirname, 'fixtures', name), 'utf8');

describe('/proc/net/tcp{,6}', () => {
  it('reads ports (hex), state and inode of every socket line and skips the header', () => {
    expect(parseProcNetTcp(fixture('proc-net-tcp.txt'))).toEqual([
      { localPort: 0x7ba0, remotePort: 0, state: TCP_LISTEN, inode: 367999 },
      { localPort: 0x79fc, remotePort: 0, state: TCP_LISTEN, inode: 367998 },
      { localPort: 0xaf72, remotePort: 0xa6ad, state: TCP_ESTABLISHED, inode: 377163 },
      // TIME_WAIT: no file holds it, inode 0
      { localPort: 0x9a27, remotePort: 0xc23a, state: 0x06, inode: 0 },
    ]);
  });

  it('reads the 32-digit addresses of tcp6', () => {
    expect(parseProcNetTcp(fixture('proc-net-tcp6.txt'))).toEqual([
      { localPort: 0x52d1, remotePort: 0, state: TCP_LISTEN, inode: 368006 },
      { localPort: 0x69f0, remotePort: 0, state: TCP_LISTEN, inode: 368007 },
    ]);
  });

  it('skips truncated and garbled lines', () => {
    const text = [
      '   0: 0100007F:7BA0 00000000:0000 0A',
      '   1: 0100007F:ZZZZ 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 5 1',
      'garbage',
      '',
    ].join('\n');
    expect(parseProcNetTcp(text)).toEqual([]);
  });

  it('reads socket inodes from fd links only', () => {
    expect(socketInodeOfLink('socket:[367999]')).toBe(367999);
    expect(socketInodeOfLink('pipe:[367999]')).toBeNull();
    expect(socketInodeOfLink('/var/lib/mysql/ibdata1')).toBeNull();
  });
});

describe('cgroup paths', () => {
  it('prefers the v2 path, then the v1 systemd hierarchy, then any v1 path below the root', () => {
    expect(cgroupPathOf('0::/system.slice/mariadb.service\n')).toBe(
      '/system.slice/mariadb.service',
    );
    // hybrid systemd host: the v2 tree is left at the root
    expect(
      cgroupPathOf(
        '2:cpu:/system.slice/nginx.service\n1:name=systemd:/system.slice/nginx.service\n0::/\n',
      ),
    ).toBe('/system.slice/nginx.service');
    // this development machine (hybrid, no systemd): only the memory hierarchy is below the root
    expect(cgroupPathOf(fixture('cgroup-hybrid-sandbox.txt'))).toBe(
      '/process_api/6b3e09fb8868f0c9f7db76153ac3ddcb',
    );
    expect(cgroupPathOf('0::/\n')).toBe('/');
    expect(cgroupPathOf('')).toBeNull();
  });

  const id = 'f'.repeat(12) + '0123456789abcdef'.repeat(3) + '0123';
  it.each([
    ['/system.slice/mariadb.service', { unit: 'mariadb.service', container: null }],
    [
      '/user.slice/user-1000.slice/user@1000.service/app.slice/checkout-api.service',
      { unit: 'checkout-api.service', container: null },
    ],
    ['/user.slice/user-0.slice/session-3.scope', { unit: 'session-3.scope', container: null }],
    [
      '/system.slice/redis-server.service/worker',
      { unit: 'redis-server.service', container: null },
    ],
    [`/system.slice/docker-${id}.scope`, { unit: null, container: id }],
    [`/docker/${id}`, { unit: null, container: id }],
    [
      `/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1a2b.slice/cri-containerd-${id}.scope`,
      { unit: null, container: id },
    ],
    [`/kubepods/besteffort/pod1a2b/${id}`, { unit: null, container: id }],
    [`/machine.slice/libpod-${id}.scope/container`, { unit: null, container: id }],
    [`/system.slice/crio-${id}.scope`, { unit: null, container: id }],
    // not a container id: 32 hex digits (this machine's sandbox), 63 digits
    ['/process_api/6b3e09fb8868f0c9f7db76153ac3ddcb', { unit: null, container: null }],
    [`/docker/${id.slice(1)}`, { unit: null, container: null }],
    ['/', { unit: null, container: null }],
    ['/system.slice', { unit: null, container: null }],
  ])('%s', (cgroup, expected) => {
    expect(placementOf(cgroup)).toEqual({ cgroup, ...expected });
  });

  it('names no unit or container without a cgroup', () => {
    expect(placementOf(null)).toEqual({ cgroup: null, unit: null, container: null });
  });
});
