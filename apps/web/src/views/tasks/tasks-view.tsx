'use client';

import { keepPreviousData, skipToken, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { RecordSort } from '@tcprt/schema';
import { PageHeader } from '@/components/page-header';
import { QueryView } from '@/components/query-view';
import { Teach } from '@/components/states';
import { TimeRangePicker } from '@/components/time-range-picker';
import { carriedQuery } from '@/lib/carried-query';
import { formatCount } from '@/lib/format';
import { useTimeRange } from '@/lib/use-time-range';
import { useTRPC } from '@/lib/trpc';
import { useUrlParams } from '@/lib/use-url-params';
import { FilterBar } from './filter-bar';
import {
  countInputOf,
  PAGE_SIZES,
  readTaskFilters,
  tasksQueryOf,
  writeTaskFilters,
  type TaskFilters,
} from './task-filters';
import { TasksTable } from './tasks-table';

export function TasksView({ initialNowMs }: { initialNowMs?: number }) {
  const trpc = useTRPC();
  const time = useTimeRange(initialNowMs);
  const { params, update } = useUrlParams();
  const filters = readTaskFilters(params);
  const cursor = params.get('cursor') ?? undefined;
  const limit = PAGE_SIZES.find((s) => String(s) === params.get('limit')) ?? 100;
  // Cursors of the pages before this one, for "Previous": keyset paging only walks forward.
  const [previousCursors, setPreviousCursors] = useState<(string | undefined)[]>([]);
  const query = tasksQueryOf(params, time.range);

  const list = useQuery({
    ...trpc.records.list.queryOptions(query ?? skipToken),
    placeholderData: keepPreviousData,
  });
  const matching = useQuery({
    ...trpc.records.count.queryOptions(query ? countInputOf(query) : skipToken),
    placeholderData: keepPreviousData,
  });
  const groupedByPeer = params.get('group') === 'peer';

  const applyFilters = (f: TaskFilters) => {
    setPreviousCursors([]);
    update((p) => writeTaskFilters(p, f));
  };
  const onSort = (sort: RecordSort) =>
    applyFilters({
      ...filters,
      sort,
      descending: filters.sort === sort ? !filters.descending : true,
    });
  const goTo = (next: string | undefined) =>
    update((p) => {
      if (next) p.set('cursor', next);
      else p.delete('cursor');
    });

  return (
    <>
      <PageHeader
        title="Tasks"
        sub="Every record in the range; filters and sort live in the URL, so a view can be shared."
      >
        <TimeRangePicker state={time} />
      </PageHeader>
      <FilterBar filters={filters} onApply={applyFilters} />
      <QueryView query={list} loadingHeight={300}>
        {(page) => (
          <>
            {page.items.length === 0 ? (
              <div className="panel">
                <Teach title="No records match">
                  <p>
                    Nothing in this time range passes the filters. Widen the range, clear a minimum
                    time or a request filter (method, route and status match only tasks of http-mode
                    ports), or include more record types.
                  </p>
                  <p className="note">
                    R/P records are written when the next request starts on a connection or when it
                    closes, so a request on an idle keep-alive connection appears later.
                  </p>
                </Teach>
              </div>
            ) : (
              <TasksTable
                groupedByPeer={groupedByPeer}
                records={page.items}
                sort={filters.sort}
                descending={filters.descending}
                onSort={onSort}
                linkQuery={carriedQuery(params)}
              />
            )}
            <div className="toolbar" style={{ justifyContent: 'space-between' }}>
              <span className="small muted">
                <span data-testid="tasks-match-count">
                  {matching.data
                    ? `${matching.data.capped ? 'more than ' : ''}${formatCount(matching.data.count)} matching`
                    : 'counting…'}
                </span>
                {' · '}
                {page.items.length} on this page
                {list.isFetching ? ' · refreshing…' : ''}
              </span>
              <label className="small muted toolbar">
                <input
                  type="checkbox"
                  checked={groupedByPeer}
                  onChange={(e) =>
                    update((p) => (e.target.checked ? p.set('group', 'peer') : p.delete('group')))
                  }
                />
                Group by peer
              </label>
              <div className="toolbar">
                <label className="small muted toolbar">
                  Per page
                  <select
                    value={limit}
                    onChange={(e) => {
                      setPreviousCursors([]);
                      update((p) => {
                        p.set('limit', e.target.value);
                        p.delete('cursor');
                      });
                    }}
                  >
                    {PAGE_SIZES.map((s) => (
                      <option key={s}>{s}</option>
                    ))}
                  </select>
                </label>
                <button
                  type="button"
                  disabled={!cursor}
                  onClick={() => {
                    setPreviousCursors([]);
                    goTo(undefined);
                  }}
                >
                  First
                </button>
                <button
                  type="button"
                  disabled={!cursor}
                  onClick={() => {
                    const prev = previousCursors[previousCursors.length - 1];
                    setPreviousCursors((s) => s.slice(0, -1));
                    goTo(prev);
                  }}
                >
                  ← Previous
                </button>
                <button
                  type="button"
                  disabled={!page.nextCursor}
                  onClick={() => {
                    setPreviousCursors((s) => [...s, cursor]);
                    goTo(page.nextCursor ?? undefined);
                  }}
                >
                  Next →
                </button>
              </div>
            </div>
          </>
        )}
      </QueryView>
    </>
  );
}
