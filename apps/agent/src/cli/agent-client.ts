import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { AGENT_ENDPOINT_FILE, DEFAULT_DATA_DIR, DEFAULT_LISTEN, TOKEN_FILE } from '../defaults';

export interface AgentEndpoint {
  url: string;
  token: string | null;
}

export class AgentUnreachableError extends Error {}

export class AgentRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Finds the local agent: `--agent URL` or $TCPRT_AGENT, else the URL the agent wrote into its
 * data directory (`--data-dir`, $TCPRT_DATA_DIR or /var/lib/tcprt), else 127.0.0.1:7071. The
 * token is read from the same data directory when this user may read it.
 */
export function findAgent(options: {
  agent?: string | undefined;
  dataDir?: string | undefined;
}): AgentEndpoint {
  const dataDir = options.dataDir ?? process.env.TCPRT_DATA_DIR ?? DEFAULT_DATA_DIR;
  let url = options.agent ?? process.env.TCPRT_AGENT;
  if (!url) {
    const endpointFile = path.join(dataDir, AGENT_ENDPOINT_FILE);
    try {
      url = existsSync(endpointFile)
        ? (JSON.parse(readFileSync(endpointFile, 'utf8')) as { url: string }).url
        : undefined;
    } catch {
      url = undefined;
    }
  }
  let token: string | null = null;
  try {
    token = readFileSync(path.join(dataDir, TOKEN_FILE), 'utf8').trim();
  } catch {
    token = null;
  }
  return {
    url: (url ?? `http://${DEFAULT_LISTEN.host}:${DEFAULT_LISTEN.port}`).replace(/\/$/, ''),
    token,
  };
}

async function send(
  endpoint: AgentEndpoint,
  method: string,
  apiPath: string,
  body?: unknown,
): Promise<Response> {
  try {
    return await fetch(endpoint.url + apiPath, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(endpoint.token ? { authorization: `Bearer ${endpoint.token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (err) {
    throw new AgentUnreachableError(
      `no agent answers at ${endpoint.url}: ${(err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : (err as Error).message}`,
    );
  }
}

/** Calls a REST path and returns its JSON; a 4xx/5xx becomes an AgentRequestError with the agent's reason. */
export async function callAgent<T>(
  endpoint: AgentEndpoint,
  method: string,
  apiPath: string,
  body?: unknown,
): Promise<T> {
  const res = await send(endpoint, method, apiPath, body);
  const text = await res.text();
  if (!res.ok) {
    let message = text;
    try {
      message = (JSON.parse(text) as { message?: string }).message ?? text;
    } catch {
      // not JSON: keep the text
    }
    if (res.status === 401 && !endpoint.token)
      message += ' (the token in the data directory is readable by root only)';
    throw new AgentRequestError(res.status, `agent answered ${res.status}: ${message}`);
  }
  return JSON.parse(text) as T;
}

/** A streamed text download (raw files). */
export async function downloadFromAgent(
  endpoint: AgentEndpoint,
  apiPath: string,
): Promise<Response> {
  const res = await send(endpoint, 'GET', apiPath);
  if (!res.ok)
    throw new AgentRequestError(res.status, `agent answered ${res.status}: ${await res.text()}`);
  return res;
}
