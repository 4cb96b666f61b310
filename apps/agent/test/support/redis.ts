import { waitForListening } from './listening';
import { spawnService, whenReady } from './service';
import { makeTempDir } from './tempDir';

export interface RedisServer {
  port: number;
  stop(): Promise<void>;
}

/** Starts a throwaway redis-server on 127.0.0.1 without persistence; `stop()` ends it and deletes its directory. */
export async function startRedis(options: {
  port: number;
  /** CPU list for `taskset -c`. */
  cpus?: string;
}): Promise<RedisServer> {
  const dir = await makeTempDir('redis');
  const service = spawnService(
    'redis-server',
    [
      'redis-server',
      '--port',
      String(options.port),
      '--bind',
      '127.0.0.1',
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
    { cpus: options.cpus },
  );
  try {
    await whenReady(service, waitForListening(options.port, 10_000));
  } catch (err) {
    await dir.remove();
    throw err;
  }
  return {
    port: options.port,
    async stop() {
      await service.stop();
      await dir.remove();
    },
  };
}
