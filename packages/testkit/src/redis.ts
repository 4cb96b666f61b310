import { startListeningService } from './service';
import { makeTempDir } from './tempDir';

export interface RedisServer {
  port: number;
  /** The redis-server process. */
  pid: number;
  stop(): Promise<void>;
}

/** Starts a throwaway redis-server without persistence; `stop()` ends it and deletes its directory. */
export async function startRedis(options: {
  port: number;
  /** Address to listen on (default 127.0.0.1). */
  host?: string;
  netns?: string;
  /** CPU list for `taskset -c`. */
  cpus?: string;
}): Promise<RedisServer> {
  const dir = await makeTempDir('redis');
  const service = await startListeningService(
    'redis-server',
    [
      'redis-server',
      '--port',
      String(options.port),
      '--bind',
      options.host ?? '127.0.0.1',
      // Protected mode refuses clients from other addresses than loopback (the client end of a
      // shaped link); the server is bound to one test address only.
      '--protected-mode',
      'no',
      '--dir',
      dir.path,
      '--save',
      '',
      '--appendonly',
      'no',
      '--daemonize',
      'no',
      '--loglevel',
      'warning',
    ],
    { port: options.port, cpus: options.cpus, netns: options.netns, cleanup: dir.remove },
  );
  return { port: options.port, pid: service.process.pid ?? 0, stop: () => service.stop() };
}

/**
 * redis-benchmark against 127.0.0.1:`port` for one command, without pipelining: every request is
 * its own request/response exchange. The output flag (`-q`, `--csv`) is the caller's.
 */
export function redisBenchmarkArgv(options: {
  port: number;
  connections: number;
  requests: number;
  command: 'get' | 'set';
}): string[] {
  return [
    'redis-benchmark',
    '-h',
    '127.0.0.1',
    '-p',
    String(options.port),
    '-c',
    String(options.connections),
    '-n',
    String(options.requests),
    '-t',
    options.command,
    '-P',
    '1',
  ];
}
