import {
  connectionInputSchema,
  historySpanSchema,
  historyWindowInputSchema,
  connectionTimelineSchema,
  recordGetInputSchema,
  recordsCountInputSchema,
  recordsCountSchema,
  recordsListInputSchema,
  recordsPageSchema,
  recordsPeersInputSchema,
  recordsPeersSchema,
  recordsTailInputSchema,
  recordsTailSchema,
  storedRecordSchema,
} from '@tcprt/schema';
import { TRPCError } from '@trpc/server';
import { publicProcedure, router } from '../trpc';

export const recordsRouter = router({
  list: publicProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/records',
        tags: ['records'],
        summary: 'Records with filters, sorting and cursor pagination',
      },
    })
    .input(recordsListInputSchema)
    .output(recordsPageSchema)
    .query(({ ctx, input }) => ctx.services.records.list(input)),

  get: publicProcedure
    .meta({
      openapi: { method: 'GET', path: '/records/{id}', tags: ['records'], summary: 'One record' },
    })
    .input(recordGetInputSchema)
    .output(storedRecordSchema)
    .query(({ ctx, input }) => {
      const record = ctx.services.records.get(input.id);
      if (!record) throw new TRPCError({ code: 'NOT_FOUND', message: `no record ${input.id}` });
      return record;
    }),

  connection: publicProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/connections/{connectionId}',
        tags: ['records'],
        summary: "A connection's records in order with its closing record",
      },
    })
    .input(connectionInputSchema)
    .output(connectionTimelineSchema)
    .query(({ ctx, input }) => {
      const timeline = ctx.services.records.connection(input.connectionId);
      if (!timeline)
        throw new TRPCError({ code: 'NOT_FOUND', message: `no connection ${input.connectionId}` });
      return timeline;
    }),

  tail: publicProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/tail',
        tags: ['records'],
        summary: 'Records stored after a given id, oldest first',
      },
    })
    .input(recordsTailInputSchema)
    .output(recordsTailSchema)
    .query(({ ctx, input }) => ctx.services.records.tail(input.afterId, input.limit)),

  count: publicProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/records-count',
        tags: ['records'],
        summary: 'How many records match the filters of records.list (counted up to 100 000)',
      },
    })
    .input(recordsCountInputSchema)
    .output(recordsCountSchema)
    .query(({ ctx, input }) => ctx.services.records.countMatching(input)),

  peers: publicProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/records-peers',
        tags: ['records'],
        summary:
          'Per peer address over the records matching the filters of records.list: count and p50/p99/max total, slowest or busiest first',
      },
    })
    .input(recordsPeersInputSchema)
    .output(recordsPeersSchema)
    .query(({ ctx, input }) => ctx.services.records.peers(input)),

  historySpan: publicProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/history/span',
        tags: ['records'],
        summary:
          'How many log lines a history download of [fromMs, toMs) holds and the times they span',
      },
    })
    .input(historyWindowInputSchema)
    .output(historySpanSchema)
    .query(({ ctx, input }) => ctx.services.history.span(input)),
});
