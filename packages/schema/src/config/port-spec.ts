import { z } from 'zod';
import { describeValue, expected } from './describe-value';

/** A rule's `port`: one port, or `"start,end"` for an inclusive range (SPEC §4). */
export type PortSpec = number | string;

export interface PortRange {
  start: number;
  end: number;
}

const RANGE_PATTERN = /^(\d+),(\d+)$/;

function isPort(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= 65535;
}

/** Why a port spec is invalid, or null when it is valid. */
export function portSpecProblem(spec: PortSpec): string | null {
  if (typeof spec === 'number')
    return isPort(spec) ? null : `expected a port 1..65535, got ${spec}`;
  const match = RANGE_PATTERN.exec(spec);
  if (!match) return `expected a port number or "start,end", got ${describeValue(spec)}`;
  const start = Number(match[1]);
  const end = Number(match[2]);
  if (!isPort(start) || !isPort(end))
    return `range ports must be 1..65535, got ${describeValue(spec)}`;
  if (start > end) return `range start must not exceed its end, got ${describeValue(spec)}`;
  return null;
}

/** The inclusive port range of a valid spec; a single port is a range of one. */
export function portRangeOf(spec: PortSpec): PortRange {
  if (typeof spec === 'number') return { start: spec, end: spec };
  const [start = '', end = ''] = spec.split(',');
  return { start: Number(start), end: Number(end) };
}

/** The port spec of a rule that may be anything (rules are checked together, valid or not). */
export function validPortSpecOf(rule: unknown): PortSpec | null {
  if (typeof rule !== 'object' || rule === null) return null;
  const { port } = rule as { port?: unknown };
  return (typeof port === 'number' || typeof port === 'string') && portSpecProblem(port) === null
    ? port
    : null;
}

export function isSinglePort(spec: PortSpec): spec is number {
  return typeof spec === 'number';
}

export const portSpecSchema = z
  .union([z.int(), z.string()], { error: expected('a port number or "start,end"') })
  .superRefine((spec, ctx) => {
    const problem = portSpecProblem(spec);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
