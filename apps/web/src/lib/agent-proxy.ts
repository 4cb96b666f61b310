// The browser only ever talks to this Next server; these routes forward /trpc and /api to the
// agent so the console needs no CORS and the agent can stay on loopback. The agent URL is read
// per request so one build serves any deployment (TCPRT_AGENT_URL, default the agent's own default).

const DEFAULT_AGENT_URL = 'http://127.0.0.1:7071';

// Hop-by-hop headers must not be forwarded (RFC 9110 §7.6.1); content-length/encoding are
// recomputed because fetch may have decoded the body.
const DROPPED_REQUEST_HEADERS = [
  'host',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'upgrade',
  'content-length',
];
const DROPPED_RESPONSE_HEADERS = [
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-encoding',
  'content-length',
];

export function agentBaseUrl(): string {
  return (process.env.TCPRT_AGENT_URL ?? DEFAULT_AGENT_URL).replace(/\/+$/, '');
}

/**
 * A 502 the caller can read: tRPC clients expect their own error shape (an array, one entry per
 * batched call), REST callers get `{ message, code }` like the agent's own errors.
 */
function unreachable(agentPath: string, incoming: URL, message: string): Response {
  const status = 502;
  if (!agentPath.startsWith('/trpc/'))
    return Response.json({ message, code: 'AGENT_UNREACHABLE' }, { status });
  const error = {
    error: { message, code: -32603, data: { code: 'INTERNAL_SERVER_ERROR', httpStatus: status } },
  };
  if (incoming.searchParams.get('batch') !== '1') return Response.json(error, { status });
  const calls = agentPath.slice('/trpc/'.length).split(/,|%2C/i).length;
  return Response.json(
    Array.from({ length: calls }, () => error),
    { status },
  );
}

export async function proxyToAgent(request: Request, agentPath: string): Promise<Response> {
  const incoming = new URL(request.url);
  const target = `${agentBaseUrl()}${agentPath}${incoming.search}`;
  const headers = new Headers(request.headers);
  for (const h of DROPPED_REQUEST_HEADERS) headers.delete(h);
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
  let upstream: Response;
  try {
    upstream = await fetch(target, {
      method: request.method,
      headers,
      body: hasBody ? await request.arrayBuffer() : undefined,
      redirect: 'manual',
      signal: request.signal,
      cache: 'no-store',
    });
  } catch (err) {
    if (request.signal.aborted) return new Response(null, { status: 499 });
    const reason =
      err instanceof Error
        ? err.cause instanceof Error
          ? err.cause.message
          : err.message
        : String(err);
    return unreachable(
      agentPath,
      incoming,
      `The console cannot reach the tcprt agent at ${agentBaseUrl()}: ${reason}`,
    );
  }
  const responseHeaders = new Headers(upstream.headers);
  for (const h of DROPPED_RESPONSE_HEADERS) responseHeaders.delete(h);
  // Streams (raw log downloads, live tail) pass through chunk by chunk.
  return new Response(upstream.body, {
    status: upstream.status,
    statusText: upstream.statusText,
    headers: responseHeaders,
  });
}

type CatchAllContext = { params: Promise<{ path: string[] }> };

/** A route handler for `app/<prefix>/[...path]/route.ts` that forwards to the same path on the agent. */
export function agentProxyRoute(prefix: string) {
  return async (request: Request, context: CatchAllContext): Promise<Response> => {
    const { path } = await context.params;
    return proxyToAgent(request, `/${prefix}/${path.map(encodeURIComponent).join('/')}`);
  };
}
