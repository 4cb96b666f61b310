import { spawn } from 'node:child_process';
import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runCommand } from '@tcprt/testkit/command';
import { waitForListening } from '@tcprt/testkit/listening';
import { makeTempDir, type TempDir } from '@tcprt/testkit/tempDir';
import { waitUntil } from '@tcprt/testkit/waitUntil';

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

/** A self-signed certificate for localhost and its key, in `dir`. */
export async function makeCertificate(dir: TempDir): Promise<{ cert: string; key: string }> {
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
 * `openssl s_server` accepting TLS 1.2 and 1.3 on 127.0.0.1:`port`. By default it takes 0-RTT
 * early data, sends nothing on its own and answers a client's close_notify with its own. With
 * `www` it answers `GET /` with a status page, then sends close_notify and closes.
 */
export async function startOpensslServer(port: number, www = false): Promise<OpensslServer> {
  const dir = await makeTempDir('openssl');
  const { cert, key } = await makeCertificate(dir);
  // s_server refuses early data together with -www.
  const mode = www ? '-www' : '-early_data';
  const argv = ['-accept', `127.0.0.1:${port}`, '-cert', cert, '-key', key, mode];
  // s_server stops serving at EOF on its stdin (even with -ign_eof), so stdin is a pipe that
  // stays open and silent; that is why this does not use spawnService.
  const child = spawn('openssl', ['s_server', ...argv], { stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  child.stdout
    .setEncoding('utf8')
    .on('data', (text: string) => (output = (output + text).slice(-4000)));
  child.stderr
    .setEncoding('utf8')
    .on('data', (text: string) => (output = (output + text).slice(-4000)));
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await closed;
    await dir.remove();
  };
  try {
    await Promise.race([
      waitForListening(port, 10_000),
      closed.then(() => Promise.reject(new Error(`openssl s_server exited:\n${output}`))),
    ]);
  } catch (err) {
    await stop();
    throw err;
  }
  return { port, dir: dir.path, stop };
}

export interface ClientOptions {
  version: 'tls1_2' | 'tls1_3';
  /** Save the session (with its ticket) here, for a later resumption. */
  sessionOut?: string;
  /** Resume this session and send `earlyData` as 0-RTT data. */
  resume?: { sessionIn: string; earlyData: string };
}

const CLIENT_TIMEOUT_MS = 10_000;

/** s_client writes -sess_out when the ticket arrives (its stdout is buffered: no line to wait for). */
async function waitForFile(file: string): Promise<void> {
  await waitUntil(
    `s_client to save its session in ${file}`,
    async () => {
      const info = await stat(file).catch(() => null);
      return (info?.size ?? 0) > 0;
    },
    CLIENT_TIMEOUT_MS,
    10,
  );
}

/**
 * One `openssl s_client` connection: full handshake (or resumption), then close_notify and close
 * once its stdin is at EOF. That EOF comes at once, or with `sessionOut` once the server's
 * session ticket has arrived (TLS 1.3 sends it after the handshake). Returns its stdout.
 */
export async function runOpensslClient(
  server: OpensslServer,
  options: ClientOptions,
): Promise<string> {
  const args = ['s_client', '-connect', `127.0.0.1:${server.port}`, `-${options.version}`];
  if (options.sessionOut) args.push('-sess_out', options.sessionOut);
  if (options.resume) {
    const earlyDataFile = path.join(server.dir, 'early-data.txt');
    await writeFile(earlyDataFile, options.resume.earlyData);
    args.push('-sess_in', options.resume.sessionIn, '-early_data', earlyDataFile);
  }
  const child = spawn('openssl', args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stdin.on('error', () => {});
  const timer = setTimeout(() => child.kill('SIGKILL'), CLIENT_TIMEOUT_MS);
  const closed = new Promise<number | null>((resolve) => child.once('close', resolve));
  if (options.sessionOut) await Promise.race([waitForFile(options.sessionOut), closed]);
  child.stdin.end();
  const code = await closed;
  clearTimeout(timer);
  if (code !== 0) throw new Error(`openssl ${args.join(' ')}: exit ${code}\n${stderr}${stdout}`);
  return stdout;
}

/** `1795676549.642312 write(3, "\26\3\1…` → time, fd and the first record type (octal escape). */
const STRACE_WRITE = /^(\d+\.\d+) write\((\d+), "\\(\d+)\\3/;

/**
 * The client's own view of a TLS 1.3 handshake: strace stamps s_client's writes of its
 * ClientHello (a handshake record, type 22 = octal 26) and of its Finished (the next record it
 * writes on that socket, type 23 = octal 27), as the calls are made. The client is stopped while
 * strace takes each stamp, so a busy machine does not skew them. -no_middlebox: without the
 * compatibility ChangeCipherSpec written just before it, the Finished is not held back by Nagle
 * until the server acknowledges that CCS. Its stdin is at EOF, so it then closes with close_notify.
 */
export async function timedTls13Handshake(server: OpensslServer): Promise<number> {
  const log = path.join(server.dir, 'strace.log');
  await runCommand(
    [
      'strace',
      '-ttt',
      '-e',
      'trace=write',
      '-o',
      log,
      'openssl',
      's_client',
      '-connect',
      `127.0.0.1:${server.port}`,
      '-tls1_3',
      '-no_middlebox',
    ],
    { timeoutMs: CLIENT_TIMEOUT_MS },
  );
  const writes = (await readFile(log, 'utf8')).split('\n').flatMap((line) => {
    const m = STRACE_WRITE.exec(line);
    return m ? [{ at: Number(m[1]), fd: m[2], type: m[3] }] : [];
  });
  const hello = writes.find((w) => w.type === '26');
  const finished = writes.find((w) => w.fd === hello?.fd && w.type === '27');
  if (!hello || !finished)
    throw new Error(`no ClientHello/Finished write in s_client's strace:\n${writes.length} writes`);
  return Math.round((finished.at - hello.at) * 1e6);
}
