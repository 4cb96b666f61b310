'use client';

import { useState, type FormEvent } from 'react';
import type { PortRule } from '@tcprt/schema';
import { FormField } from '@/components/form-field';

export interface RuleDraft {
  port: string;
  /** The rule's `name:`; empty: the process found on the port names it. */
  name: string;
  side: 'inherit' | 'local' | 'peer';
  mode: PortRule['mode'];
  firstFrame: boolean;
}

export const EMPTY_RULE: RuleDraft = {
  port: '',
  name: '',
  side: 'inherit',
  mode: 'default',
  firstFrame: false,
};

export function draftOf(rule: PortRule): RuleDraft {
  return {
    port: String(rule.port),
    name: rule.name ?? '',
    side: rule.peer === undefined ? 'inherit' : rule.peer ? 'peer' : 'local',
    mode: rule.mode,
    firstFrame: rule.first_frame === 'enable',
  };
}

/** The rule as the API takes it. The port text stays a string unless it is a plain number, so the agent judges it. */
export function ruleOf(d: RuleDraft): PortRule {
  const port = /^\s*\d+\s*$/.test(d.port) ? Number(d.port) : d.port.replace(/\s+/g, '');
  const name = d.name.trim();
  return {
    port,
    ...(name ? { name } : {}),
    ...(d.side === 'inherit' ? {} : { peer: d.side === 'peer' }),
    mode: d.mode,
    first_frame: d.firstFrame ? 'enable' : 'disable',
  };
}

interface Props {
  initial: RuleDraft;
  submitLabel: string;
  busy: boolean;
  errors: Record<string, string>;
  disabled: boolean;
  onSubmit: (draft: RuleDraft) => void;
  onCancel?: () => void;
}

export function RuleForm({
  initial,
  submitLabel,
  busy,
  errors,
  disabled,
  onSubmit,
  onCancel,
}: Props) {
  const [draft, setDraft] = useState(initial);
  const set = (patch: Partial<RuleDraft>) => setDraft((d) => ({ ...d, ...patch }));
  function submit(e: FormEvent) {
    e.preventDefault();
    onSubmit(draft);
  }
  return (
    <form
      className="toolbar"
      onSubmit={submit}
      style={{ alignItems: 'flex-start', gap: 10 }}
      aria-label={submitLabel}
    >
      <FormField label="Port" hint="80 or 8000,8100" error={errors.port}>
        {(a) => (
          <input
            {...a}
            type="text"
            value={draft.port}
            onChange={(e) => set({ port: e.target.value })}
            style={{ width: 120 }}
            name="port"
          />
        )}
      </FormField>
      <FormField label="Name" hint="optional: mariadb" error={errors.name}>
        {(a) => (
          <input
            {...a}
            type="text"
            value={draft.name}
            onChange={(e) => set({ name: e.target.value })}
            style={{ width: 120 }}
            name="name"
          />
        )}
      </FormField>
      <FormField label="Side" error={errors.peer}>
        {(a) => (
          <select
            {...a}
            value={draft.side}
            onChange={(e) => set({ side: e.target.value as RuleDraft['side'] })}
            name="side"
          >
            <option value="inherit">global default</option>
            <option value="local">local (server)</option>
            <option value="peer">peer (client)</option>
          </select>
        )}
      </FormField>
      <FormField label="Mode" error={errors.mode}>
        {(a) => (
          <select
            {...a}
            value={draft.mode}
            onChange={(e) => set({ mode: e.target.value as RuleDraft['mode'] })}
            name="mode"
          >
            <option value="default">default (V6)</option>
            <option value="http">http (V7)</option>
            <option value="https">https (V7)</option>
          </select>
        )}
      </FormField>
      <FormField label="First frame" error={errors.first_frame}>
        {(a) => (
          <select
            {...a}
            value={draft.firstFrame ? 'enable' : 'disable'}
            onChange={(e) => set({ firstFrame: e.target.value === 'enable' })}
            name="first_frame"
          >
            <option value="disable">disable</option>
            <option value="enable">enable (R.F)</option>
          </select>
        )}
      </FormField>
      <div className="toolbar" style={{ alignSelf: 'flex-start', marginTop: 17 }}>
        <button type="submit" className="primary" disabled={busy || disabled}>
          {busy ? 'Applying…' : submitLabel}
        </button>
        {onCancel && (
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
