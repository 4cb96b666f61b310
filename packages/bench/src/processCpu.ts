import { readdir, readFile } from 'node:fs/promises';

// USER_HZ: the unit of utime/stime in /proc/<pid>/stat; 100 on every mainstream Linux build.
const CLOCK_TICKS_PER_SEC = 100;

interface ProcStat {
  pid: number;
  parentPid: number;
  command: string;
  cpuTicks: number;
}

async function readStat(pid: number): Promise<ProcStat | undefined> {
  try {
    const text = await readFile(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces and parentheses: split after its last ')'.
    const command = text.slice(text.indexOf('(') + 1, text.lastIndexOf(')'));
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const parentPid = Number(fields[1]);
    const cpuTicks = Number(fields[11]) + Number(fields[12]); // utime + stime
    return { pid, parentPid, command, cpuTicks };
  } catch {
    return undefined; // exited between listing and reading
  }
}

/** CPU seconds (user + system) used so far by `rootPid` and its live descendants, by command name. */
export async function processTreeCpuSeconds(rootPid: number): Promise<Map<string, number>> {
  const pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name)).map(Number);
  const stats = (await Promise.all(pids.map(readStat))).filter((s) => s !== undefined);
  const children = new Map<number, ProcStat[]>();
  for (const stat of stats) {
    children.set(stat.parentPid, [...(children.get(stat.parentPid) ?? []), stat]);
  }
  const byCommand = new Map<string, number>();
  const pending = stats.filter((s) => s.pid === rootPid);
  for (let stat = pending.pop(); stat; stat = pending.pop()) {
    byCommand.set(
      stat.command,
      (byCommand.get(stat.command) ?? 0) + stat.cpuTicks / CLOCK_TICKS_PER_SEC,
    );
    pending.push(...(children.get(stat.pid) ?? []));
  }
  return byCommand;
}

/** `after − before` per command name. */
export function cpuSecondsSpent(
  before: Map<string, number>,
  after: Map<string, number>,
): Map<string, number> {
  return new Map(
    [...after].map(([command, seconds]) => [command, seconds - (before.get(command) ?? 0)]),
  );
}
