import type { Endpoints } from '@tcprt/schema';
import { UsageError, type CliCommand } from '../command';
import { parseFlags, portWindowQuery, PORT_WINDOW_FLAGS, WINDOW_USAGE } from '../flags';
import { CLIENT_FLAGS, CLIENT_USAGE, printAgentAnswer } from './client-flags';

const HEADINGS = ['tasks', 'per_s', '5xx_%', 'p50_us', 'p90_us', 'p99_us', 'proc_p50', 'down_p50'];

/** The routes as a table, busiest first, the route last (it is the widest column). */
function describe(e: Endpoints): string {
  const cell = (v: number | string) => String(v).padStart(10);
  const lines = [
    `port ${e.port} (server side), ${new Date(e.fromMs).toISOString()} → ${new Date(e.toMs).toISOString()}: ${e.routes.length} routes (at most ${e.routeLimit} per port, the rest as {other}), ${e.withoutRequest} tasks without a request`,
    `${'method'.padEnd(8)}${HEADINGS.map(cell).join('')}  route`,
    ...e.routes.map(
      (r) =>
        `${r.method.padEnd(8)}${[
          r.count,
          r.tasksPerSec.toFixed(2),
          (100 * r.errorRatio).toFixed(1),
          r.total.p50Us,
          r.total.p90Us,
          r.total.p99Us,
          r.process.p50Us,
          r.download.p50Us,
        ]
          .map(cell)
          .join('')}  ${r.route}`,
    ),
  ];
  return lines.join('\n');
}

export const endpointsCommand: CliCommand = {
  name: 'endpoints',
  summary: "an http port's routes (method and path group) over a window, from the running agent",
  usage: [
    'usage: tcprt endpoints --port N [--since T] [--until T] [--json]',
    '  --port N           a local port tracked in http mode',
    WINDOW_USAGE,
    "  --json             the agent's answer as JSON (adds status counts and every phase's percentiles)",
    '  Columns: tasks, tasks per second over the window, share of answers with a 5xx status,',
    '  p50/p90/p99 of the total time, p50 of the process and download times (µs, within ±3 %).',
    CLIENT_USAGE,
  ].join('\n'),
  async run(args) {
    const { flags, positionals } = parseFlags(args, {
      ...CLIENT_FLAGS,
      ...PORT_WINDOW_FLAGS,
    });
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    const params = portWindowQuery(flags);
    return printAgentAnswer<Endpoints>(
      'endpoints',
      flags,
      `/api/stats/endpoints?${params.toString()}`,
      describe,
    );
  },
};
