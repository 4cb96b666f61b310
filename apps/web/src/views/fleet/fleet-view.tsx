import Link from 'next/link';
import { PageHeader } from '@/components/page-header';
import { Teach } from '@/components/states';
import { loadFleetRows } from '@/lib/fleet/fleet-query';
import {
  FLEET_WINDOW,
  fleetQuery,
  hostConsoleUrl,
  selectFleetRows,
  type FleetParams,
  type FleetRow,
  type FleetSort,
  type PhaseTimes,
} from '@/lib/fleet/fleet-rows';
import { formatCount, formatRate, formatUs } from '@/lib/format';

const seconds = (s: number | null) => formatUs(s === null ? null : s * 1e6);

function Split({ times }: { times: PhaseTimes }) {
  return (
    <span title="upload / process / download">
      {seconds(times.upload)} / {seconds(times.process)} / {seconds(times.download)}
    </span>
  );
}

function SortHeader({
  params,
  sort,
  label,
  right = true,
}: {
  params: FleetParams;
  sort: FleetSort;
  label: string;
  right?: boolean;
}) {
  const active = params.sort === sort;
  // Numbers sort worst first on the first click; a second click flips.
  const desc = active ? !params.desc : sort !== 'instance' && sort !== 'port';
  return (
    <th
      className={right ? 'r' : undefined}
      aria-sort={active ? (params.desc ? 'descending' : 'ascending') : undefined}
    >
      <Link href={`/fleet${fleetQuery(params, { sort, desc })}`}>
        {label}
        {active ? (params.desc ? ' ↓' : ' ↑') : ''}
      </Link>
    </th>
  );
}

function FleetTable({
  rows,
  params,
  hostUrlTemplate,
}: {
  rows: FleetRow[];
  params: FleetParams;
  hostUrlTemplate: string;
}) {
  return (
    <div className="table-wrap">
      <table className="data" data-testid="fleet-table">
        <thead>
          <tr>
            <SortHeader params={params} sort="instance" label="Host" right={false} />
            <SortHeader params={params} sort="port" label="Port" right={false} />
            <th>Side</th>
            <SortHeader params={params} sort="rate" label="Requests" />
            <SortHeader params={params} sort="p50" label="p50 total" />
            <th className="r" title="upload / process / download">
              p50 split
            </th>
            <SortHeader params={params} sort="p99" label="p99 total" />
            <SortHeader params={params} sort="process99" label="p99 split" />
            <SortHeader params={params} sort="failure" label="Failed closes" />
            <SortHeader params={params} sort="lost" label="Lost (host)" />
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr
              key={`${r.instance}|${r.port}|${r.side}`}
              data-instance={r.instance}
              data-port={r.port}
            >
              <td>
                <a href={hostConsoleUrl(hostUrlTemplate, r.instance)}>{r.instance}</a>
              </td>
              <td>{r.port}</td>
              <td>{r.side}</td>
              <td className="r">{formatRate(r.requestsPerSec)}</td>
              <td className="r">{seconds(r.p50.total)}</td>
              <td className="r">
                <Split times={r.p50} />
              </td>
              <td className="r">{seconds(r.p99.total)}</td>
              <td className="r">
                <Split times={r.p99} />
              </td>
              <td className="r">
                {r.failureRatio === null ? '—' : `${(r.failureRatio * 100).toFixed(1)} %`}
              </td>
              <td className="r">
                {formatCount(r.lostRecords === null ? null : Math.round(r.lostRecords))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Filters({ params }: { params: FleetParams }) {
  return (
    <form method="get" action="/fleet" className="toolbar" aria-label="Filters">
      <label>
        Host <input type="search" name="host" defaultValue={params.host} placeholder="any" />
      </label>
      <label>
        Port{' '}
        <input type="number" name="port" min={0} max={65535} defaultValue={params.port ?? ''} />
      </label>
      {params.sort !== 'instance' && <input type="hidden" name="sort" value={params.sort} />}
      {params.desc && <input type="hidden" name="dir" value="desc" />}
      <button type="submit">Filter</button>
    </form>
  );
}

/**
 * Every host × port Prometheus scrapes, from the server side (the browser never talks to
 * Prometheus): request rate, percentiles of the split, failed closes and lost records.
 */
export async function FleetView({
  prometheusUrl,
  hostUrlTemplate,
  params,
}: {
  prometheusUrl: string | null;
  hostUrlTemplate: string;
  params: FleetParams;
}) {
  const header = (
    <PageHeader
      title="Fleet"
      sub={`Every host and port Prometheus scrapes, over the last ${FLEET_WINDOW}; split = upload / process / download; p99 split sorts by p99 process`}
    />
  );
  if (!prometheusUrl) {
    return (
      <>
        {header}
        <Teach title="Turn the Fleet page on">
          <p>
            Have Prometheus scrape each host&apos;s agent at <code>/metrics</code> (the scrape
            config is in <code>deploy/prometheus/</code>), then start the console with{' '}
            <code>TCPRT_PROMETHEUS_URL=http://prometheus:9090</code>. Rows link to each host&apos;s
            console through <code>TCPRT_FLEET_HOST_URL</code> (default{' '}
            <code>http://{'{host}'}:7070</code>).
          </p>
        </Teach>
      </>
    );
  }
  let rows: FleetRow[];
  try {
    rows = selectFleetRows(await loadFleetRows(prometheusUrl), params);
  } catch (err) {
    return (
      <>
        {header}
        <div className="state error" role="alert">
          <strong>Could not query Prometheus at {prometheusUrl}.</strong>
          <div className="small">{err instanceof Error ? err.message : String(err)}</div>
        </div>
      </>
    );
  }
  return (
    <>
      {header}
      <Filters params={params} />
      {rows.length === 0 ? (
        <Teach title="No tcprt series">
          <p>
            Prometheus has no <code>tcprt_task_duration_seconds</code> series
            {params.host || params.port !== null ? ' matching these filters' : ''}: check its scrape
            config and targets.
          </p>
        </Teach>
      ) : (
        <FleetTable rows={rows} params={params} hostUrlTemplate={hostUrlTemplate} />
      )}
    </>
  );
}
