import { TRPCClientError } from '@trpc/client';
import type { AppRouter } from '@tcprt/agent/router';

export interface FieldIssue {
  /** Dotted/bracketed path as the agent names it: `per-port[2].port`, `rule.port`, `global.stats_interval`. */
  path: string;
  line: number | null;
  message: string;
}

function isZodIssueList(value: unknown): value is { path: (string | number)[]; message: string }[] {
  return (
    Array.isArray(value) &&
    value.every(
      (i) =>
        typeof i === 'object' &&
        i !== null &&
        Array.isArray((i as { path?: unknown }).path) &&
        typeof (i as { message?: unknown }).message === 'string',
    )
  );
}

function pathText(path: (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/**
 * The field-level problems in an API error: a rejected config carries `configIssues`
 * (line + path), an input that failed the contract carries zod issues as its message.
 */
export function fieldIssues(error: unknown): FieldIssue[] {
  if (!(error instanceof TRPCClientError)) return [];
  const data = (error as TRPCClientError<AppRouter>).data;
  if (data && 'configIssues' in data && Array.isArray(data.configIssues)) return data.configIssues;
  try {
    const parsed: unknown = JSON.parse(error.message);
    if (isZodIssueList(parsed))
      return parsed.map((i) => ({ path: pathText(i.path), line: null, message: i.message }));
  } catch {
    // not a zod issue list: the message is plain text
  }
  return [];
}

/** The error's message for people: zod issue lists become their messages joined. */
export function errorText(error: unknown): string {
  const issues = fieldIssues(error);
  if (issues.length) return issues.map((i) => `${i.path}: ${i.message}`).join('; ');
  return error instanceof Error ? error.message : String(error);
}
