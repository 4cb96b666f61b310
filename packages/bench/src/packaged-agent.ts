/*
 * This tree's agent as the package runs it: the esbuild bundles scripts/bundle-agent makes (as
 * scripts/package does), started by the package's own launcher (deploy/deb/tcprt) with the same
 * Node settings, instead of apps/agent/bin/tcprt's TypeScript loader (tsx), which alone adds
 * 70–80 MiB of resident memory. The Node runtime is this one (the package ships the same version)
 * and better-sqlite3 the repository's build.
 */
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '@tcprt/testkit/paths';
import type { AgentVariant } from './agent-without-tier';

export function packagedAgent(): AgentVariant {
  const lib = mkdtempSync(path.join(os.tmpdir(), 'tcprt-bench-packaged-'));
  try {
    // The layout of /usr/lib/tcprt that deploy/deb/tcprt reads (TCPRT_LIB_DIR).
    execFileSync(path.join(REPO_ROOT, 'scripts/bundle-agent'), [path.join(lib, 'agent')], {
      stdio: 'inherit',
    });
    mkdirSync(path.join(lib, 'agent/node_modules'));
    symlinkSync(
      realpathSync(path.join(REPO_ROOT, 'apps/agent/node_modules/better-sqlite3')),
      path.join(lib, 'agent/node_modules/better-sqlite3'),
    );
    mkdirSync(path.join(lib, 'node/bin'), { recursive: true });
    symlinkSync(process.execPath, path.join(lib, 'node/bin/node'));
    copyFileSync(
      path.join(REPO_ROOT, 'deploy/node-settings.sh'),
      path.join(lib, 'node-settings.sh'),
    );
    const command = path.join(lib, 'tcprt');
    writeFileSync(
      command,
      `#!/bin/sh\nTCPRT_LIB_DIR='${lib}' exec '${path.join(REPO_ROOT, 'deploy/deb/tcprt')}' "$@"\n`,
    );
    chmodSync(command, 0o755);
    return { command, remove: () => rmSync(lib, { recursive: true, force: true }) };
  } catch (err) {
    rmSync(lib, { recursive: true, force: true });
    throw err;
  }
}
