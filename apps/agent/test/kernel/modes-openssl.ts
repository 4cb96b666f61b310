import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runCommand, type CommandResult } from '../support/command';
import { waitForListening } from '../support/listening';
import { spawnService, whenReady } from '../support/service';
import { makeTempDir, type TempDir } from '../support/tempDir';

/*
 * Real TLS peers for the https-mode tests: openssl s_server and s_client (Debian's openssl).
 * The certificate is made at run time in a private directory and deleted with it: no key is
 * ever committed.
 */

export interface OpensslServer {
  port: number;
  /** The directory holding the certificate, key and any session files the test writes. */
  dir: string;
  stop(): Promise<void>;
}

async function makeCertificate(dir: TempDir): Promise<{ cert: string; key: string }> {
  const cert = path.join(dir.path, 'cert.pem');
  const key = path.join(dir.path, 'key.pem');
  await runCommand([
    'openssl',
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    key,
    '-out',
    cert,
    '-subj',
    '/CN=localhost',
    '-days',
    '1',
  ]);
  return { cert, key };
}

/**
 * `openssl s_server` accepting TLS 1.2 and 1.3 (and 0-RTT early data) on 127.0.0.1:`port`.
 * With `www`, it answers `GET /` with a status page and closes with close_notify; without it,
 * it sends nothing on its own and answers a client's close_notify with its own.
 */
export async function startOpensslServer(port: number, www = false): Promise<OpensslServer> {
  const dir = await makeTempDir('openssl');
  const { cert, key } = await makeCertificate(dir);
  // Its stdin is /dev/null (spawnService): s_server then never sends anything of its own.
  const service = spawnService('openssl s_server', [
    'openssl',
    's_server',
    '-accept',
    `127.0.0.1:${port}`,
    '-cert',
    cert,
    '-key',
    key,
    '-early_data',
    ...(www ? ['-www'] : []),
  ]);
  try {
    await whenReady(service, waitForListening(port, 10_000));
  } catch (err) {
    await dir.remove();
    throw err;
  }
  return {
    port,
    dir: dir.path,
    async stop() {
      await service.stop();
      await dir.remove();
    },
  };
}

export interface ClientOptions {
  version: 'tls1_2' | 'tls1_3';
  /** Save the session (with its ticket) here, for a later resumption. */
  sessionOut?: string;
  /** Resume this session and send `earlyData` as 0-RTT data. */
  resume?: { sessionIn: string; earlyData: string };
}

/**
 * One `openssl s_client` connection: full handshake (or resumption), then, as its stdin is at
 * EOF, close_notify and close. Returns its output; the local port is read from `ss` by the test.
 */
export async function runOpensslClient(
  server: OpensslServer,
  options: ClientOptions,
): Promise<CommandResult> {
  const args = [
    'openssl',
    's_client',
    '-connect',
    `127.0.0.1:${server.port}`,
    `-${options.version}`,
  ];
  if (options.sessionOut) args.push('-sess_out', options.sessionOut);
  if (options.resume) {
    const earlyDataFile = path.join(server.dir, 'early-data.txt');
    await writeFile(earlyDataFile, options.resume.earlyData);
    args.push('-sess_in', options.resume.sessionIn, '-early_data', earlyDataFile);
  }
  return runCommand(args, { input: '', timeoutMs: 10_000 });
}
