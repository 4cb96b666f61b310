export {
  LOADER_EXIT_STDOUT_CLOSED,
  startCollector,
  type Collector,
  type CollectorExit,
  type CollectorOptions,
} from './collector';
export { CollectorUnavailableError, collectorBinaryPath } from './binary';
export type { CollectorHealth } from './frames';
export type { HookName } from './abi';
