import type { ConfigIssue } from '@tcprt/schema';

/** A config candidate (file edit or API update) that failed validation; the running config is unchanged. */
export class ConfigRejectedError extends Error {
  constructor(readonly issues: ConfigIssue[]) {
    super(
      `config rejected: ${issues
        .map(
          (i) => `${i.line === null ? '' : `line ${i.line}: `}${i.path || '(file)'}: ${i.message}`,
        )
        .join('; ')}`,
    );
  }
}
