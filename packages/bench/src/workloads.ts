import { pinnedTo, runCommand } from '@tcprt/testkit/command';
import type { NginxServer } from '@tcprt/testkit/nginx';
import { redisBenchmarkArgv, type RedisServer } from '@tcprt/testkit/redis';
import { runWrk as runWrkOnce } from '@tcprt/testkit/wrk';

export interface LoadOptions {
  seconds: number;
  redisRequests: number;
  connections: number;
  /** CPU list for the load generator (`taskset -c`), or undefined to leave it unpinned. */
  loadCpus: string | undefined;
}

export interface LoadResult {
  requestsPerSec: number;
  requests: number;
  seconds: number;
}

export interface Workload {
  name: string;
  port: number;
  /** Connections the load generator opens: each writes one E record when it closes. */
  connections: number;
  run(): Promise<LoadResult>;
}

/** One wrk run against `path`: bounded by time (`seconds`). */
export async function runWrk(
  options: LoadOptions,
  nginx: NginxServer,
  path: string,
): Promise<LoadResult> {
  const { requestsPerSec, requests, seconds } = await runWrkOnce({
    url: `${nginx.baseUrl}${path}`,
    seconds: options.seconds,
    connections: options.connections,
    threads: 1,
    requestTimeoutSec: 2,
    cpus: options.loadCpus,
  });
  return { requestsPerSec, requests, seconds };
}

/** wrk against a small static file. */
export function wrkWorkload(options: LoadOptions, nginx: NginxServer, path: string): Workload {
  return {
    name: 'nginx+wrk',
    port: nginx.port,
    connections: options.connections,
    run: () => runWrk(options, nginx, path),
  };
}

/** redis-benchmark GETs without pipelining: bounded by count (`redisRequests`) and a time-out. */
export function redisBenchmarkWorkload(options: LoadOptions, redis: RedisServer): Workload {
  return {
    name: 'redis+redis-benchmark',
    port: redis.port,
    // redis-benchmark also opens one connection of its own first, to read the server's config.
    connections: options.connections + 1,
    async run() {
      const { stdout } = await runCommand(
        pinnedTo(options.loadCpus, [
          ...redisBenchmarkArgv({
            port: redis.port,
            connections: options.connections,
            requests: options.redisRequests,
            command: 'get',
          }),
          '--csv',
        ]),
        { timeoutMs: 300_000 },
      );
      const row = /^"GET","([\d.]+)"/m.exec(stdout);
      if (!row) throw new Error(`cannot read redis-benchmark's output:\n${stdout}`);
      const requestsPerSec = Number(row[1]);
      return {
        requestsPerSec,
        requests: options.redisRequests,
        seconds: options.redisRequests / requestsPerSec,
      };
    },
  };
}
