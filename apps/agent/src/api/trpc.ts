import { initTRPC, TRPCError } from '@trpc/server';
import type { OpenApiMeta } from 'trpc-to-openapi';
import type { ApiContext } from './context';
import { ConfigRejectedError } from '../config/config-rejected-error';

const t = initTRPC
  .context<ApiContext>()
  .meta<OpenApiMeta>()
  .create({
    errorFormatter({ shape, error }) {
      // A rejected config carries its line/field issues so callers can point at them.
      const configIssues =
        error.cause instanceof ConfigRejectedError ? error.cause.issues : undefined;
      return { ...shape, data: { ...shape.data, stack: undefined, configIssues } };
    },
  });

export const router = t.router;
export const publicProcedure = t.procedure;

/** Anything that changes the agent's configuration or tracking needs the agent's token. */
export const protectedProcedure = t.procedure.use(({ ctx, next }) => {
  if (!ctx.authorized) {
    throw new TRPCError({
      code: 'UNAUTHORIZED',
      message: 'this call changes configuration: send "Authorization: Bearer <token>"',
    });
  }
  return next();
});
