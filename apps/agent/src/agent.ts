import {
  parseStatsLine,
  type ConfigIssue,
  type Status,
  type TcprtConfig,
  type TcprtRecord,
} from '@tcprt/schema';
import type { FastifyInstance } from 'fastify';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type { AgentServices } from './agent-services';
import { loadOrCreateToken, TokenFile } from './api/credentials';
import { createApiServer, isLoopbackHost } from './api/server';
import { AGENT_ENDPOINT_FILE, DATABASE_FILE, DEFAULT_CORS_ORIGINS, TOKEN_FILE } from './defaults';
import { writeFileAtomic } from './config/atomic-write';
import { ConfigManager } from './config/config-manager';
import { ConfigRejectedError } from './config/config-rejected-error';
import { RulesRefusedError } from './collector/rules-command';
import { IngestRate } from './ingest-rate';
import { PortServiceTracker } from './port-services/port-service-tracker';
import { portServiceOf, ruleNameOf } from './port-services/port-service-view';
import { metricsHealth } from './metrics/health';
import { createMetricsEndpoint } from './metrics/metrics-registry';
import { TaskMetrics } from './metrics/task-metrics';
import { RawFiles } from './raw-files/raw-files';
import { StatsTicker } from './collector/stats-ticker';
import { fullDiskReason, openDatabase, openDatabaseReader, type Db } from './store/database';
import { HistoryLines } from './store/queries/history-lines';
import { PortServiceQueries } from './store/queries/port-service-queries';
import { RecordQueries } from './store/queries/record-queries';
import { StatsQueries } from './store/queries/stats-queries';
import { DatabaseWriter } from './store/writer/database-writer';
import { EndpointQueries } from './store/queries/endpoint-queries';
import { DEFAULT_RETENTION, type RetentionLimits } from './store/writer/retention-limits';
import { CollectorSupervisor } from './supervisor/collector-supervisor';
import type { StartCollector } from './supervisor/collector-port';
import { AGENT_VERSION } from './version';

const RETENTION_EVERY_MS = 60_000;
/** How often an agent started on a full disk tries again what it could not write (database, agent.json). */
const RECOVER_EVERY_MS = 2_000;

/** A rule set the collector's loader refused, reported like any other config problem. */
function rulesRefusedIssue(reason: string): ConfigIssue {
  return { line: null, path: 'per-port', message: `the collector refused these rules: ${reason}` };
}
/** How often ingested records are filed under their second for recordsPerSec. */
const RATE_SAMPLE_EVERY_MS = 250;

export interface AgentOptions {
  configPath: string;
  dataDir: string;
  listen: { host: string; port: number };
  startCollector: StartCollector;
  retention?: RetentionLimits;
  corsOrigins?: readonly string[];
  /** DNS names the API answers to besides IP literals and localhost. */
  hostNames?: readonly string[];
}

/** The daemon: config, collector supervision, history, raw files, stats and the API, wired together. */
export class Agent {
  private readonly tokenFile: TokenFile;
  private readonly startedAtMs = Date.now();
  private db!: Db;
  private readonly writer: DatabaseWriter;
  private records!: RecordQueries;
  private history!: HistoryLines;
  private statsQueries!: StatsQueries;
  private endpointQueries!: EndpointQueries;
  /**
   * Why the database is not open for writing (started on a full disk): `db` is then a reader, and
   * every REOPEN_EVERY_MS the agent tries again. null once it is open.
   */
  private notWritable: string | null = null;
  /** agent.json is written (a full disk may refuse it at start). */
  private advertised = false;
  private recoverTimer: NodeJS.Timeout | null = null;
  private readonly rate = new IngestRate();
  private readonly metrics = new TaskMetrics();
  private readonly portServices: PortServiceTracker;
  private stats: StatsTicker | null = null;
  private readonly supervisor: CollectorSupervisor;
  private readonly config: ConfigManager;
  private rawFiles: RawFiles | null = null;
  private server: FastifyInstance | null = null;
  private retentionTimer: NodeJS.Timeout | null = null;
  private readonly rateTimer: NodeJS.Timeout;
  /** Counted once at start, then kept up to date: a count(*) over millions of rows is too slow for status. */
  private recordsAtStart = 0;
  readonly services: AgentServices;

