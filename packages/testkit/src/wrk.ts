import { pinnedTo, runCommand } from './command';

export interface WrkOptions {
  url: string;
  seconds: number;
  connections: number;
  threads?: number;
  /** wrk's per-request time-out (`--timeout`), in seconds. */
  requestTimeoutSec?: number;
  /** CPU list for `taskset -c`. */
  cpus?: string;
}

export interface WrkResult {
  requests: number;
  /** The run's measured length (wrk's "in 10.00s"). */
  seconds: number;
  requestsPerSec: number;
  /** wrk's summary as printed. */
  output: string;
}

/** One wrk run of keep-alive GETs, bounded by time (`seconds`). */
export async function runWrk(options: WrkOptions): Promise<WrkResult> {
  const { stdout } = await runCommand(
    pinnedTo(options.cpus, [
      'wrk',
      '-t',
      String(options.threads ?? 1),
      '-c',
      String(options.connections),
      '-d',
      `${options.seconds}s`,
      ...(options.requestTimeoutSec ? ['--timeout', `${options.requestTimeoutSec}s`] : []),
      options.url,
    ]),
    { timeoutMs: (options.seconds + 30) * 1000 },
  );
  const requests = /(\d+) requests in ([\d.]+)(m?s)/.exec(stdout);
  const rate = /Requests\/sec:\s+([\d.]+)/.exec(stdout);
  if (!requests || !rate) throw new Error(`cannot read wrk's output:\n${stdout}`);
  return {
    requests: Number(requests[1]),
    seconds: Number(requests[2]) / (requests[3] === 'ms' ? 1000 : 1),
    requestsPerSec: Number(rate[1]),
    output: stdout,
  };
}
