/*
 * What the agent's port-service scan (apps/agent/src/port-services) costs with a few hundred
 * processes: `--processes` extra sleeping processes (3 pipe fds each) beside what already runs,
 * three tracked listening ports held by this process, one tracked port held by a child (redis-server). Prints
 * the wall and CPU time of a scan that must map sockets to processes (reads every process's fd
 * links: a server started, restarted or a new caller) and of the steady scan that finds the
 * same sockets as before (socket tables and the owners' /proc files only).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import net from 'node:net';
import { parseArgs } from 'node:util';
import { tcprtConfigSchema } from '@tcprt/schema';
import { PortServiceTracker } from '@tcprt/agent/port-services/port-service-tracker';

const { values } = parseArgs({
  options: {
    processes: { type: 'string', default: '300' },
    scans: { type: 'string', default: '20' },
  },
});
const extra = Number(values.processes);
const scans = Number(values.scans);
if (!Number.isSafeInteger(extra) || extra < 0 || !Number.isSafeInteger(scans) || scans < 1)
  throw new Error('--processes and --scans must be non-negative / positive integers');

const children: ChildProcess[] = [];
const servers: net.Server[] = [];

function listen(): Promise<number> {
  const server = net.createServer();
  servers.push(server);
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)),
  );
}

async function main(): Promise<void> {
  for (let i = 0; i < extra; i++) children.push(spawn('sleep', ['600'], { stdio: 'pipe' }));
  const ports: [number, number, number] = [await listen(), await listen(), await listen()];
  const childPort = ports[0] + 1000;
  children.push(
    spawn('redis-server', ['--port', String(childPort), '--bind', '127.0.0.1', '--save', ''], {
      stdio: 'ignore',
    }),
  );
  await new Promise((r) => setTimeout(r, 300));
  const processes = readdirSync('/proc').filter((n) => /^\d+$/.test(n)).length;
  const config = tcprtConfigSchema.parse({
    'per-port': [...ports, childPort].map((port) => ({ port })),
  });

  const measure = async (fresh: boolean) => {
    const walls: number[] = [];
    const cpus: number[] = [];
    let found = 0;
    let tracker = new PortServiceTracker(() => {});
    tracker.setConfig(config);
    if (!fresh) await tracker.scan();
    for (let i = 0; i < scans; i++) {
      if (fresh) {
        tracker = new PortServiceTracker(() => {});
        tracker.setConfig(config);
      }
      const cpu = process.cpuUsage();
      const result = await tracker.scan();
      const used = process.cpuUsage(cpu);
      if (result.walkedFds !== fresh) throw new Error(`expected walkedFds ${fresh}`);
      walls.push(result.durationMs);
      cpus.push((used.user + used.system) / 1000);
      found = result.observed.length;
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
    const max = (xs: number[]) => Math.max(...xs);
    return `wall median ${median(walls).toFixed(2)} ms (max ${max(walls).toFixed(2)}), CPU median ${median(cpus).toFixed(2)} ms; ${found} of 4 ports named`;
  };

  console.log(`${processes} processes in /proc (${extra} started for this run)`);
  console.log(`scan with fd walk (new socket):   ${await measure(true)}`);
  console.log(`steady scan (same sockets):       ${await measure(false)}`);
}

main()
  .catch((err: Error) => {
    process.exitCode = 1;
    console.error(err.message);
  })
  .finally(() => {
    for (const child of children) child.kill();
    for (const server of servers) server.close();
  });
