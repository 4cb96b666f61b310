import type { Status } from '@tcprt/schema';

/** The health metrics, read from the agent's status at scrape time. */
export interface MetricsHealth {
  collectorUp: boolean;
  collectorRestarts: number;
  configRejected: boolean;
  /** Records lost before they reached the agent, by cause. */
  lostRecords: Record<string, number>;
  kernel: string;
}

/**
 * The one place that maps the status model onto the health metrics: when the status model
 * changes (a config-rejected state, collector gaps), only this function follows.
 */
export function metricsHealth(status: Status): MetricsHealth {
  const { collector, config } = status;
  return {
    // A deactivated collector still runs (it only stops tracking new connections).
    collectorUp: collector.state === 'running' || collector.state === 'deactivated',
    collectorRestarts: collector.restarts,
    configRejected: config.errors.length > 0,
    // The loader reports one cause today: a batch of records that found the ring buffer full.
    lostRecords: { ring_buffer_full: collector.lostRecords },
    kernel: collector.kernel,
  };
}
