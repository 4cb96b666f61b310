'use client';

import { useQuery } from '@tanstack/react-query';
import { PageHeader } from '@/components/page-header';
import { QueryView } from '@/components/query-view';
import { TokenField, useHasAgentToken } from '@/components/token-field';
import { formatTimestampMs } from '@/lib/format';
import { useTRPC } from '@/lib/trpc';
import { GlobalForm } from './global-form';
import { InitForm } from './init-form';
import { RulesEditor } from './rules-editor';
import { YamlEditor } from './yaml-editor';

export function ConfigView() {
  const trpc = useTRPC();
  const config = useQuery(trpc.config.get.queryOptions({}));
  const status = useQuery(trpc.status.get.queryOptions({}));
  const canChange = useHasAgentToken();
  return (
    <>
      <PageHeader
        title="Configuration"
        sub={
          <span data-testid="config-loaded">
            Changes are validated by the agent, applied to the running collector without dropping
            tracked connections, and saved to the file.
            {status.data &&
              ` Running config loaded ${formatTimestampMs(status.data.config.loadedAtMs)}.`}
          </span>
        }
      >
        <TokenField />
      </PageHeader>
      {!canChange && (
        <div className="banner warn" style={{ borderRadius: 6, border: '1px solid #f1d7a8' }}>
          Read-only until you paste the agent token into the “Agent token” field above.
        </div>
      )}
      {status.data && status.data.config.errors.length > 0 && (
        <div
          className="banner warn"
          role="alert"
          style={{ borderRadius: 6, border: '1px solid #f1d7a8' }}
        >
          <strong>The last change was rejected:</strong>
          <ul>
            {status.data.config.errors.map((e, i) => (
              <li key={i}>
                {e.line !== null ? `line ${e.line}: ` : ''}
                {e.path}: {e.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      <QueryView query={config} loadingHeight={400}>
        {(view) => (
          <>
            <RulesEditor config={view.config} canChange={canChange} />
            <GlobalForm
              key={`g-${view.loadedAtMs}`}
              global={view.config.global}
              canChange={canChange}
            />
            <InitForm key={`i-${view.loadedAtMs}`} init={view.config.init} canChange={canChange} />
            <YamlEditor yaml={view.yaml} path={view.path} canChange={canChange} />
          </>
        )}
      </QueryView>
    </>
  );
}
