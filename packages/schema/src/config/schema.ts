import { z } from 'zod';
import { expected } from './describe-value';
import { integerWithin } from './integer';
import {
  MAX_FIRST_FRAME_BYTES,
  MAX_RANGE_RULES_PER_SIDE,
  MAX_SINGLE_PORT_RULES,
} from './kernel-limits';
import { findRuleOverlaps } from './overlaps';
import { isSinglePort, portSpecSchema, validPortSpecOf } from './port-spec';
import { routePatternsSchema } from './route-pattern';
import { sideName, uncheckedRuleIsPeer } from './rule-side';

/*
 * tcprt.yaml (SPEC §4). Keys are spelled as in the file (`per-port`, `stats_interval`), so the
 * parsed object saves back to the same YAML. Unknown keys are errors at every level. A missing
 * section or key takes the SPEC default.
 */

export const MAX_FIRST_FRAME_BYTES_STEPS = 4;
/** Node's timers hold at most 2^31 − 1 ms; a longer interval would fire every millisecond. */
export const MAX_STATS_INTERVAL_SEC = Math.floor((2 ** 31 - 1) / 1000);
/** Raw file rings: at most this many files of at most this many bytes each (256 GiB in all). */
export const MAX_BUF_NUM = 256;
export const MAX_BUF_SIZE_BYTES = 2 ** 30;

const enableDisable = z.enum(['enable', 'disable'], { error: expected('one of enable, disable') });
const bool = z.boolean({ error: expected('true or false') });

/** Steps are response sizes in increasing order; 0 marks an unused step, so zeros come last. */
function firstFrameOrderProblem(steps: readonly unknown[]): string | null {
  let previous = 0;
  // Steps that are not byte counts are reported by themselves; their order means nothing yet.
  if (!steps.every((s) => Number.isSafeInteger(s) && (s as number) >= 0)) return null;
  for (const [i, step] of steps.entries()) {
    if (typeof step !== 'number') return null;
    if (step === 0) previous = Infinity;
    else if (step <= previous)
      return previous === Infinity
        ? `step ${i} (${step}) follows an unused (0) step: unused steps go last`
        : `steps must increase, got ${step} after ${previous}`;
    else previous = step;
  }
  return null;
}

export const globalConfigSchema = z.strictObject(
  {
    peer: bool.default(false),
    stats: enableDisable.default('disable'),
    stats_interval: integerWithin(
      1,
      MAX_STATS_INTERVAL_SEC,
      'a positive integer (seconds)',
    ).default(60),
    /** Response byte counts whose first ACK time an R.F record reports; 0 = unused step. */
    first_frame_bytes: z
      .array(integerWithin(0, MAX_FIRST_FRAME_BYTES, 'a non-negative integer (bytes)'), {
        error: expected('a list of at most 4 byte counts'),
      })
      // A refinement rather than .max(): .max() stops the rule-overlap check from running.
      .superRefine((steps, ctx) => {
        if (steps.length > MAX_FIRST_FRAME_BYTES_STEPS) {
          ctx.addIssue({
            code: 'custom',
            message: `at most ${MAX_FIRST_FRAME_BYTES_STEPS} steps, got ${steps.length}`,
          });
        }
        const orderProblem = firstFrameOrderProblem(steps);
        if (orderProblem) ctx.addIssue({ code: 'custom', message: orderProblem });
      })
      .default([]),
  },
  { error: expected('a mapping of settings (peer, stats, stats_interval, first_frame_bytes)') },
);
export type GlobalConfig = z.infer<typeof globalConfigSchema>;

export const portModeSchema = z.enum(['default', 'http', 'https'], {
  error: expected('one of default, http, https'),
});
export type PortMode = z.infer<typeof portModeSchema>;

/** Longest `name:` a rule may give its port(s): a label for the console, not a description. */
export const MAX_SERVICE_NAME_CHARS = 64;

const serviceNameSchema = z
  .string({ error: expected('a name (text)') })
  .trim()
  .min(1, 'must not be empty')
  .max(MAX_SERVICE_NAME_CHARS, `at most ${MAX_SERVICE_NAME_CHARS} characters`);

