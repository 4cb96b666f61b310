'use client';

import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { InitConfig } from '@tcprt/schema';
import { FormField } from '@/components/form-field';
import { formatBytes } from '@/lib/format';
import { useTRPC } from '@/lib/trpc';
import { formIssues } from './field-issues';
import { useConfigInvalidation } from './use-config-mutation';
import { ApplyButton, SectionErrors } from './section-apply';

const FIELDS = [
  { key: 'log_buf_num', label: 'Log sub-buffers', hint: 'count' },
  { key: 'log_buf_size', label: 'Log sub-buffer size', hint: 'bytes' },
  { key: 'stats_buf_num', label: 'Stats sub-buffers', hint: 'count' },
  { key: 'stats_buf_size', label: 'Stats sub-buffer size', hint: 'bytes' },
] as const satisfies readonly { key: keyof InitConfig; label: string; hint: string }[];

export function InitForm({ init, canChange }: { init: InitConfig; canChange: boolean }) {
  const trpc = useTRPC();
  const invalidate = useConfigInvalidation();
  const [values, setValues] = useState<Record<keyof InitConfig, string>>(() => ({
    log_buf_num: String(init.log_buf_num),
    log_buf_size: String(init.log_buf_size),
    stats_buf_num: String(init.stats_buf_num),
    stats_buf_size: String(init.stats_buf_size),
  }));
  const save = useMutation(trpc.config.setInit.mutationOptions({ onSuccess: invalidate }));
  const issues = formIssues(save.error, ['init.']);

  function submit(e: FormEvent) {
    e.preventDefault();
    const num = (s: string) => (s.trim() === '' ? Number.NaN : Number(s));
    save.mutate({
      init: {
        log_buf_num: num(values.log_buf_num),
        log_buf_size: num(values.log_buf_size),
        stats_buf_num: num(values.stats_buf_num),
        stats_buf_size: num(values.stats_buf_size),
      },
    });
  }

  return (
    <section className="panel" aria-label="Raw file bounds">
      <div className="panel-head">
        <h2>Init: raw file bounds</h2>
        <span className="note">
          The raw log keeps at most {formatBytes(init.log_buf_num * init.log_buf_size)}, the stats
          file {formatBytes(init.stats_buf_num * init.stats_buf_size)}; the oldest sub-buffer is
          dropped first.
        </span>
      </div>
      <form onSubmit={submit} className="toolbar" style={{ alignItems: 'flex-start', gap: 12 }}>
        {FIELDS.map((f) => (
          <FormField key={f.key} label={f.label} hint={f.hint} error={issues.byField[f.key]}>
            {(a) => (
              <input
                {...a}
                type="text"
                inputMode="numeric"
                value={values[f.key]}
                onChange={(e) => setValues((v) => ({ ...v, [f.key]: e.target.value }))}
                style={{ width: 110 }}
              />
            )}
          </FormField>
        ))}
        <ApplyButton label="Apply init" pending={save.isPending} canChange={canChange} />
      </form>
      <SectionErrors messages={issues.other} />
    </section>
  );
}
