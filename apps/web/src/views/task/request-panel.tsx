import Link from 'next/link';
import type { HttpRequest } from '@tcprt/schema';
import { KeyValues } from '@/components/kv';
import { requestPath, statusTone } from '@/lib/http-request';
import { withParams } from '@/lib/carried-query';

/** The task's HTTP request as the kernel saw it (http-mode ports), and the route it was grouped into. */
export function RequestPanel({
  http,
  localPort,
  linkQuery,
}: {
  http: HttpRequest;
  localPort: number;
  linkQuery: string;
}) {
  return (
    <section className="panel" aria-label="HTTP request" data-testid="task-http">
      <h2>HTTP request</h2>
      <KeyValues
        items={[
          ['Method', <span data-field="method">{http.method}</span>],
          [
            'Path',
            <span className="mono" data-field="path" style={{ wordBreak: 'break-all' }}>
              {requestPath(http)}
              {http.pathTruncated && (
                <span className="muted small" data-field="truncated">
                  {' '}
                  (truncated: the kernel keeps the path&apos;s first bytes only)
                </span>
              )}
            </span>,
          ],
          [
            'Status',
            <span data-field="status" className={statusTone(http.status)}>
              {http.status ?? 'no status line seen'}
            </span>,
          ],
          [
            'Route',
            <Link
              prefetch={false}
              className="mono"
              href={withParams(`/endpoints${linkQuery}`, { port: String(localPort) })}
              title="This port's endpoints in the range"
            >
              {http.route}
            </Link>,
          ],
        ]}
      />
    </section>
  );
}
