import { errorText, fieldIssues, type FieldIssue } from '@/lib/api-errors';

export interface FormIssues {
  byField: Record<string, string>;
  /** Problems no field of the form owns (overlaps named elsewhere, a missing token, the agent down). */
  other: string[];
}

/**
 * Issues of one form, keyed by its field names. `prefixes` are the paths the agent may use for
 * that form (e.g. `rule.` for the add input, `per-port[3].` for the rule once placed in the file).
 */
function issuesByField(issues: FieldIssue[], prefixes: string[]): FormIssues {
  const byField: Record<string, string> = {};
  const other: string[] = [];
  for (const issue of issues) {
    const prefix = prefixes.find((p) => issue.path.startsWith(p));
    const field =
      prefix === undefined ? undefined : issue.path.slice(prefix.length).replace(/\[\d+\]$/, '');
    if (field)
      byField[field] = byField[field] ? `${byField[field]}; ${issue.message}` : issue.message;
    else other.push(issue.path ? `${issue.path}: ${issue.message}` : issue.message);
  }
  return { byField, other };
}

/** A mutation's error laid out for a form; an error without field issues becomes one general message. */
export function formIssues(error: unknown, prefixes: string[]): FormIssues {
  if (!error) return { byField: {}, other: [] };
  const issues = fieldIssues(error);
  return issues.length
    ? issuesByField(issues, prefixes)
    : { byField: {}, other: [errorText(error)] };
}