export const portRuleSchema = z
  .strictObject(
    {
      port: portSpecSchema,
      /** The service's name wherever its port appears; unset: the name of the process found on the port. */
      name: serviceNameSchema.optional(),
      /** Unset: the global `peer` decides. */
      peer: bool.optional(),
      mode: portModeSchema.default('default'),
      first_frame: enableDisable.default('disable'),
      /**
       * Explicit route patterns of an http/https port (route-pattern.ts): paths they match are
       * grouped under the pattern; others under the agent's normalised route.
       */
      routes: routePatternsSchema.optional(),
    },
    { error: expected('a rule (port, name, peer, mode, first_frame, routes)') },
  )
  .superRefine((rule, ctx) => {
    if (rule.routes !== undefined && rule.mode === 'default')
      ctx.addIssue({
        code: 'custom',
        path: ['routes'],
        message: 'routes group HTTP requests: they need mode http or https',
      });
  });
export type PortRule = z.infer<typeof portRuleSchema>;

const bufNum = integerWithin(1, MAX_BUF_NUM, 'a positive integer');
const bufSize = integerWithin(1, MAX_BUF_SIZE_BYTES, 'a positive integer (bytes)');

export const initConfigSchema = z.strictObject(
  {
    log_buf_num: bufNum.default(8),
    log_buf_size: bufSize.default(262144),
    stats_buf_num: bufNum.default(8),
    stats_buf_size: bufSize.default(16384),
  },
  {
    error: expected(
      'a mapping of buffer sizes (log_buf_num, log_buf_size, stats_buf_num, stats_buf_size)',
    ),
  },
);
export type InitConfig = z.infer<typeof initConfigSchema>;

/** Why the kernel's maps cannot hold these rules (tcprt.h), or null when they fit. */
export function kernelLimitProblem(rules: readonly unknown[], globalPeer: boolean): string | null {
  let singles = 0;
  const ranges = { local: 0, peer: 0 };
  for (const rule of rules) {
    const port = validPortSpecOf(rule);
    if (port === null) continue;
    if (isSinglePort(port)) singles++;
    else ranges[sideName(uncheckedRuleIsPeer(rule, globalPeer))]++;
  }
  const problems: string[] = [];
  if (singles > MAX_SINGLE_PORT_RULES)
    problems.push(
      `${singles} single-port rules, the kernel holds at most ${MAX_SINGLE_PORT_RULES}`,
    );
  for (const side of ['local', 'peer'] as const)
    if (ranges[side] > MAX_RANGE_RULES_PER_SIDE)
      problems.push(
        `${ranges[side]} ${side} port ranges, the kernel holds at most ${MAX_RANGE_RULES_PER_SIDE}`,
      );
  return problems.length ? problems.join('; ') : null;
}

export const tcprtConfigSchema = z
  .strictObject(
    {
      global: globalConfigSchema.default(() => globalConfigSchema.parse({})),
      'per-port': z.array(portRuleSchema, { error: expected('a list of rules') }).default([]),
      init: initConfigSchema.default(() => initConfigSchema.parse({})),
    },
    { error: expected('a mapping with sections global, per-port, init') },
  )
  .superRefine(
    (config, ctx) => {
      const rules = Array.isArray(config['per-port']) ? config['per-port'] : [];
      const globalPeer = config.global?.peer === true;
      const over = kernelLimitProblem(rules, globalPeer);
      if (over) ctx.addIssue({ code: 'custom', path: ['per-port'], message: over });
      for (const overlap of findRuleOverlaps(rules, globalPeer)) {
        ctx.addIssue({
          code: 'custom',
          path: ['per-port', overlap.index, 'port'],
          message: overlap.message,
        });
      }
    },
    // Report overlaps together with the file's other problems, not only once those are fixed.
    { when: () => true },
  );
export type TcprtConfig = z.infer<typeof tcprtConfigSchema>;
/** What a user may write: every key optional. */
export type TcprtConfigInput = z.input<typeof tcprtConfigSchema>;

export const DEFAULT_CONFIG: TcprtConfig = tcprtConfigSchema.parse({});
