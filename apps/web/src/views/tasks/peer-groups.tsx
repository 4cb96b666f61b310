'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { MAX_GROUPED_RECORDS, type PeerRank, type RecordsCountInput } from '@tcprt/schema';
import { FastLinks } from '@/components/fast-links';
import { QueryView } from '@/components/query-view';
import { formatCount, formatUs } from '@/lib/format';
import { useTRPC } from '@/lib/trpc';
import { peerTasksHref } from './task-filters';

/** Peers shown at once: an incident is about the few at the top. */
const PEER_ROWS = 100;

/**
 * Every match of the page's filters grouped by peer address on the agent (records.peers), not
 * just the page: per peer its records and p50 / p99 / max total, slowest or busiest first; a
 * peer opens its own records, slowest first.
 */
export function PeerGroups({
  filters,
  by,
  onRank,
  params,
}: {
  filters: RecordsCountInput;
  by: PeerRank;
  onRank: (by: PeerRank) => void;
  params: URLSearchParams;
}) {
  const trpc = useTRPC();
  const peers = useQuery({
    ...trpc.records.peers.queryOptions({ ...filters, by, limit: PEER_ROWS }),
    placeholderData: keepPreviousData,
  });
  return (
    <QueryView query={peers} loadingHeight={300}>
      {(data) => (
        <FastLinks>
          <div className="toolbar" style={{ justifyContent: 'space-between' }}>
            <span className="small muted" data-testid="peer-groups-summary">
              {formatCount(data.peerCount)} {data.peerCount === 1 ? 'peer' : 'peers'} over{' '}
              {data.capped
                ? `the newest ${formatCount(MAX_GROUPED_RECORDS)} matching records`
                : `${formatCount(data.recordCount)} matching records`}{' '}
              with a total time
              {data.peerCount > data.peers.length ? ` · the first ${data.peers.length} shown` : ''}
            </span>
            <label className="small muted toolbar">
              Order
              <select value={by} onChange={(e) => onRank(e.target.value as PeerRank)}>
                <option value="slowest">slowest first (p99)</option>
                <option value="busiest">busiest first</option>
              </select>
            </label>
          </div>
          <div className="table-wrap">
            <table className="data" data-testid="peer-groups">
              <thead>
                <tr>
                  <th>Peer</th>
                  <th className="r">Records</th>
                  <th className="r">p50 total</th>
                  <th className="r">p99 total</th>
                  <th className="r">Max total</th>
                </tr>
              </thead>
              <tbody>
                {data.peers.map((p) => (
                  <tr key={p.peerAddr} data-testid="peer-group">
                    <td className="mono">
                      <a href={peerTasksHref(params, p.peerAddr)}>{p.peerAddr}</a>
                    </td>
                    <td className="r">{formatCount(p.count)}</td>
                    <td className="r">{formatUs(p.p50TotalUs)}</td>
                    <td className="r">{formatUs(p.p99TotalUs)}</td>
                    <td className="r">{formatUs(p.maxTotalUs)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </FastLinks>
      )}
    </QueryView>
  );
}
