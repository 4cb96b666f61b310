import type { ConfigIssue } from '@tcprt/schema';

/** `line 7: per-port[1].mode: expected ...`; a file-level issue has neither line nor path. */
export function formatConfigIssue(i: ConfigIssue): string {
  return [i.line === null ? null : `line ${i.line}`, i.path || null, i.message]
    .filter((part) => part !== null)
    .join(': ');
}

/** A config candidate (file edit or API update) that failed validation; the running config is unchanged. */
export class ConfigRejectedError extends Error {
  constructor(readonly issues: ConfigIssue[]) {
    super(`config rejected: ${issues.map(formatConfigIssue).join('; ')}`);
  }

  /** One line per issue, for a terminal. */
  get lines(): string[] {
    return this.issues.map(formatConfigIssue);
  }
}
