'use client';

import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import type { ConfigIssue } from '@tcprt/schema';
import { fieldIssues, errorText } from '@/lib/api-errors';
import { useTRPC } from '@/lib/trpc';
import { useConfigInvalidation } from './use-config-mutation';

function IssueList({ issues }: { issues: ConfigIssue[] }) {
  return (
    <ul
      className="field-error"
      style={{ margin: '6px 0 0', paddingLeft: 18 }}
      role="alert"
      data-testid="yaml-issues"
    >
      {issues.map((i, n) => (
        <li key={n}>
          {i.line !== null ? `line ${i.line}: ` : ''}
          <span className="mono">{i.path}</span>: {i.message}
        </li>
      ))}
    </ul>
  );
}

/** The file as text: validate without applying, or replace the whole file (atomically, on the agent). */
export function YamlEditor({
  yaml,
  path,
  canChange,
}: {
  yaml: string;
  path: string;
  canChange: boolean;
}) {
  const trpc = useTRPC();
  const invalidate = useConfigInvalidation();
  const [text, setText] = useState(yaml);
  const [editedFrom, setEditedFrom] = useState(yaml);
  // The running file changed (a form above, or on disk) while this text was untouched: follow it.
  if (yaml !== editedFrom && text === editedFrom) {
    setText(yaml);
    setEditedFrom(yaml);
  }
  const validate = useMutation(trpc.config.validate.mutationOptions());
  const replace = useMutation(trpc.config.replace.mutationOptions({ onSuccess: invalidate }));
  const dirty = text !== yaml;
  const replaceIssues = replace.error ? fieldIssues(replace.error) : [];

  return (
    <section className="panel" aria-label="YAML">
      <div className="panel-head">
        <h2>tcprt.yaml</h2>
        <span className="note mono">{path}</span>
      </div>
      <textarea
        aria-label="tcprt.yaml text"
        value={text}
        spellCheck={false}
        onChange={(e) => {
          setText(e.target.value);
          validate.reset();
          replace.reset();
        }}
        rows={Math.min(30, Math.max(12, text.split('\n').length + 1))}
        style={{ width: '100%' }}
      />
      <div className="toolbar" style={{ marginTop: 6 }}>
        <button
          type="button"
          onClick={() => validate.mutate({ yaml: text })}
          disabled={validate.isPending}
        >
          Validate
        </button>
        <button
          type="button"
          className="primary"
          onClick={() => replace.mutate({ yaml: text })}
          disabled={!canChange || !dirty || replace.isPending}
        >
          {replace.isPending ? 'Applying…' : 'Apply file'}
        </button>
        <button
          type="button"
          disabled={!dirty}
          onClick={() => {
            setText(yaml);
            validate.reset();
            replace.reset();
          }}
        >
          Revert
        </button>
        {validate.data?.valid && <span className="pill ok">valid</span>}
        {replace.isSuccess && <span className="pill ok">applied</span>}
      </div>
      {validate.data && !validate.data.valid && <IssueList issues={validate.data.issues} />}
      {validate.error && <div className="field-error">{errorText(validate.error)}</div>}
      {replace.error &&
        (replaceIssues.length ? (
          <IssueList issues={replaceIssues} />
        ) : (
          <div className="field-error">{errorText(replace.error)}</div>
        ))}
    </section>
  );
}
