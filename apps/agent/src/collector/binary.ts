import { access, constants } from 'node:fs/promises';
import path from 'node:path';

/** Where `pnpm --filter @tcprt/bpf build` puts the loader, relative to this file in the repo. */
const BUILT_LOADER = path.resolve(
  import.meta.dirname,
  '../../../../packages/bpf/build/tcprt-collector',
);

/** The loader binary: $TCPRT_COLLECTOR when set, else the one built in the repo. */
export function collectorBinaryPath(): string {
  return process.env.TCPRT_COLLECTOR || BUILT_LOADER;
}

export class CollectorUnavailableError extends Error {}

/** Fails with a message that says how to get the binary when it is missing or not executable. */
export async function assertCollectorBinary(binary: string): Promise<void> {
  try {
    await access(binary, constants.X_OK);
  } catch {
    throw new CollectorUnavailableError(
      `the collector binary ${binary} is missing or not executable: build it with ` +
        '`pnpm --filter @tcprt/bpf build` (needs clang, libbpf-dev, bpftool) or point TCPRT_COLLECTOR at one',
    );
  }
}