  private constructor(private readonly options: AgentOptions) {
    mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
    loadOrCreateToken(options.dataDir);
    this.tokenFile = new TokenFile(path.join(options.dataDir, TOKEN_FILE));
    let db: Db;
    try {
      db = openDatabase(this.databasePath);
    } catch (err) {
      // Started on a full disk: the history can still be read; records are counted as not
      // stored until the database opens for writing.
      this.notWritable = fullDiskReason(this.databasePath, err);
      if (!this.notWritable) throw err;
      process.stderr.write(`tcprt agent: ${this.notWritable}\n`);
      db = openDatabaseReader(this.databasePath);
    }
    this.useDatabase(db);
    this.writer = new DatabaseWriter(db, options.retention ?? DEFAULT_RETENTION, {
      file: this.databasePath,
      deferOpen: this.notWritable !== null,
    });
    this.portServices = new PortServiceTracker((seen) => this.writer.addPortServices(seen));
    this.supervisor = new CollectorSupervisor(
      options.startCollector,
      (r) => this.ingest(r),
      (refused, reason, fallback) =>
        this.config.refusedByCollector(refused, [rulesRefusedIssue(reason)], fallback),
    );
    this.config = new ConfigManager(options.configPath, (config) => this.applyConfig(config));
    this.rateTimer = setInterval(() => this.rate.sample(), RATE_SAMPLE_EVERY_MS);
    this.rateTimer.unref();
    // Getters: the queries are rebuilt when the database is opened again (see reopenDatabase).
    const readers = () => ({
      records: this.records,
      history: this.history,
      stats: this.statsQueries,
      endpoints: this.endpointQueries,
    });
    this.services = {
      get records() {
        return readers().records;
      },
      get history() {
        return readers().history;
      },
      get stats() {
        return readers().stats;
      },
      get endpoints() {
        return readers().endpoints;
      },
      config: this.config,
      rawFiles: {
        info: () => this.raw.info(),
        stream: (input) => this.raw.stream(input),
      },
      status: () => this.status(),
      setActive: (active) => this.supervisor.setActive(active),
      metrics: createMetricsEndpoint({
        tasks: this.metrics,
        health: () => metricsHealth(this.status()),
        version: AGENT_VERSION,
      }),
    };
  }

  /** Reads go through `db` from now on (a reader, while the disk is full). */
  private useDatabase(db: Db): void {
    this.history?.close();
    this.db = db;
    this.records = new RecordQueries(db);
    this.history = new HistoryLines(db, { ownConnection: this.notWritable === null });
    const servicesSeen = new PortServiceQueries(db);
    this.statsQueries = new StatsQueries(db, (port, peer, toMs) =>
      portServiceOf(
        servicesSeen.lastSeenBy(port, peer, toMs),
        ruleNameOf(this.config.config, port, peer),
      ),
    );
    this.endpointQueries = new EndpointQueries(db);
  }

  /** Tries to open the database for writing again (started on a full disk). */
  private reopenDatabase(): void {
    // The reader holds the file locked: let go of it for the attempt, take it back on failure.
    this.db.close();
    let db: Db;
    try {
      db = openDatabase(this.databasePath);
    } catch (err) {
      this.notWritable = fullDiskReason(this.databasePath, err) ?? (err as Error).message;
      this.useDatabase(openDatabaseReader(this.databasePath));
      return;
    }
    this.notWritable = null;
    this.useDatabase(db);
    this.writer.open().then(
      () => process.stderr.write('tcprt agent: the database is open for writing again\n'),
      (err: Error) => process.stderr.write(`tcprt agent: record writer: ${err.message}\n`),
    );
  }

  /** agent.json tells local CLI commands where the API is; a full disk may refuse it for now. */
  private advertise(): void {
    try {
      writeFileAtomic(
        this.endpointFile,
        `${JSON.stringify({ url: this.localUrl, pid: process.pid })}\n`,
      );
      this.advertised = true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
      process.stderr.write(`tcprt agent: ${this.endpointFile} not written yet: disk full\n`);
    }
  }

  /** Until the database and agent.json are written: tries again every RECOVER_EVERY_MS. */
  private recover(): void {
    if (this.notWritable) this.reopenDatabase();
    if (!this.advertised) this.advertise();
    if (!this.notWritable && this.advertised && this.recoverTimer) {
      clearInterval(this.recoverTimer);
      this.recoverTimer = null;
    }
  }

  static async start(options: AgentOptions): Promise<Agent> {
    const agent = new Agent(options);
    try {
      await agent.config.start();
      agent.portServices.start();
      agent.recordsAtStart = agent.records.count();
      agent.enforceRetention();
      agent.retentionTimer = setInterval(() => agent.enforceRetention(), RETENTION_EVERY_MS);
      await agent.supervisor.start(agent.config.config);
      agent.server = await createApiServer({
        services: agent.services,
        token: () => agent.tokenFile.current(),
        version: AGENT_VERSION,
        requireTokenForAll: !isLoopbackHost(options.listen.host),
        corsOrigins: options.corsOrigins ?? DEFAULT_CORS_ORIGINS,
        hostNames: options.hostNames ?? [],
      });
      await agent.server.listen({ host: options.listen.host, port: options.listen.port });
      agent.advertise();
      if (agent.notWritable || !agent.advertised) {
        agent.recoverTimer = setInterval(() => agent.recover(), RECOVER_EVERY_MS);
        agent.recoverTimer.unref();
      }
    } catch (err) {
      await agent.stop();
      throw err;
    }
    return agent;
  }

