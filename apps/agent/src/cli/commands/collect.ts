import type { TcprtConfig, TcprtRecord } from '@tcprt/schema';
import {
  CollectorUnavailableError,
  LOADER_EXIT_STDOUT_CLOSED,
  startCollector,
  type Collector,
  type CollectorExit,
  type CollectorHealth,
} from '../../collector';
import { StatsTicker } from '../../collector/stats-ticker';
import { loadConfigFile } from '../../config/config-codec';
import { ConfigFileWatcher } from '../../config/config-file-watcher';
import { ConfigRejectedError } from '../../config/config-rejected-error';
import { DEFAULT_CONFIG_PATH } from '../../defaults';
import { UsageError, type CliCommand } from '../command';
import { resolveUserPath } from '../paths';

function parseArgs(args: string[]): { configPath: string } {
  let configPath = DEFAULT_CONFIG_PATH;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--config') {
      const value = args[++i];
      if (!value) throw new UsageError('--config needs a file');
      configPath = resolveUserPath(value);
    } else if (arg.startsWith('--config=')) {
      configPath = resolveUserPath(arg.slice('--config='.length));
    } else {
      throw new UsageError(`unknown argument '${arg}'`);
    }
  }
  return { configPath };
}

/** The config in the file, or the reasons it cannot be used (printed by the caller). */
async function readConfig(path: string): Promise<{ config: TcprtConfig } | { problems: string[] }> {
  const loaded = await loadConfigFile(path);
  if (loaded.ok) return { config: loaded.config };
  return { problems: new ConfigRejectedError(loaded.issues).lines.map((p) => `${path}: ${p}`) };
}

function ruleCount(config: TcprtConfig): string {
  const n = config['per-port'].length;
  return `${n} rule${n === 1 ? '' : 's'}`;
}

const say = (message: string) => process.stderr.write(`tcprt collect: ${message}\n`);

/** Reports counters that grew since the last health frame: lost records are never silent. */
function lossReporter(): (health: CollectorHealth) => void {
  let ringbufFull = 0;
  let storageAlloc = 0;
  return (health) => {
    if (health.lostRingbufFull > ringbufFull) {
      say(
        `${health.lostRingbufFull - ringbufFull} records lost: the kernel ring buffer was full (total ${health.lostRingbufFull})`,
      );
    }
    if (health.lostStorageAlloc > storageAlloc) {
      say(
        `${health.lostStorageAlloc - storageAlloc} connections not tracked: socket storage allocation failed (total ${health.lostStorageAlloc})`,
      );
    }
    ringbufFull = health.lostRingbufFull;
    storageAlloc = health.lostStorageAlloc;
  };
}

/**
 * SIGINT and SIGTERM end the run normally. So does stdout closing under us (`tcprt collect |
 * head`): the loader, which writes stdout, notices and exits with LOADER_EXIT_STDOUT_CLOSED.
 */
function waitForStop(): Promise<string> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
}

/**
 * The stats lines (SPEC §3) are computed here from record frames, which the loader sends only
 * while stats are enabled; they are printed through the loader, stdout's only writer, so a stats
 * line never lands inside a record line.
 */
function startStats(collector: Collector, config: TcprtConfig): StatsTicker {
  return new StatsTicker(config, (line) => {
    collector.print(line.replace(/\n$/, '')).catch((err: Error) => {
      say(`stats line not printed: ${err.message}`);
    });
  });
}

const statsEnabled = (config: TcprtConfig) => config.global.stats === 'enable';

async function run(args: string[]): Promise<number> {
  const { configPath } = parseArgs(args);
  const initial = await readConfig(configPath);
  if ('problems' in initial) {
    for (const problem of initial.problems) say(problem);
    return 1;
  }
  // Records reach Node only once setRecordFrames(true) asked for them, when `stats` exists.
  let addToStats: (record: TcprtRecord) => void = () => {};
  let unexpectedExit: (exit: CollectorExit) => void = () => {};
  const exited = new Promise<CollectorExit>((resolve) => (unexpectedExit = resolve));

  let collector;
  try {
    // The loader prints the record lines on our stdout itself: no record passes through Node.
    collector = await startCollector({
      config: initial.config,
      output: 'lines',
      onRecord: (record) => addToStats(record),
      onHealth: lossReporter(),
      onExit: (exit) => {
        if (!exit.requested) unexpectedExit(exit);
      },
    });
  } catch (err) {
    if (!(err instanceof CollectorUnavailableError)) throw err;
    say(`cannot start the collector: ${err.message}`);
    return 1;
  }
  const stats = startStats(collector, initial.config);
  addToStats = (record) => stats.add(record);
  // Rejected only when the loader is gone, which `exited` reports below.
  await collector.setRecordFrames(statsEnabled(initial.config)).catch(() => {});
  say(
    `attached (${collector.attached.attachedHooks.join(', ')}; ring path ${collector.attached.ringPath}), tracking ${ruleCount(initial.config)}`,
  );

  // Rule changes apply to new connections without reloading the programs.
  let reloading = Promise.resolve();
  const reload = () => {
    reloading = reloading.then(async () => {
      const next = await readConfig(configPath);
      if ('problems' in next) {
        say('config not applied, keeping the previous rules:');
        for (const problem of next.problems) say(`  ${problem}`);
        return;
      }
      try {
        await collector.applyConfig(next.config);
        stats.reconfigure(next.config);
        await collector.setRecordFrames(statsEnabled(next.config));
        say(`rules applied, tracking ${ruleCount(next.config)}`);
      } catch (err) {
        say(`config not applied: ${err instanceof Error ? err.message : String(err)}`);
      }
    });
  };
  const watcher = new ConfigFileWatcher(configPath, reload);
  watcher.start();
  const hangUp = () => watcher.changed();
  process.on('SIGHUP', hangUp);

  const outcome = await Promise.race([waitForStop(), exited]);
  watcher.stop();
  process.off('SIGHUP', hangUp);
  stats.stop();
  if (typeof outcome !== 'string') {
    if (outcome.code === LOADER_EXIT_STDOUT_CLOSED) return 0; // the loader has detached
    say(outcome.error ?? `the collector exited (${outcome.code ?? outcome.signal})`);
    return 1;
  }
  await collector.stop();
  say('detached');
  return 0;
}

export const collectCommand: CliCommand = {
  name: 'collect',
  summary: 'run the kernel collector alone and print each record as a log line',
  usage: [
    'usage: tcprt collect [--config FILE]',
    '',
    'Loads the eBPF programs, tracks the ports of FILE (default /etc/tcprt/tcprt.yaml) and prints',
    'every record as its V6/V7 log line on stdout, plus the stats lines when stats are enabled.',
    'Edits of FILE (or SIGHUP) apply new rules to new connections. Needs root, BTF and cgroup v2.',
    'Stops and detaches on SIGINT/SIGTERM.',
  ].join('\n'),
  run,
};
