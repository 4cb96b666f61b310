/** Where the agent keeps things unless told otherwise (documented in apps/agent/README.md). */
export const DEFAULT_CONFIG_PATH = '/etc/tcprt/tcprt.yaml';
export const DEFAULT_DATA_DIR = '/var/lib/tcprt';
export const DEFAULT_LISTEN = { host: '127.0.0.1', port: 7071 };
/** The console (apps/web) serves on 7070; a browser there may call the agent directly. */
export const DEFAULT_CORS_ORIGINS = ['http://127.0.0.1:7070', 'http://localhost:7070'];

/** Files in the data directory. */
export const DATABASE_FILE = 'tcprt.db';
export const TOKEN_FILE = 'token';
/** Written by a running agent so CLI commands on the same machine find it without flags. */
export const AGENT_ENDPOINT_FILE = 'agent.json';
