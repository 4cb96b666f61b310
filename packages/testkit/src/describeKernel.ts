import { describe } from 'vitest';
import { kernelTestsSkipReason } from './kernelGate';

const skipReason = kernelTestsSkipReason();
if (skipReason) console.warn(`skipped: ${skipReason}`);

/**
 * `describe` for tests on the real kernel: skipped, with the reason in the suite's name and on
 * stderr, where root, BTF or cgroup v2 are missing; an error instead where they are required
 * (see kernelGate.ts). File-level hooks do not run when every suite of a file is skipped.
 */
export const describeKernel = (name: string, body: () => void) =>
  describe.skipIf(skipReason !== undefined)(
    skipReason ? `${name} [skipped: ${skipReason}]` : name,
    body,
  );
