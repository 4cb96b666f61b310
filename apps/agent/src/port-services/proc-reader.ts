import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { cgroupPathOf, placementOf, type CgroupPlacement } from './cgroup-path';
import { parseProcNetTcp, socketInodeOfLink, type ProcTcpSocket } from './proc-net-tcp';

/** What /proc says about one process. */
export interface ProcessInfo extends CgroupPlacement {
  pid: number;
  /** The kernel's name of the process (`comm`, at most 15 characters): `mariadbd`, `nginx`. */
  process: string;
  /** Its command line, arguments joined by spaces, at most MAX_COMMAND_CHARS. */
  command: string;
}

export const MAX_COMMAND_CHARS = 512;
/** Processes whose fds are read between two yields to the event loop: the walk never holds it for long. */
const PIDS_PER_SLICE = 32;

function readOrNull(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null; // the process ended, or the file does not exist on this kernel
  }
}

/** Every TCP socket of this network namespace, IPv4 and IPv6. */
export function readTcpSockets(): ProcTcpSocket[] {
  return ['/proc/net/tcp', '/proc/net/tcp6'].flatMap((f) => parseProcNetTcp(readOrNull(f) ?? ''));
}

function pids(): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number);
}

/**
 * The processes holding each of `inodes` open (a socket a parent passed to its children, as
 * nginx's workers, is held by several). Reads every process's fd links: the costly part of a
 * scan, so callers do it only when a socket they look for is new.
 */
export async function socketOwners(inodes: ReadonlySet<number>): Promise<Map<number, number[]>> {
  const owners = new Map<number, number[]>();
  const all = pids();
  for (let i = 0; i < all.length; i++) {
    if (i > 0 && i % PIDS_PER_SLICE === 0) await yieldToEventLoop();
    const pid = all[i] as number;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // ended, or a kernel thread
    }
    for (const fd of fds) {
      let link: string;
      try {
        link = readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue; // closed meanwhile
      }
      const inode = socketInodeOfLink(link);
      if (inode !== null && inodes.has(inode))
        owners.set(inode, [...(owners.get(inode) ?? []), pid]);
    }
  }
  return owners;
}

/** The parent's pid (field 4 of /proc/<pid>/stat, after the command name in parentheses). */
export function parentPid(pid: number): number | null {
  const stat = readOrNull(`/proc/${pid}/stat`);
  const ppid = stat?.slice(stat.lastIndexOf(')') + 2).split(' ')[1];
  return ppid === undefined ? null : Number(ppid);
}

export function isAlive(pid: number): boolean {
  return readOrNull(`/proc/${pid}/stat`) !== null;
}

export function readProcess(pid: number): ProcessInfo | null {
  const comm = readOrNull(`/proc/${pid}/comm`);
  if (comm === null) return null;
  const cmdline = readOrNull(`/proc/${pid}/cmdline`) ?? '';
  const cgroup = cgroupPathOf(readOrNull(`/proc/${pid}/cgroup`) ?? '');
  return {
    pid,
    process: comm.trimEnd(),
    command: cmdline.replace(/\0+$/, '').replaceAll('\0', ' ').slice(0, MAX_COMMAND_CHARS),
    ...placementOf(cgroup),
  };
}
