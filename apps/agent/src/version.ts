import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The agent package's version, read once from its package.json. */
export const AGENT_VERSION: string = (
  JSON.parse(readFileSync(path.join(import.meta.dirname, '..', 'package.json'), 'utf8')) as {
    version: string;
  }
).version;
