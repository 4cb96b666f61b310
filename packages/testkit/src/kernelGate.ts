import { existsSync, readFileSync } from 'node:fs';

/*
 * Kernel tests load eBPF programs and attach them to the cgroup v2 root: they need root, the
 * kernel's BTF and a cgroup v2 mount. Anyone may run the other tests; the kernel tests say why
 * they did not run. Where they must run (CI, scripts/test), a missing requirement is an error.
 */

export const BTF_PATH = '/sys/kernel/btf/vmlinux';

/** What this machine or user lacks for the kernel tests; empty when they can run. */
export function missingKernelRequirements(): string[] {
  const missing: string[] = [];
  if (process.getuid?.() !== 0) missing.push('not running as root');
  if (!existsSync(BTF_PATH)) missing.push(`no kernel BTF at ${BTF_PATH}`);
  if (!hasCgroup2Mount()) missing.push('no cgroup v2 mount in /proc/mounts');
  return missing;
}

function hasCgroup2Mount(): boolean {
  try {
    return readFileSync('/proc/mounts', 'utf8')
      .split('\n')
      .some((line) => line.split(' ')[2] === 'cgroup2');
  } catch {
    return false;
  }
}

/** CI and scripts/test set these: there a kernel test that cannot run fails instead of skipping. */
export function kernelTestsRequired(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.CI) || env.TCPRT_REQUIRE_KERNEL_TESTS === '1';
}

/**
 * Why the kernel tests must be skipped here, or undefined when they run. Throws when they are
 * required but cannot run.
 */
export function kernelTestsSkipReason(): string | undefined {
  const missing = missingKernelRequirements();
  if (missing.length === 0) return undefined;
  const reason = `kernel tests need root, BTF and cgroup v2: ${missing.join('; ')}`;
  if (kernelTestsRequired()) {
    throw new Error(`${reason} (required here: CI or TCPRT_REQUIRE_KERNEL_TESTS=1 is set)`);
  }
  return reason;
}
