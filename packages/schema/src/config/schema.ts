import { z } from 'zod';
import { expected } from './describe-value';
import { integerAtLeast } from './integer';
import { findRuleOverlaps } from './overlaps';
import { portSpecSchema } from './port-spec';

/*
 * tcprt.yaml (SPEC §4). Keys are spelled as in the file (`per-port`, `stats_interval`), so the
 * parsed object saves back to the same YAML. Unknown keys are errors at every level. A missing
 * section or key takes the SPEC default.
 */

export const MAX_FIRST_FRAME_BYTES_STEPS = 4;

const enableDisable = z.enum(['enable', 'disable'], { error: expected('one of enable, disable') });
const bool = z.boolean({ error: expected('true or false') });
const positiveInt = (what: string) => integerAtLeast(1, what);

export const globalConfigSchema = z.strictObject({
  peer: bool.default(false),
  stats: enableDisable.default('disable'),
  stats_interval: positiveInt('a positive integer (seconds)').default(60),
  /** Response byte counts whose first ACK time an R.F record reports; 0 = unused step. */
  first_frame_bytes: z
    .array(integerAtLeast(0, 'a non-negative integer (bytes)'), {
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
    })
    .default([]),
});
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

export const portRuleSchema = z.strictObject(
  {
    port: portSpecSchema,
    /** The service's name wherever its port appears; unset: the name of the process found on the port. */
    name: serviceNameSchema.optional(),
    /** Unset: the global `peer` decides. */
    peer: bool.optional(),
    mode: portModeSchema.default('default'),
    first_frame: enableDisable.default('disable'),
  },
  { error: expected('a rule (port, name, peer, mode, first_frame)') },
);
export type PortRule = z.infer<typeof portRuleSchema>;

export const initConfigSchema = z.strictObject({
  log_buf_num: positiveInt('a positive integer').default(8),
  log_buf_size: positiveInt('a positive integer (bytes)').default(262144),
  stats_buf_num: positiveInt('a positive integer').default(8),
  stats_buf_size: positiveInt('a positive integer (bytes)').default(16384),
});
export type InitConfig = z.infer<typeof initConfigSchema>;

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
