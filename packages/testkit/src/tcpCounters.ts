import { runCommand } from './command';

/**
 * One counter of the `Tcp:` lines of /proc/net/snmp (e.g. RetransSegs) as seen inside `netns`:
 * the counters are per network namespace, so in a namespace of its own a test connection is
 * the only thing that moves them.
 */
export async function tcpCounter(netns: string, name: string): Promise<number> {
  const { stdout } = await runCommand(['cat', '/proc/net/snmp'], { netns });
  const [names, values] = stdout
    .split('\n')
    .filter((line) => line.startsWith('Tcp:'))
    .map((line) => line.trim().split(/\s+/));
  const index = names?.indexOf(name) ?? -1;
  if (!values || index < 0) throw new Error(`no Tcp counter ${name} in /proc/net/snmp of ${netns}`);
  return Number(values[index]);
}
