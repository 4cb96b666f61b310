import path from 'node:path';

/** The repository checkout these helpers run in. */
export const REPO_ROOT = path.resolve(import.meta.dirname, '../../..');

/**
 * The `tcprt` command under test (apps/agent/bin/tcprt). Started as a program, never imported:
 * the helpers depend on the agent's command line, not on its modules.
 */
export const TCPRT_BIN = path.join(REPO_ROOT, 'apps/agent/bin/tcprt');
