/*
 * An agent command whose store keeps one rollup tier less, so `scripts/bench/ingest` can put the
 * cost of that tier side by side with the agent as it is. The product has no such switch: this
 * copies apps/agent's sources into a temporary directory and drops the width from
 * ROLLUP_WIDTHS_SEC there (the finest remaining tier then becomes what the writer accumulates,
 * as before the tier existed). Everything else, dependencies included, is the tree's own.
 */
import {
  chmodSync,
  cpSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TCPRT_BIN } from '@tcprt/testkit/paths';

const AGENT_DIR = path.dirname(path.dirname(TCPRT_BIN));
const ROLLUPS_FILE = 'src/store/rollups.ts';
const WIDTHS = /export const ROLLUP_WIDTHS_SEC = \[([\d, ]+)\] as const;/;

export interface AgentVariant {
  /** A program taking the same arguments as apps/agent/bin/tcprt. */
  command: string;
  remove(): void;
}

export function agentWithoutTier(widthSec: number): AgentVariant {
  const dir = mkdtempSync(path.join(os.tmpdir(), `tcprt-bench-no-${widthSec}s-tier-`));
  cpSync(path.join(AGENT_DIR, 'src'), path.join(dir, 'src'), { recursive: true });
  cpSync(path.join(AGENT_DIR, 'package.json'), path.join(dir, 'package.json'));
  symlinkSync(path.join(AGENT_DIR, 'node_modules'), path.join(dir, 'node_modules'));
  const rollups = path.join(dir, ROLLUPS_FILE);
  const source = readFileSync(rollups, 'utf8');
  const widths = WIDTHS.exec(source)?.[1]?.split(',').map(Number);
  if (!widths?.includes(widthSec))
    throw new Error(`${ROLLUPS_FILE} has no ${widthSec} s tier in ROLLUP_WIDTHS_SEC to drop`);
  const kept = widths.filter((w) => w !== widthSec);
  writeFileSync(
    rollups,
    source.replace(WIDTHS, `export const ROLLUP_WIDTHS_SEC = [${kept.join(', ')}] as const;`),
  );
  // The same start as bin/tcprt: node with tsx's loader on the copied entry.
  const command = path.join(dir, 'tcprt');
  writeFileSync(
    command,
    `#!/usr/bin/env bash\nexec node --import "file://${AGENT_DIR}/node_modules/tsx/dist/loader.mjs" "${dir}/src/cli/main.ts" "$@"\n`,
  );
  chmodSync(command, 0o755);
  return { command, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