  /** The token in the data directory now ('' once the file is deleted: revoked). */
  get token(): string {
    return this.tokenFile.current() ?? '';
  }

  get databasePath(): string {
    return path.join(this.options.dataDir, DATABASE_FILE);
  }

  /** The base URL the API answers on. */
  get url(): string {
    const address = this.server?.server.address();
    if (!address || typeof address === 'string') throw new Error('agent is not listening on TCP');
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return `http://${host}:${address.port}`;
  }

  private get endpointFile(): string {
    return path.join(this.options.dataDir, AGENT_ENDPOINT_FILE);
  }

  /** The URL local CLI commands use: a wildcard listen address is reached through loopback. */
  get localUrl(): string {
    return this.url.replace('//0.0.0.0:', '//127.0.0.1:').replace('//[::]:', '//[::1]:');
  }

  private get raw(): RawFiles {
    if (!this.rawFiles) throw new Error('raw files are not open yet');
    return this.rawFiles;
  }

  /** Rules first: when the collector refuses them, nothing of the config changes. */
  private async applyConfig(config: TcprtConfig): Promise<void> {
    try {
      // The collector keeps tracked connections: only new connections see the new rules.
      await this.supervisor.applyConfig(config);
    } catch (err) {
      if (err instanceof RulesRefusedError)
        throw new ConfigRejectedError([rulesRefusedIssue(err.message)]);
      throw err;
    }
    this.metrics.setConfig(config);
    this.writer.setConfig(config);
    if (this.rawFiles) this.rawFiles.setBounds(config.init);
    else this.rawFiles = new RawFiles(this.options.dataDir, config.init);
    this.portServices.setConfig(config);
    if (this.stats) this.stats.reconfigure(config);
    else this.stats = new StatsTicker(config, (line) => this.storeStatsLine(line));
  }

  private enforceRetention(): void {
    this.writer
      .runRetention()
      .catch((err: Error) => process.stderr.write(`tcprt agent: retention: ${err.message}\n`));
  }

  private get storedRecords(): number {
    return this.recordsAtStart + this.writer.writtenCount - this.writer.deletedCount;
  }

  private storeStatsLine(line: string): void {
    this.rawFiles?.appendStatsLine(line);
    this.writer.addStatsLines([parseStatsLine(line)]);
  }

  private ingest(record: TcprtRecord): void {
    this.writer.add(record);
    this.rawFiles?.appendRecord(record);
    this.stats?.add(record);
    this.metrics.add(record);
    this.rate.add();
    if (record.type === 'P') this.portServices.notePeerCall(record.local.port, record.peer.port);
  }

  /** Writes everything queued so far (tests and shutdown). */
  async flush(): Promise<void> {
    this.rawFiles?.flush();
    await this.writer.flush();
  }

  status(): Status {
    const collector = this.supervisor.snapshot();
    const rejection = this.config.rejection();
    const view = this.config.view();
    let sizeBytes = 0;
    for (const suffix of ['', '-wal']) {
      try {
        sizeBytes += statSync(this.databasePath + suffix).size;
      } catch {
        // no WAL file between checkpoints
      }
    }
    return {
      version: AGENT_VERSION,
      uptimeSec: Math.floor((Date.now() - this.startedAtMs) / 1000),
      collector,
      config: {
        path: view.path,
        loadedAtMs: view.loadedAtMs,
        errors: rejection?.issues ?? [],
        rejectedAtMs: rejection?.atMs ?? null,
        warnings: this.config.warnings(),
      },
      database: {
        path: this.databasePath,
        sizeBytes,
        records: this.storedRecords,
        ...this.records.ends(),
      },
      storage: this.storage(),
      recordsPerSec: this.rate.perSec(),
    };
  }

  private storage(): Status['storage'] {
    const unstored = this.writer.unstored;
    const raw = this.rawFiles?.writeFailures() ?? { unwrittenLines: 0, lastError: null };
    return {
      unstoredRecords: unstored.count,
      unwrittenRawLines: raw.unwrittenLines,
      error:
        this.notWritable ??
        unstored.lastError ??
        (raw.lastError ? `raw files: ${raw.lastError}` : null),
    };
  }

  async stop(): Promise<void> {
    if (this.retentionTimer) clearInterval(this.retentionTimer);
    if (this.recoverTimer) clearInterval(this.recoverTimer);
    clearInterval(this.rateTimer);
    this.portServices.stop();
    if (this.server) rmSync(this.endpointFile, { force: true });
    await this.server?.close();
    await this.supervisor.stop();
    await this.config.stop();
    this.stats?.stop();
    await this.writer.close();
    this.rawFiles?.close();
    this.history.close();
    this.db.close();
  }
}
