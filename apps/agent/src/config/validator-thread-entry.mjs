// Entry of the config validator's worker thread. On Node 20 a worker does not get the tsx module
// hooks the agent runs under (nor vitest's), so the TypeScript module is loaded through tsx's API.
import { tsImport } from 'tsx/esm/api';

await tsImport('./validator-thread.ts', import.meta.url);
