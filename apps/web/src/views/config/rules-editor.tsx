'use client';

import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import type { TcprtConfig } from '@tcprt/schema';
import { errorText } from '@/lib/api-errors';
import { useTRPC } from '@/lib/trpc';
import { formIssues } from './field-issues';
import { EMPTY_RULE, RuleForm, draftOf, ruleOf } from './rule-form';
import { useConfigInvalidation } from './use-config-mutation';

function sideText(peer: boolean | undefined, globalPeer: boolean): string {
  if (peer === undefined) return `${globalPeer ? 'peer' : 'local'} (global default)`;
  return peer ? 'peer (client side)' : 'local (server side)';
}

export function RulesEditor({ config, canChange }: { config: TcprtConfig; canChange: boolean }) {
  const trpc = useTRPC();
  const invalidate = useConfigInvalidation();
  const rules = config['per-port'];
  const [editing, setEditing] = useState<number | null>(null);
  // A new form instance after each successful add, so the fields clear.
  const [addKey, setAddKey] = useState(0);
  const add = useMutation(
    trpc.config.rules.add.mutationOptions({
      onSuccess: async () => {
        setAddKey((k) => k + 1);
        await invalidate();
      },
    }),
  );
  const update = useMutation(
    trpc.config.rules.update.mutationOptions({
      onSuccess: async () => {
        setEditing(null);
        await invalidate();
      },
    }),
  );
  const remove = useMutation(trpc.config.rules.remove.mutationOptions({ onSuccess: invalidate }));

  const addIssues = formIssues(add.error, ['rule.', `per-port[${rules.length}].`]);
  const updateIssues = formIssues(update.error, ['rule.', `per-port[${editing ?? -1}].`]);

  return (
    <section className="panel" aria-label="Per-port rules">
      <div className="panel-head">
        <h2>Per-port rules</h2>
        <span className="note">
          Matched in this order when a connection is established: local ports, local ranges, peer
          ports, peer ranges. Open connections keep their decision.
        </span>
      </div>
      {rules.length === 0 ? (
        <p className="note" data-testid="no-rules">
          No rule yet: nothing is tracked. Add a port below — for example the port of your web
          server (80) in http mode.
        </p>
      ) : (
        <div className="table-wrap" style={{ marginBottom: 12 }}>
          <table className="data" data-testid="rules-table">
            <thead>
              <tr>
                <th className="r">#</th>
                <th>Port</th>
                <th>Name</th>
                <th>Side</th>
                <th>Mode</th>
                <th>First frame</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {rules.map((rule, index) =>
                editing === index ? (
                  <tr key={`edit-${index}`}>
                    <td className="r">{index}</td>
                    <td colSpan={6}>
                      <RuleForm
                        initial={draftOf(rule)}
                        submitLabel="Save rule"
                        busy={update.isPending}
                        disabled={!canChange}
                        errors={updateIssues.byField}
                        onSubmit={(d) => update.mutate({ index, rule: ruleOf(d) })}
                        onCancel={() => {
                          update.reset();
                          setEditing(null);
                        }}
                      />
                      {updateIssues.other.map((m) => (
                        <div key={m} className="field-error">
                          {m}
                        </div>
                      ))}
                    </td>
                  </tr>
                ) : (
                  <tr key={`${index}-${String(rule.port)}`} data-rule-port={String(rule.port)}>
                    <td className="r">{index}</td>
                    <td className="mono">{String(rule.port)}</td>
                    <td>{rule.name ?? ''}</td>
                    <td>{sideText(rule.peer, config.global.peer)}</td>
                    <td>{rule.mode}</td>
                    <td>{rule.first_frame}</td>
                    <td className="r">
                      <div className="toolbar" style={{ justifyContent: 'flex-end' }}>
                        <button
                          type="button"
                          disabled={!canChange}
                          onClick={() => {
                            update.reset();
                            setEditing(index);
                          }}
                          aria-label={`Edit rule for port ${String(rule.port)}`}
                        >
                          Edit
                        </button>
                        <button
                          type="button"
                          className="danger"
                          disabled={!canChange || remove.isPending}
                          onClick={() => remove.mutate({ index })}
                          aria-label={`Remove rule for port ${String(rule.port)}`}
                        >
                          Remove
                        </button>
                      </div>
                    </td>
                  </tr>
                ),
              )}
            </tbody>
          </table>
        </div>
      )}
      {remove.error && <div className="field-error">{errorText(remove.error)}</div>}
      <h3>Add a rule</h3>
      <RuleForm
        key={addKey}
        initial={EMPTY_RULE}
        submitLabel="Add rule"
        busy={add.isPending}
        disabled={!canChange}
        errors={addIssues.byField}
        onSubmit={(d) => add.mutate({ rule: ruleOf(d) })}
      />
      {addIssues.other.map((m) => (
        <div key={m} className="field-error" role="alert">
          {m}
        </div>
      ))}
    </section>
  );
}
