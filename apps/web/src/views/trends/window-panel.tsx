'use client';

import type { LatencyPhase, StatsWindow } from '@tcprt/schema';
import { LatencyHistogram } from '@/components/charts/latency-histogram';
import { formatCount, formatRate, formatUs } from '@/lib/format';
import { formatBucketWidth } from '@/lib/time-range';

const PHASES: LatencyPhase[] = ['total', 'upload', 'process', 'download'];

/**
 * The selected window as one set of numbers: percentiles of all its tasks (merged from the
 * stored histograms), the rate over the time the port had traffic, and the distribution.
 */
export function WindowPanel({ window: w, phase }: { window: StatsWindow; phase: LatencyPhase }) {
  return (
    <section className="panel" aria-label="This window" data-testid="window-panel">
      <div className="panel-head">
        <h2>This window</h2>
        <span className="small muted">
          {formatCount(w.count)} tasks ·{' '}
          <span data-testid="window-rate">{formatRate(w.tasksPerSec)}</span> over{' '}
          {formatCount(w.activeSec)} s with traffic (read at {formatBucketWidth(w.resolutionSec)})
        </span>
      </div>
      <div className="table-wrap">
        <table className="data" data-testid="window-percentiles">
          <thead>
            <tr>
              <th scope="col">time</th>
              <th scope="col" className="num">
                p50
              </th>
              <th scope="col" className="num">
                p90
              </th>
              <th scope="col" className="num">
                p99
              </th>
              <th scope="col" className="num">
                average
              </th>
            </tr>
          </thead>
          <tbody>
            {PHASES.map((p) => (
              <tr key={p} data-phase={p}>
                <th scope="row">{p}</th>
                <td className="num" data-p50-us={w[p].p50Us}>
                  {formatUs(w[p].p50Us)}
                </td>
                <td className="num" data-p90-us={w[p].p90Us}>
                  {formatUs(w[p].p90Us)}
                </td>
                <td className="num" data-p99-us={w[p].p99Us}>
                  {formatUs(w[p].p99Us)}
                </td>
                <td className="num">{formatUs(w[p].avgUs)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="note">
        Percentiles of every task in the window, within ±3 % (the stored histograms have 16 bins per
        power of two).
      </p>
      <h3 className="small" style={{ margin: '8px 0 4px' }}>
        Distribution of {phase} time
      </h3>
      <LatencyHistogram
        distribution={w.distributions[phase]}
        ariaLabel={`Histogram of ${phase} time in the window`}
      />
    </section>
  );
}
