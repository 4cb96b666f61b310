/*
 * Two servers of one kind (twins) loaded at the same time, on the same CPUs, for the same window,
 * while the collector tracks one of them. Whatever the machine's neighbours do to its speed during
 * the window, they do to both twins, so the ratio of requests answered (tracked ÷ untracked)
 * keeps the cost of tracking and loses the drift that blurs throughput measured round by round.
 * The twins share the CPUs fairly, so extra CPU per tracked request shows as fewer tracked
 * requests. Work the kernel does in softirq context on the load generators' CPU is charged to
 * both load generators alike, so that part of the cost shows only half: a lower bound.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { pinnedTo, runCommand } from '@tcprt/testkit/command';
import type { NginxServer } from '@tcprt/testkit/nginx';
import { redisBenchmarkArgv, type RedisServer } from '@tcprt/testkit/redis';
import { runWrk, type LoadOptions } from './workloads';

/** Requests each twin answered in one window, in the order of `ports`. */
export interface TwinLoad {
  name: string;
  ports: [number, number];
  run(): Promise<[number, number]>;
}

/** Two wrk runs of the same duration, started together. */
export function nginxTwins(
  options: LoadOptions,
  twins: [NginxServer, NginxServer],
  path: string,
): TwinLoad {
  const requests = async (nginx: NginxServer) => (await runWrk(options, nginx, path)).requests;
  return {
    name: 'nginx+wrk',
    ports: [twins[0].port, twins[1].port],
    run: async () => Promise.all([requests(twins[0]), requests(twins[1])]),
  };
}

async function commandsProcessed(port: number): Promise<number> {
  const { stdout } = await runCommand(['redis-cli', '-p', String(port), 'info', 'stats']);
  const match = /total_commands_processed:(\d+)/.exec(stdout);
  if (!match) throw new Error(`cannot read redis INFO on port ${port}:\n${stdout}`);
  return Number(match[1]);
}

/**
 * redis-benchmark has no duration: both run open-ended and the servers' own command counters are
 * read at the start and the end of the window, after a second of warm-up.
 */
export function redisTwins(options: LoadOptions, twins: [RedisServer, RedisServer]): TwinLoad {
  return {
    name: 'redis+redis-benchmark',
    ports: [twins[0].port, twins[1].port],
    async run() {
      const loads = twins.map((redis) => {
        const [file, ...args] = pinnedTo(options.loadCpus, [
          ...redisBenchmarkArgv({
            port: redis.port,
            connections: options.connections,
            requests: 1_000_000_000,
            command: 'get',
          }),
          '-q',
        ]);
        const child = spawn(file!, args, { stdio: 'ignore' });
        return { child, exited: once(child, 'exit') };
      });
      try {
        await sleep(1000);
        const before = await Promise.all(twins.map((r) => commandsProcessed(r.port)));
        await sleep(options.seconds * 1000);
        const after = await Promise.all(twins.map((r) => commandsProcessed(r.port)));
        return [after[0]! - before[0]!, after[1]! - before[1]!];
      } finally {
        for (const load of loads) load.child.kill();
        await Promise.all(loads.map((load) => load.exited));
      }
    },
  };
}
