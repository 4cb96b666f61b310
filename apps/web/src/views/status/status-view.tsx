'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Status } from '@tcprt/schema';
import { KeyValues } from '@/components/kv';
import { PageHeader } from '@/components/page-header';
import { QueryView } from '@/components/query-view';
import { TokenField, useHasAgentToken } from '@/components/token-field';
import { formatAge, formatBytes, formatCount, formatRate, formatTimestampMs } from '@/lib/format';
import { healthProblems } from '@/lib/health';
import { useTRPC } from '@/lib/trpc';

function Pill({ tone, children }: { tone: 'ok' | 'warn' | 'bad'; children: string }) {
  return <span className={`pill ${tone}`}>{children}</span>;
}

function collectorTone(s: Status): 'ok' | 'warn' | 'bad' {
  if (s.collector.state === 'running') return s.collector.active ? 'ok' : 'warn';
  if (s.collector.state === 'deactivated' || s.collector.state === 'starting') return 'warn';
  return 'bad';
}

function ActiveToggle({ active }: { active: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const hasToken = useHasAgentToken();
  const mutation = useMutation(
    trpc.status.setActive.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.status.get.queryKey() }),
    }),
  );
  return (
    <div className="toolbar">
      <button
        type="button"
        className={active ? 'danger' : 'primary'}
        disabled={!hasToken || mutation.isPending}
        onClick={() => {
          // Deactivating stops timing every new connection: ask first. Activating needs no warning.
          if (
            active &&
            !window.confirm(
              'Deactivate tracking? New connections on every tracked port stop being timed until tracking is activated again.',
            )
          )
            return;
          mutation.mutate({ active: !active });
        }}
      >
        {active ? 'Deactivate tracking' : 'Activate tracking'}
      </button>
      <span className="note">
        {active
          ? 'Deactivating stops tracking new connections; tracked ones finish normally.'
          : 'New connections are not tracked while deactivated.'}
      </span>
      {mutation.isError && <span className="field-error">{mutation.error.message}</span>}
    </div>
  );
}

function StatusPanels({ s }: { s: Status }) {
  const problems = healthProblems(s);
  const support = Object.entries(s.collector.support);
  return (
    <>
      <section
        className="panel"
        aria-label="Health summary"
        style={{
          borderLeft: `4px solid var(--${problems.length ? (problems.some((p) => p.severity === 'bad') ? 'bad' : 'warn') : 'ok'})`,
        }}
      >
        <h2>
          {problems.length === 0 ? 'Everything is being recorded' : 'Figures may be incomplete'}
        </h2>
        {problems.length === 0 ? (
          <p style={{ margin: 0 }}>
            The collector is running, no record was lost, and the running config was accepted.
          </p>
        ) : (
          <ul style={{ margin: 0, paddingLeft: 18 }} data-testid="status-problems">
            {problems.map((p) => (
              <li key={p.message} style={{ color: `var(--${p.severity})` }}>
                {p.message}
              </li>
            ))}
          </ul>
        )}
      </section>
      <div className="grid-2">
        <section className="panel" aria-label="Collector">
          <div className="panel-head">
            <h2>Collector</h2>
            <Pill
              tone={collectorTone(s)}
            >{`${s.collector.state}${s.collector.active ? '' : ' · inactive'}`}</Pill>
          </div>
          <KeyValues
            items={[
              [
                'Kernel',
                <span className="mono" key="k">
                  {s.collector.kernel}
                </span>,
              ],
              ['Tracking new connections', s.collector.active ? 'yes' : 'no (deactivated)'],
              ['Restarts', formatCount(s.collector.restarts)],
              ['Last error', s.collector.lastError ?? 'none'],
              [
                'Lost records',
                <span
                  key="l"
                  style={{
                    color: s.collector.lostRecords ? 'var(--bad)' : undefined,
                    fontWeight: s.collector.lostRecords ? 600 : undefined,
                  }}
                  data-testid="lost-records"
                >
                  {formatCount(s.collector.lostRecords)}
                </span>,
              ],
              ['Records stored', `${formatRate(s.recordsPerSec)} (last 10 s)`],
            ]}
          />
          <h3 style={{ marginTop: 12 }}>Kernel support</h3>
          {support.length === 0 ? (
            <p className="note">The loader has not reported its hooks yet.</p>
          ) : (
            <div className="toolbar">
              {support.map(([hook, ok]) => (
                <Pill
                  key={hook}
                  tone={ok ? 'ok' : 'bad'}
                >{`${hook}${ok ? '' : ' (missing)'}`}</Pill>
              ))}
            </div>
          )}
          <div style={{ marginTop: 12 }}>
            <ActiveToggle active={s.collector.active} />
          </div>
        </section>
        <section className="panel" aria-label="Agent">
          <h2>Agent</h2>
          <KeyValues
            items={[
              ['Version', s.version],
              ['Up for', formatAge(s.uptimeSec * 1000)],
              [
                'Config file',
                <span className="mono" key="c">
                  {s.config.path}
                </span>,
              ],
              ['Config loaded', formatTimestampMs(s.config.loadedAtMs)],
              [
                'Database',
                <span className="mono" key="d">
                  {s.database.path}
                </span>,
              ],
              ['Database size', formatBytes(s.database.sizeBytes)],
              ['Records kept', formatCount(s.database.records)],
              [
                'Oldest record',
                s.database.oldestStartUs === null
                  ? 'none yet'
                  : formatTimestampMs(s.database.oldestStartUs / 1000),
              ],
            ]}
          />
        </section>
      </div>
      <section className="panel" aria-label="Config errors">
        <h2>Config errors</h2>
        {s.config.errors.length === 0 ? (
          <p className="note" style={{ margin: 0 }}>
            The last config change was accepted.
          </p>
        ) : (
          <>
            <p style={{ margin: '0 0 6px', color: 'var(--warn)' }}>
              A change was rejected
              {s.config.rejectedAtMs ? ` at ${formatTimestampMs(s.config.rejectedAtMs)}` : ''}; the
              previous config keeps running.
            </p>
            <table className="data" data-testid="config-errors">
              <thead>
                <tr>
                  <th className="r">Line</th>
                  <th>Field</th>
                  <th>Problem</th>
                </tr>
              </thead>
              <tbody>
                {s.config.errors.map((e, i) => (
                  <tr key={i}>
                    <td className="r">{e.line ?? '—'}</td>
                    <td className="mono">{e.path}</td>
                    <td>{e.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </section>
    </>
  );
}

export function StatusView() {
  const trpc = useTRPC();
  const status = useQuery({ ...trpc.status.get.queryOptions({}), refetchInterval: 5_000 });
  return (
    <>
      <PageHeader title="Status" sub="Agent and collector health. Refreshes every 5 s.">
        <TokenField />
      </PageHeader>
      <QueryView query={status} loadingHeight={300}>
        {(s) => <StatusPanels s={s} />}
      </QueryView>
    </>
  );
}
