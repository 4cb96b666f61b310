import type { RawDownloadInput, RawFilesInfo, Status } from '@tcprt/schema';
import type { Readable } from 'node:stream';
import type { ConfigManager } from './config/config-manager';
import type { MetricsEndpoint } from './metrics/metrics-registry';
import type { EndpointQueries } from './store/queries/endpoint-queries';
import type { HistoryLines } from './store/queries/history-lines';
import type { RecordQueries } from './store/queries/record-queries';
import type { StatsQueries } from './store/queries/stats-queries';

/** What the API layer may use of a running agent. */
export interface AgentServices {
  records: RecordQueries;
  stats: StatsQueries;
  /** `stats.endpoints`: a port's routes, from the stored tasks. */
  endpoints: EndpointQueries;
  /** Stored records as log lines: the full-history download. */
  history: HistoryLines;
  config: ConfigManager;
  rawFiles: { info(): RawFilesInfo; stream(input: RawDownloadInput): Readable };
  status(): Status;
  setActive(active: boolean): Promise<void>;
  /** `GET /metrics`: the Prometheus exposition. */
  metrics: MetricsEndpoint;
}
