import { constants, type Stats } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { MAX_CONFIG_YAML_BYTES, type ConfigIssue } from '@tcprt/schema';

/** A config file that has not been read by then (a hung network mount) is given up on. */
export const CONFIG_READ_TIMEOUT_MS = 2000;

export type ConfigFileRead = { ok: true; text: string } | { ok: false; issue: ConfigIssue };

function fileKind(stat: Stats): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  return 'not a regular file';
}

class ReadTimeout extends Error {}

function withTimeout<T>(work: Promise<T>, onLate: (value: T) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let late = false;
    const timer = setTimeout(() => {
      late = true;
      reject(new ReadTimeout());
    }, CONFIG_READ_TIMEOUT_MS);
    work.then(
      (value) => {
        clearTimeout(timer);
        if (late) onLate(value);
        else resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}

/**
 * Reads tcprt.yaml without trusting what the path points at: only a regular file (symlinks
 * followed) of at most MAX_CONFIG_YAML_BYTES, opened without blocking (a FIFO would wait for a
 * writer) and read within CONFIG_READ_TIMEOUT_MS. Every refusal is a file-level config issue
 * (without the path: the caller names the file).
 */
export async function readConfigFile(file: string): Promise<ConfigFileRead> {
  const refuse = (message: string): ConfigFileRead => ({
    ok: false,
    issue: { line: null, path: '', message },
  });
  let handle: FileHandle | undefined;
  try {
    handle = await withTimeout(
      open(file, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY),
      (late) => void late.close(),
    );
    const stat = await handle.stat();
    if (!stat.isFile()) return refuse(`${fileKind(stat)}, not a regular file`);
    if (stat.size > MAX_CONFIG_YAML_BYTES)
      return refuse(`${stat.size} bytes; a tcprt.yaml may be at most ${MAX_CONFIG_YAML_BYTES}`);
    // One byte more than allowed: a file that grew since fstat is caught too.
    const buffer = Buffer.alloc(MAX_CONFIG_YAML_BYTES + 1);
    const { bytesRead } = await withTimeout(
      handle.read(buffer, 0, buffer.length, 0),
      () => undefined,
    );
    if (bytesRead > MAX_CONFIG_YAML_BYTES) return refuse(`over ${MAX_CONFIG_YAML_BYTES} bytes`);
    return { ok: true, text: buffer.toString('utf8', 0, bytesRead) };
  } catch (err) {
    if (err instanceof ReadTimeout) return refuse(`not read within ${CONFIG_READ_TIMEOUT_MS} ms`);
    const code = (err as NodeJS.ErrnoException).code;
    return refuse(`cannot read: ${code ?? (err as Error).message}`);
  } finally {
    await handle?.close().catch(() => {});
  }
}
