import { configRouter } from './routers/config';
import { recordsRouter } from './routers/records';
import { statsRouter } from './routers/stats';
import { statusRouter } from './routers/status';
import { router } from './trpc';

/** The agent's API. Procedure names are a contract with the console: add, never rename. */
export const appRouter = router({
  status: statusRouter,
  config: configRouter,
  records: recordsRouter,
  stats: statsRouter,
});

export type AppRouter = typeof appRouter;
