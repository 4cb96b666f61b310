import {
  configValidationSchema,
  configViewSchema,
  configYamlInputSchema,
  globalUpdateInputSchema,
  initUpdateInputSchema,
  ruleAddInputSchema,
  ruleRemoveInputSchema,
  rulesSchema,
  ruleUpdateInputSchema,
  type TcprtConfig,
} from '@tcprt/schema';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { ConfigRejectedError } from '../../config/config-rejected-error';
import type { ConfigManager } from '../../config/config-manager';
import { protectedProcedure, publicProcedure, router } from '../trpc';

const noInput = z.object({}).strict();

/** Runs a config change, turning a rejection into a 400 that carries the line/field issues. */
async function applying<T>(change: () => Promise<T>): Promise<T> {
  try {
    return await change();
  } catch (err) {
    if (err instanceof ConfigRejectedError) {
      throw new TRPCError({ code: 'BAD_REQUEST', message: err.message, cause: err });
    }
    throw err;
  }
}

function ruleAt(config: TcprtConfig, index: number): void {
  if (index >= config['per-port'].length) {
    throw new TRPCError({
      code: 'NOT_FOUND',
      message: `no rule at index ${index} (there are ${config['per-port'].length})`,
    });
  }
}

async function rulesAfter(manager: ConfigManager, change: (config: TcprtConfig) => void) {
  const view = await applying(() =>
    manager.update((config) => {
      change(config);
      return config;
    }),
  );
  return { rules: view.config['per-port'] };
}

const tags = ['config'];

export const configRouter = router({
  get: publicProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/config',
        tags,
        summary: 'The running config and its file text',
      },
    })
    .input(noInput)
    .output(configViewSchema)
    .query(({ ctx }) => ctx.services.config.view()),

  replace: protectedProcedure
    .meta({
      openapi: {
        method: 'PUT',
        path: '/config',
        tags,
        summary: 'Replace the whole file (validated, applied, saved atomically)',
        protect: true,
      },
    })
    .input(configYamlInputSchema)
    .output(configViewSchema)
    .mutation(({ ctx, input }) => applying(() => ctx.services.config.replaceYaml(input.yaml))),

  validate: publicProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/config/validate',
        tags,
        summary: 'Validate a candidate file without applying it',
      },
    })
    .input(configYamlInputSchema)
    .output(configValidationSchema)
    .mutation(({ ctx, input }) => ctx.services.config.validate(input.yaml)),

  setGlobal: protectedProcedure
    .meta({
      openapi: {
        method: 'PATCH',
        path: '/config/global',
        tags,
        summary: 'Change global settings',
        protect: true,
      },
    })
    .input(globalUpdateInputSchema)
    .output(configViewSchema)
    .mutation(({ ctx, input }) =>
      applying(() =>
        ctx.services.config.update((config) => ({
          ...config,
          global: { ...config.global, ...input.global },
        })),
      ),
    ),

  setInit: protectedProcedure
    .meta({
      openapi: {
        method: 'PATCH',
        path: '/config/init',
        tags,
        summary: 'Change raw file bounds',
        protect: true,
      },
    })
    .input(initUpdateInputSchema)
    .output(configViewSchema)
    .mutation(({ ctx, input }) =>
      applying(() =>
        ctx.services.config.update((config) => ({
          ...config,
          init: { ...config.init, ...input.init },
        })),
      ),
    ),

  rules: router({
    list: publicProcedure
      .meta({
        openapi: {
          method: 'GET',
          path: '/config/rules',
          tags,
          summary: 'Per-port rules in match order',
        },
      })
      .input(noInput)
      .output(rulesSchema)
      .query(({ ctx }) => ({ rules: ctx.services.config.config['per-port'] })),

    add: protectedProcedure
      .meta({
        openapi: {
          method: 'POST',
          path: '/config/rules',
          tags,
          summary: 'Append a rule',
          protect: true,
        },
      })
      .input(ruleAddInputSchema)
      .output(rulesSchema)
      .mutation(({ ctx, input }) =>
        rulesAfter(ctx.services.config, (config) => void config['per-port'].push(input.rule)),
      ),

    update: protectedProcedure
      .meta({
        openapi: {
          method: 'PUT',
          path: '/config/rules/{index}',
          tags,
          summary: 'Replace the rule at an index',
          protect: true,
        },
      })
      .input(ruleUpdateInputSchema)
      .output(rulesSchema)
      .mutation(({ ctx, input }) =>
        rulesAfter(ctx.services.config, (config) => {
          ruleAt(config, input.index);
          config['per-port'][input.index] = input.rule;
        }),
      ),

    remove: protectedProcedure
      .meta({
        openapi: {
          method: 'DELETE',
          path: '/config/rules/{index}',
          tags,
          summary: 'Remove the rule at an index',
          protect: true,
        },
      })
      .input(ruleRemoveInputSchema)
      .output(rulesSchema)
      .mutation(({ ctx, input }) =>
        rulesAfter(ctx.services.config, (config) => {
          ruleAt(config, input.index);
          config['per-port'].splice(input.index, 1);
        }),
      ),
  }),
});
