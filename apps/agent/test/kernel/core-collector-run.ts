import {
  tcprtConfigSchema,
  type TcprtConfig,
  type TcprtConfigInput,
  type TcprtRecord,
} from '@tcprt/schema';
import { startCollector, type Collector, type CollectorHealth } from '../../src/collector';
import { waitUntil } from '../support/waitUntil';

/** The collector module driven directly, with everything it reported collected for assertions. */
export interface CollectorRun {
  collector: Collector;
  records: TcprtRecord[];
  healths: CollectorHealth[];
  diagnostics: string[];
  waitFor(what: string, check: () => boolean, timeoutMs?: number): Promise<void>;
}

export function config(input: TcprtConfigInput): TcprtConfig {
  return tcprtConfigSchema.parse(input);
}

export async function runCollector(
  input: TcprtConfigInput,
  loaderArgs: string[] = [],
): Promise<CollectorRun> {
  const records: TcprtRecord[] = [];
  const healths: CollectorHealth[] = [];
  const diagnostics: string[] = [];
  const collector = await startCollector({
    config: config(input),
    loaderArgs,
    onRecord: (r) => records.push(r),
    onHealth: (h) => healths.push(h),
    onDiagnostic: (line) => diagnostics.push(line),
  });
  return {
    collector,
    records,
    healths,
    diagnostics,
    waitFor: (what, check, timeoutMs = 10_000) => waitUntil(what, check, timeoutMs),
  };
}
