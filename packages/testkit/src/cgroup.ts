import { readFileSync } from 'node:fs';
import { mkdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Where cgroup v2 is mounted here (`/sys/fs/cgroup`, or `/sys/fs/cgroup/unified` on hybrid hosts). */
function cgroup2Mount(): string {
  const line = readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .find((l) => l.split(' ')[2] === 'cgroup2');
  const mount = line?.split(' ')[1];
  if (!mount) throw new Error('cgroup v2 is not mounted');
  return mount;
}

export interface TestCgroup {
  /** The path as /proc/<pid>/cgroup shows it (`0::<path>`). */
  path: string;
  /** Moves a process into it. */
  add(pid: number): Promise<void>;
  /** Moves what is left back to the root and removes the directories it made. */
  remove(): Promise<void>;
}

/**
 * A real cgroup v2 directory below the root, `relative` being e.g. `tcprt-test-1/system.slice/
 * mariadb.service`: places a test server where systemd or a container runtime would, so its
 * cgroup path names a unit or a container.
 */
export async function makeTestCgroup(relative: string): Promise<TestCgroup> {
  const mount = cgroup2Mount();
  const dir = path.join(mount, relative);
  await mkdir(dir, { recursive: true });
  return {
    path: `/${relative}`,
    async add(pid) {
      await writeFile(path.join(dir, 'cgroup.procs'), String(pid));
    },
    async remove() {
      const left = (await readFile(path.join(dir, 'cgroup.procs'), 'utf8')).split('\n');
      for (const pid of left.filter(Boolean))
        await writeFile(path.join(mount, 'cgroup.procs'), pid).catch(() => {});
      const parts = relative.split('/');
      for (let n = parts.length; n > 0; n--)
        await rmdir(path.join(mount, ...parts.slice(0, n))).catch(() => {});
    },
  };
}
