import { z } from 'zod';
import { expected } from './describe-value';

/**
 * An integer in [min, max] (what the kernel, a C type or a Node timer can hold), with one
 * "expected <what>, got <value>" message for every way to miss it. Built as a refinement because
 * z.int() aborts the whole parse on a fraction, which would hide the config's other problems
 * (rule overlaps are checked last).
 */
export function integerWithin(min: number, max: number, what: string) {
  const message = expected(what);
  return z.number({ error: message }).superRefine((n, ctx) => {
    if (!Number.isSafeInteger(n) || n < min)
      ctx.addIssue({ code: 'custom', message: message({ input: n }) });
    else if (n > max)
      ctx.addIssue({ code: 'custom', message: `expected ${what}, at most ${max}, got ${n}` });
  });
}
