import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '@tcprt/testkit/paths';
import { WEB_ROOT } from './processes';

/** Tasks written into a data directory before its agent starts: `records` evenly over [fromMs, toMs). */
export type HistoryPlan = {
  port: number;
  fromMs: number;
  toMs: number;
  records: number;
  /** Each task's process time, uniform in [min, max) µs. */
  processUs: [number, number];
}[];

/** Writes the plan's records through the agent's store (see fill-history.ts). */
export async function fillHistory(dataDir: string, plan: HistoryPlan): Promise<void> {
  const planFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'tcprt-web-plan-')), 'plan.json');
  writeFileSync(planFile, JSON.stringify(plan));
  const tsxLoader = path.join(REPO_ROOT, 'apps/agent/node_modules/tsx/dist/loader.mjs');
  await promisify(execFile)(
    process.execPath,
    [
      '--import',
      `file://${tsxLoader}`,
      path.join(WEB_ROOT, 'e2e/support/fill-history.ts'),
      dataDir,
      planFile,
    ],
    { cwd: REPO_ROOT, maxBuffer: 16 * 1024 * 1024 },
  );
}
