'use client';

import { keepPreviousData, skipToken, useQuery } from '@tanstack/react-query';
import type { Ports } from '@tcprt/schema';
import { useState, type FormEvent } from 'react';
import { PageHeader } from '@/components/page-header';
import { QueryView } from '@/components/query-view';
import { Teach } from '@/components/states';
import { TimeRangePicker } from '@/components/time-range-picker';
import { portLabel, serviceDetail } from '@/lib/port-label';
import { useTimeRange } from '@/lib/use-time-range';
import { useTRPC } from '@/lib/trpc';
import { useUrlParams } from '@/lib/use-url-params';
import { TrendCharts } from './trend-charts';
import { seriesInput } from '@/lib/series-query';
import { chosenPort, trendsWindow } from './trends-queries';

function PortPicker({
  port,
  peer,
  known,
  onPick,
}: {
  port: number | null;
  peer: boolean;
  known: Ports['ports'];
  onPick: (port: number, peer: boolean) => void;
}) {
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<string | null>(null);
  function submit(e: FormEvent) {
    e.preventDefault();
    const n = Number(typed);
    if (!Number.isInteger(n) || n < 1 || n > 65535) return setError('a port 1–65535');
    setError(null);
    onPick(n, peer);
  }
  return (
    <div className="toolbar" role="group" aria-label="Port">
      <div className="segmented">
        {known.map((k) => (
          <button
            key={`${k.peer}-${k.port}`}
            type="button"
            aria-pressed={port === k.port && peer === k.peer}
            onClick={() => onPick(k.port, k.peer)}
            title={serviceDetail(k.service)}
          >
            {portLabel(k.port, k.peer, k.service)}
          </button>
        ))}
      </div>
      <form onSubmit={submit} className="toolbar">
        <input
          type="text"
          aria-label="Other port"
          placeholder="other port"
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          style={{ width: 90 }}
          aria-invalid={error ? true : undefined}
        />
        <button type="submit">Show</button>
        {error && <span className="field-error">{error}</span>}
      </form>
    </div>
  );
}

export function TrendsView({ initialNowMs }: { initialNowMs?: number }) {
  const trpc = useTRPC();
  const time = useTimeRange(initialNowMs);
  const { params, update } = useUrlParams();
  const queryWindow = trendsWindow(time.range);
  const { fromMs, toMs, bucketSec } = queryWindow;
  const ports = useQuery({
    ...trpc.stats.ports.queryOptions({ fromMs, toMs }),
    placeholderData: keepPreviousData,
  });
  const chosen = chosenPort(params, ports.data);
  const chosenService = ports.data?.ports.find(
    (p) => p.port === chosen?.port && p.peer === chosen.peer,
  )?.service;
  const series = useQuery({
    ...trpc.stats.series.queryOptions(chosen ? seriesInput(chosen, queryWindow) : skipToken),
    placeholderData: keepPreviousData,
  });
  const pick = (port: number, peer: boolean) =>
    update((p) => {
      p.set('port', String(port));
      if (peer) p.set('peer', '1');
      else p.delete('peer');
    });

  return (
    <>
      <PageHeader
        title={
          chosen
            ? `Port trends · ${portLabel(chosen.port, chosen.peer, chosenService)}`
            : 'Port trends'
        }
        sub={`Buckets of ${bucketSec >= 3600 ? `${bucketSec / 3600} h` : `${bucketSec / 60} min`}. Empty buckets are gaps.`}
      >
        <TimeRangePicker state={time} />
      </PageHeader>
      <PortPicker
        port={chosen?.port ?? null}
        peer={chosen?.peer ?? false}
        known={ports.data?.ports ?? []}
        onPick={pick}
      />
      {!chosen ? (
        ports.isLoading ? null : (
          <div className="panel">
            <Teach title="No port had tasks in this range">
              <p>
                Pick a wider range, or type a tracked port above. Ports appear here once a task on
                them has finished.
              </p>
            </Teach>
          </div>
        )
      ) : (
        <QueryView query={series} loadingHeight={400}>
          {(data) => (
            <TrendCharts buckets={data.buckets} range={time.range} bucketSec={data.bucketSec} />
          )}
        </QueryView>
      )}
    </>
  );
}
