import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { CLOSE_REASONS } from '@tcprt/schema';
import { BUCKET_BOUNDS_SECONDS } from './buckets';
import type { MetricsHealth } from './health';
import {
  TASK_PHASES,
  type HistogramCounts,
  type PortCounters,
  type TaskMetrics,
} from './task-metrics';

export interface MetricsSource {
  tasks: TaskMetrics;
  health: () => MetricsHealth;
  version: string;
}

type Labels = Record<string, string>;
type HistogramExport = Awaited<ReturnType<Histogram['get']>>;

/**
 * A histogram whose counts live in `HistogramCounts` the ingest path fills. The registry calls
 * `get()` at scrape time and formats what it returns exactly as for its own metrics (prom-client
 * takes any registered object with a name and `get()`; its typings only list its own classes).
 */
class CountedHistogram {
  constructor(
    readonly name: string,
    private readonly help: string,
    registry: Registry,
    private readonly read: () => Iterable<[Labels, HistogramCounts]>,
  ) {
    registry.registerMetric(this as unknown as Histogram);
  }

  /** prom-client awaits `get()`; the counts are already in memory, so it resolves at once. */
  get(): Promise<HistogramExport> {
    const values: HistogramExport['values'] = [];
    for (const [labels, h] of this.read()) {
      let cumulative = 0;
      for (let i = 0; i < BUCKET_BOUNDS_SECONDS.length; i++) {
        cumulative += h.buckets[i]!;
        values.push({
          metricName: `${this.name}_bucket`,
          labels: { ...labels, le: BUCKET_BOUNDS_SECONDS[i]! },
          value: cumulative,
        });
      }
      values.push(
        { metricName: `${this.name}_bucket`, labels: { ...labels, le: '+Inf' }, value: h.count },
        { metricName: `${this.name}_sum`, labels, value: h.sumUs / 1e6 },
        { metricName: `${this.name}_count`, labels, value: h.count },
      );
    }
    return Promise.resolve({
      name: this.name,
      help: this.help,
      // prom-client's typings declare `type` as an enum; its runtime prints the string.
      type: 'histogram' as unknown as HistogramExport['type'],
      values,
      aggregator: 'sum',
      // Required by the typings; the registry only calls get().
      collect: () => undefined,
    });
  }
}

export interface MetricsEndpoint {
  contentType: string;
  /** The exposition text of one scrape. */
  scrape(): Promise<string>;
}

/**
 * The registry behind `GET /metrics` (names and labels: README, "Many hosts"). Everything is
 * read from the accumulators and the status when Prometheus scrapes; nothing is computed per
 * record here.
 */
export function createMetricsEndpoint(source: MetricsSource): MetricsEndpoint {
  const registry = new Registry();
  const { tasks } = source;
  /** Read once per scrape: the status costs a few file stats. */
  let health: MetricsHealth;

  TASK_PHASES.forEach((phase, slot) => {
    new CountedHistogram(
      `tcprt_task_${phase}_seconds`,
      phase === 'duration'
        ? 'Task time T3-T0: first request byte received to the last ACK of the response'
        : `Task ${phase} time (SPEC §1)`,
      registry,
      function* () {
        for (const s of tasks.series())
          yield [{ port: String(s.port), side: s.side, mode: s.mode }, s.phases[slot]!];
      },
    );
  });
  new CountedHistogram(
    'tcprt_tls_handshake_seconds',
    'TLS 1.3 handshake time: ClientHello received to client Finished received (R.H records)',
    registry,
    function* () {
      for (const [port, h] of tasks.handshakesByPort()) yield [{ port: String(port) }, h];
    },
  );

  const portCounter = (name: string, help: string, value: (c: PortCounters) => number) =>
    new Counter({
      name,
      help,
      labelNames: ['port', 'side'],
      registers: [registry],
      collect() {
        this.reset();
        for (const c of tasks.portCountersAll())
          this.inc({ port: String(c.port), side: c.side }, value(c));
      },
    });
  portCounter(
    'tcprt_task_request_bytes_total',
    'Request bytes of counted tasks',
    (c) => c.requestBytes,
  );
  portCounter(
    'tcprt_task_response_bytes_total',
    'Response bytes of counted tasks',
    (c) => c.responseBytes,
  );
  portCounter(
    'tcprt_task_retransmits_total',
    'Retransmitted segments of counted tasks',
    (c) => c.retransmits,
  );
  new Counter({
    name: 'tcprt_connections_closed_total',
    help: `Closed connections by how they ended (the E record's close reason): ${CLOSE_REASONS.join(', ')}`,
    labelNames: ['port', 'side', 'reason'],
    registers: [registry],
    collect() {
      this.reset();
      for (const c of tasks.portCountersAll()) {
        CLOSE_REASONS.forEach((reason, slot) =>
          this.inc({ port: String(c.port), side: c.side, reason }, c.closes[slot]),
        );
      }
    },
  });

  new Counter({
    name: 'tcprt_records_lost_total',
    help: 'Records lost before they reached the agent, by cause',
    labelNames: ['cause'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [cause, lost] of Object.entries(health.lostRecords)) this.inc({ cause }, lost);
    },
  });
  new Gauge({
    name: 'tcprt_collector_up',
    help: '1 while the kernel collector runs',
    registers: [registry],
    collect() {
      this.set(health.collectorUp ? 1 : 0);
    },
  });
  new Counter({
    name: 'tcprt_collector_restarts_total',
    help: 'Times the agent restarted a collector that had died',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(health.collectorRestarts);
    },
  });
  new Gauge({
    name: 'tcprt_config_rejected',
    help: '1 while the last config candidate is rejected (the last good config keeps running)',
    registers: [registry],
    collect() {
      this.set(health.configRejected ? 1 : 0);
    },
  });
  new Gauge({
    name: 'tcprt_build_info',
    help: 'Always 1: the agent version and the kernel it runs on',
    labelNames: ['version', 'kernel'],
    registers: [registry],
    collect() {
      this.reset();
      this.set({ version: source.version, kernel: health.kernel }, 1);
    },
  });
  return {
    contentType: registry.contentType,
    scrape: () => {
      health = source.health();
      return registry.metrics();
    },
  };
}
