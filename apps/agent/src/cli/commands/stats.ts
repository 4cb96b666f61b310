import type { StatsWindow } from '@tcprt/schema';
import { UsageError, type CliCommand } from '../command';
import { parseFlags, portWindowQuery, PORT_WINDOW_FLAGS, WINDOW_USAGE } from '../flags';
import { CLIENT_FLAGS, CLIENT_USAGE, printAgentAnswer } from './client-flags';

const PHASES = ['total', 'upload', 'process', 'download'] as const;

function describe(w: StatsWindow): string {
  const cell = (v: number | string) => String(v).padStart(10);
  return [
    `port ${w.peer ? `P${w.port} (peer side)` : `${w.port} (server side)`}, ${new Date(w.fromMs).toISOString()} → ${new Date(w.toMs).toISOString()} (read at ${w.resolutionSec} s)`,
    `tasks ${w.count}, ${w.tasksPerSec.toFixed(2)}/s over the ${w.activeSec} s with traffic; W ${w.closesSending}, N ${w.closesReceiving}, retransmits ${w.retransPermille}‰`,
    `${'phase'.padEnd(9)}${['p50_us', 'p90_us', 'p99_us', 'avg_us'].map(cell).join('')}`,
    ...PHASES.map(
      (p) => `${p.padEnd(9)}${[w[p].p50Us, w[p].p90Us, w[p].p99Us, w[p].avgUs].map(cell).join('')}`,
    ),
  ].join('\n');
}

export const statsCommand: CliCommand = {
  name: 'stats',
  summary: "a port's p50/p90/p99 per phase over a window, from the running agent",
  usage: [
    'usage: tcprt stats --port N [--peer] [--since T] [--until T] [--json]',
    '  --port N           the port (server side; with --peer the remote port of P records)',
    WINDOW_USAGE,
    "  --json             the agent's answer as JSON (adds the latency distributions)",
    '  Percentiles are those of every task in the window, within ±3 % (stored histograms).',
    CLIENT_USAGE,
  ].join('\n'),
  async run(args) {
    const { flags, positionals } = parseFlags(args, {
      ...CLIENT_FLAGS,
      ...PORT_WINDOW_FLAGS,
      peer: 'boolean',
    });
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    const params = portWindowQuery(flags);
    params.set('side', flags.peer ? 'peer' : 'local');
    return printAgentAnswer<StatsWindow>(
      'stats',
      flags,
      `/api/stats/window?${params.toString()}`,
      describe,
    );
  },
};
