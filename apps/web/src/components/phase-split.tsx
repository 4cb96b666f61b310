import Link from 'next/link';
import { formatUs } from '@/lib/format';

export interface PhaseAverages {
  uploadUs: number;
  processUs: number;
  downloadUs: number;
}

/**
 * Where the average task's time goes: client → server (upload), server (process),
 * server → client (download). The answer to "is it the client, the network or the server?".
 */
export function PhaseSplit({ avg }: { avg: PhaseAverages }) {
  const total = avg.uploadUs + avg.processUs + avg.downloadUs;
  const parts = [
    { key: 'upload', label: 'upload', us: avg.uploadUs },
    { key: 'process', label: 'process', us: avg.processUs },
    { key: 'download', label: 'download', us: avg.downloadUs },
  ];
  return (
    <div>
      <div
        className="phase-bar"
        role="img"
        aria-label={parts.map((p) => `${p.label} ${formatUs(p.us)}`).join(', ')}
      >
        {total > 0 &&
          parts.map((p) => (
            <span
              key={p.key}
              className={`sw-${p.key}`}
              style={{ width: `${(100 * p.us) / total}%` }}
            />
          ))}
      </div>
      <div className="legend" style={{ marginTop: 5 }}>
        {parts.map((p) => (
          <span key={p.key} className="num">
            <i className={`sw-${p.key}`} />
            {p.label} {formatUs(p.us)}
            {total > 0 && <span className="muted"> ({Math.round((100 * p.us) / total)}%)</span>}
          </span>
        ))}
      </div>
    </div>
  );
}

export function Metric({
  label,
  value,
  tone,
  title,
  sub,
  href,
  testId,
  dataUs,
}: {
  label: string;
  value: string;
  tone?: 'bad' | 'warn';
  title?: string;
  sub?: string;
  /** The records behind the figure (W/N counts link to those closes). */
  href?: string;
  testId?: string;
  /** The exact figure in µs, for tests and tools reading the page. */
  dataUs?: number;
}) {
  const shown = (
    <>
      {value}
      {sub && <span className="sub"> {sub}</span>}
    </>
  );
  return (
    <div className="metric" title={title} data-testid={testId} data-us={dataUs}>
      <span className="label">{label}</span>
      <span className={`value${tone ? ` ${tone}` : ''}`}>
        {href ? (
          <Link prefetch={false} href={href}>
            {shown}
          </Link>
        ) : (
          shown
        )}
      </span>
    </div>
  );
}
