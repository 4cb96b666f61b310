import { z } from 'zod';
import {
  globalConfigSchema,
  initConfigSchema,
  portRuleSchema,
  tcprtConfigSchema,
} from '../config/schema';
import { configIssueSchema, shieldedFromRestCoercion } from './common';

/** A YAML candidate is capped: a real tcprt.yaml is a few KiB. */
export const MAX_CONFIG_YAML_BYTES = 256 * 1024;
const yamlTextSchema = z.string().max(MAX_CONFIG_YAML_BYTES);

/** The running config: the parsed form and the file text exactly as saved. */
export const configViewSchema = z.object({
  path: z.string(),
  yaml: z.string(),
  config: tcprtConfigSchema,
  loadedAtMs: z.number().int(),
});
export type ConfigView = z.infer<typeof configViewSchema>;

export const configYamlInputSchema = z.object({ yaml: yamlTextSchema }).strict();

/** Validation without applying: never an error response, the issues are the answer. */
export const configValidationSchema = z.object({
  valid: z.boolean(),
  issues: z.array(configIssueSchema),
});
export type ConfigValidation = z.infer<typeof configValidationSchema>;

/** Rules are addressed by their position in `per-port` (0-based), which is also their match order. */
export const ruleIndexSchema = z.coerce.number().int().min(0).max(10_000);

export const rulesSchema = z.object({ rules: z.array(portRuleSchema) });
const ruleInputSchema = shieldedFromRestCoercion(portRuleSchema);
export const ruleAddInputSchema = z.object({ rule: ruleInputSchema }).strict();
export const ruleUpdateInputSchema = z
  .object({ index: ruleIndexSchema, rule: ruleInputSchema })
  .strict();
export const ruleRemoveInputSchema = z.object({ index: ruleIndexSchema }).strict();

/**
 * Partial updates of a section: keys not given keep their current value. Built from the unwrapped
 * fields because `.partial()` would fill the section's defaults in for every missing key.
 */
const g = globalConfigSchema.shape;
export const globalUpdateInputSchema = z
  .object({
    global: shieldedFromRestCoercion(
      z
        .object({
          peer: g.peer.unwrap().optional(),
          stats: g.stats.unwrap().optional(),
          stats_interval: g.stats_interval.unwrap().optional(),
          first_frame_bytes: g.first_frame_bytes.unwrap().optional(),
        })
        .strict(),
    ),
  })
  .strict();
const i = initConfigSchema.shape;
export const initUpdateInputSchema = z
  .object({
    init: shieldedFromRestCoercion(
      z
        .object({
          log_buf_num: i.log_buf_num.unwrap().optional(),
          log_buf_size: i.log_buf_size.unwrap().optional(),
          stats_buf_num: i.stats_buf_num.unwrap().optional(),
          stats_buf_size: i.stats_buf_size.unwrap().optional(),
        })
        .strict(),
    ),
  })
  .strict();
export type GlobalUpdate = z.infer<typeof globalUpdateInputSchema>['global'];
export type InitUpdate = z.infer<typeof initUpdateInputSchema>['init'];
