'use client';

import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { GlobalConfig } from '@tcprt/schema';
import { FormField } from '@/components/form-field';
import { useTRPC } from '@/lib/trpc';
import { formIssues } from './field-issues';
import { useConfigInvalidation } from './use-config-mutation';
import { ApplyButton, SectionErrors } from './section-apply';

const STEPS = 4;

/** Typed text goes to the agent as numbers where it looks like one; anything else is sent as typed and refused there. */
function numberOrText(text: string): number {
  return text.trim() === '' ? Number.NaN : Number(text);
}

export function GlobalForm({ global, canChange }: { global: GlobalConfig; canChange: boolean }) {
  const trpc = useTRPC();
  const invalidate = useConfigInvalidation();
  const [peer, setPeer] = useState(global.peer);
  const [stats, setStats] = useState(global.stats);
  const [interval, setInterval] = useState(String(global.stats_interval));
  const [steps, setSteps] = useState(() =>
    Array.from({ length: STEPS }, (_, i) =>
      global.first_frame_bytes[i] === undefined ? '' : String(global.first_frame_bytes[i]),
    ),
  );
  const save = useMutation(trpc.config.setGlobal.mutationOptions({ onSuccess: invalidate }));
  const issues = formIssues(save.error, ['global.']);

  function submit(e: FormEvent) {
    e.preventDefault();
    const filled = steps.map((s) => s.trim());
    const lastUsed = filled.reduce((last, s, i) => (s ? i : last), -1);
    save.mutate({
      global: {
        peer,
        stats,
        stats_interval: numberOrText(interval),
        first_frame_bytes: filled.slice(0, lastUsed + 1).map((s) => (s ? numberOrText(s) : 0)),
      },
    });
  }

  return (
    <section className="panel" aria-label="Global settings">
      <h2>Global</h2>
      <form onSubmit={submit} className="toolbar" style={{ alignItems: 'flex-start', gap: 12 }}>
        <FormField label="Rules match" error={issues.byField.peer}>
          {(a) => (
            <select
              {...a}
              value={peer ? 'peer' : 'local'}
              onChange={(e) => setPeer(e.target.value === 'peer')}
            >
              <option value="local">local ports (server side)</option>
              <option value="peer">peer ports (client side)</option>
            </select>
          )}
        </FormField>
        <FormField label="Stats lines" error={issues.byField.stats}>
          {(a) => (
            <select
              {...a}
              value={stats}
              onChange={(e) => setStats(e.target.value as GlobalConfig['stats'])}
            >
              <option value="disable">disable</option>
              <option value="enable">enable</option>
            </select>
          )}
        </FormField>
        <FormField label="Stats interval" hint="seconds" error={issues.byField.stats_interval}>
          {(a) => (
            <input
              {...a}
              type="text"
              inputMode="numeric"
              value={interval}
              onChange={(e) => setInterval(e.target.value)}
              style={{ width: 80 }}
            />
          )}
        </FormField>
        <FormField
          label="First-frame steps"
          hint="bytes, up to 4; 0 = unused"
          error={issues.byField.first_frame_bytes}
        >
          {(a) => (
            <span className="toolbar" style={{ gap: 4 }}>
              {steps.map((s, i) => (
                <input
                  key={i}
                  {...(i === 0 ? a : {})}
                  type="text"
                  inputMode="numeric"
                  aria-label={`First-frame step ${i + 1}`}
                  value={s}
                  onChange={(e) =>
                    setSteps((all) => all.map((v, j) => (j === i ? e.target.value : v)))
                  }
                  style={{ width: 72 }}
                />
              ))}
            </span>
          )}
        </FormField>
        <ApplyButton label="Apply global" pending={save.isPending} canChange={canChange} />
      </form>
      <SectionErrors messages={issues.other} />
    </section>
  );
}
