import path from 'node:path';
import { runCommand } from './command';
import { startListeningService } from './service';
import { makeTempDir } from './tempDir';

export interface MariadbServer {
  port: number;
  /** Unix socket of the server, for set-up statements that must not show up as TCP tasks. */
  socket: string;
  /** The server's general query log: every command each connection sent (ground truth for tests). */
  generalLogPath: string;
  /** The mariadbd process. */
  pid: number;
  stop(): Promise<void>;
}

/** One `mariadb` client connection over TCP: log in as root, run `sql`, quit (COM_QUIT). */
export async function runMariadbClient(server: MariadbServer, sql: string): Promise<void> {
  await runCommand([
    'mariadb',
    '--no-defaults',
    '-h',
    '127.0.0.1',
    '-P',
    String(server.port),
    '-u',
    'root',
    '--batch',
    '-e',
    sql,
  ]);
}

/**
 * Starts a throwaway mariadbd with its own data directory, socket and TCP port on 127.0.0.1.
 * `root` logs in without a password over TCP from 127.0.0.1; `stop()` ends it and deletes its data.
 */
export async function startMariadb(options: { port: number }): Promise<MariadbServer> {
  const dir = await makeTempDir('mariadb');
  const dataDir = path.join(dir.path, 'data');
  const socket = path.join(dir.path, 'mariadb.sock');
  const generalLogPath = path.join(dir.path, 'general.log');
  const service = await startListeningService(
    'mariadbd',
    [
      'mariadbd',
      '--no-defaults',
      `--datadir=${dataDir}`,
      `--socket=${socket}`,
      `--port=${options.port}`,
      '--bind-address=127.0.0.1',
      '--user=root',
      `--pid-file=${path.join(dir.path, 'mariadbd.pid')}`,
      '--skip-log-bin',
      '--innodb-buffer-pool-size=32M',
      '--general-log',
      `--general-log-file=${generalLogPath}`,
    ],
    {
      port: options.port,
      readyTimeoutMs: 30_000,
      stopGraceMs: 20_000,
      // --no-defaults everywhere: nothing from /etc/mysql may leak in (ports, sockets, bind address).
      prepare: () =>
        runCommand(
          [
            'mariadb-install-db',
            '--no-defaults',
            `--datadir=${dataDir}`,
            '--user=root',
            '--auth-root-authentication-method=normal',
            '--skip-test-db',
          ],
          { timeoutMs: 60_000 },
        ),
      cleanup: dir.remove,
    },
  );
  return {
    port: options.port,
    socket,
    generalLogPath,
    pid: service.process.pid ?? 0,
    stop: () => service.stop(),
  };
}

/** The mariadb client running `sql` over TCP against 127.0.0.1:`port` as root, output tab-separated. */
export function mariadbClientArgv(port: number, sql: string): string[] {
  return [
    'mariadb',
    '--no-defaults',
    '-h',
    '127.0.0.1',
    '-P',
    String(port),
    '-u',
    'root',
    '--batch',
    '-e',
    sql,
  ];
}
