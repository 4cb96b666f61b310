import { historyWindowInputSchema, rawDownloadInputSchema } from '@tcprt/schema';
import { fastifyTRPCPlugin, type FastifyTRPCPluginOptions } from '@trpc/server/adapters/fastify';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import os from 'node:os';
import { fastifyTRPCOpenApiPlugin, generateOpenApiDocument } from 'trpc-to-openapi';
import { z } from 'zod';
import type { AgentServices } from '../agent-services';
import type { ApiContext } from './context';
import { hasToken } from './credentials';
import { API_METHODS, isAllowedHost, jsonNestsDeeperThan, MAX_JSON_DEPTH } from './request-guards';
import { appRouter, type AppRouter } from './router';

export interface ApiServerOptions {
  services: AgentServices;
  /** The token now (null: revoked, every protected call is refused). */
  token: () => string | null;
  version: string;
  /** Off loopback every request needs the token, not only configuration changes. */
  requireTokenForAll: boolean;
  /** Browser origins allowed to call the API directly (the console). */
  corsOrigins: readonly string[];
  /** DNS names the API answers to besides IP literals and localhost (Host header check). */
  hostNames?: readonly string[];
}

const BODY_LIMIT_BYTES = 1024 * 1024;

export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

const CORS_HEADERS = {
  'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
  'access-control-allow-headers': 'authorization, content-type, trpc-accept, x-trpc-source',
  'access-control-max-age': '600',
};

function rawFileName(
  file: 'log' | 'stats' | 'history',
  window: { fromMs?: number | undefined; toMs?: number | undefined },
): string {
  const stamp = (ms: number) => new Date(ms).toISOString().replace(/[:.]/g, '-');
  const range =
    window.fromMs !== undefined || window.toMs !== undefined
      ? `-${window.fromMs !== undefined ? stamp(window.fromMs) : 'start'}_${window.toMs !== undefined ? stamp(window.toMs) : 'now'}`
      : '';
  return `tcprt-${file}-${os.hostname().replace(/[^A-Za-z0-9.-]/g, '_')}${range}.txt`;
}

function issuesText(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
}

function openApiDocument(version: string) {
  const rawPath = (file: 'log' | 'stats', what: string) => ({
    get: {
      tags: ['raw files'],
      summary: `Download the raw ${what} file (whole, or lines in [fromMs, toMs])`,
      requestParams: {
        query: z.object({ fromMs: z.number().int().optional(), toMs: z.number().int().optional() }),
      },
      responses: {
        200: { description: `${what} lines`, content: { 'text/plain': { schema: z.string() } } },
      },
    },
  });
  return generateOpenApiDocument(appRouter, {
    title: 'tcprt agent',
    version,
    baseUrl: '/api',
    securitySchemes: {
      bearer: { type: 'http', scheme: 'bearer', description: 'The token in <data-dir>/token' },
    },
    paths: {
      '/raw/log': rawPath('log', 'log'),
      '/raw/stats': rawPath('stats', 'stats'),
      '/history/log': {
        get: {
          tags: ['records'],
          summary:
            'Stored records with start time in [fromMs, toMs) as V6/V7 log lines, oldest first, streamed from the database',
          requestParams: { query: z.object({ fromMs: z.number().int(), toMs: z.number().int() }) },
          responses: {
            200: { description: 'log lines', content: { 'text/plain': { schema: z.string() } } },
          },
        },
      },
    },
  });
}

/** The agent's HTTP server: tRPC at /trpc, REST at /api, the OpenAPI document at /openapi.json. */
export async function createApiServer(options: ApiServerOptions): Promise<FastifyInstance> {
  const { services, token } = options;
  const app = Fastify({
    logger: false,
    bodyLimit: BODY_LIMIT_BYTES,
    routerOptions: { maxParamLength: 200 },
  });
  const authorized = (req: FastifyRequest) => hasToken(req.headers.authorization, token());
  const createContext = ({ req }: { req: FastifyRequest }): ApiContext => ({
    services,
    authorized: authorized(req),
  });

  // Bodies are parsed here, before tRPC or the REST adapter see them: bounded in size and depth.
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'string', bodyLimit: BODY_LIMIT_BYTES },
    (_req, body, done) => {
      const text = body as string;
      if (jsonNestsDeeperThan(text, MAX_JSON_DEPTH))
        return done(
          Object.assign(new Error(`JSON nested deeper than ${MAX_JSON_DEPTH} levels`), {
            statusCode: 400,
          }),
        );
      try {
        done(null, text === '' ? undefined : JSON.parse(text));
      } catch {
        done(Object.assign(new Error('body is not valid JSON'), { statusCode: 400 }));
      }
    },
  );

  app.addHook('onRequest', async (req, reply) => {
    if (!API_METHODS.has(req.method))
      return reply
        .code(405)
        .send({ message: `method ${req.method} is not supported`, code: 'METHOD_NOT_SUPPORTED' });
    if (!isAllowedHost(req.headers.host, options.hostNames ?? []))
      return reply.code(421).send({
        message: 'unknown Host: this agent answers to IP addresses, localhost and its --host-name',
        code: 'MISDIRECTED_REQUEST',
      });
    const origin = req.headers.origin;
    if (origin && options.corsOrigins.includes(origin)) {
      void reply
        .header('access-control-allow-origin', origin)
        .header('vary', 'origin')
        .headers(CORS_HEADERS);
    }
    if (req.method === 'OPTIONS') return reply.code(204).send();
    if (options.requireTokenForAll && !authorized(req)) {
      return reply.code(401).send({
        message: 'this agent listens beyond loopback: send "Authorization: Bearer <token>"',
        code: 'UNAUTHORIZED',
      });
    }
  });

  await app.register(fastifyTRPCPlugin, {
    prefix: '/trpc',
    trpcOptions: {
      router: appRouter,
      createContext,
    } satisfies FastifyTRPCPluginOptions<AppRouter>['trpcOptions'],
  });
  await app.register(fastifyTRPCOpenApiPlugin, {
    basePath: '/api',
    router: appRouter,
    createContext,
  });

  // Read-only; off loopback the onRequest hook above already requires the token, as for the API.
  app.get('/metrics', async (_req, reply) =>
    reply
      .header('content-type', services.metrics.contentType)
      .send(await services.metrics.scrape()),
  );

  const document = openApiDocument(options.version);
  app.get('/openapi.json', () => Promise.resolve(document));

  for (const file of ['log', 'stats'] as const) {
    app.get(`/api/raw/${file}`, async (req, reply) => {
      const query = req.query as Record<string, unknown>;
      const badRequest = (message: string) =>
        reply.code(400).send({ message, code: 'BAD_REQUEST' });
      // The file comes from the path only.
      if ('file' in query) return badRequest("unknown query parameter 'file'");
      const parsed = rawDownloadInputSchema.safeParse({ ...query, file });
      if (!parsed.success) return badRequest(issuesText(parsed.error));
      return reply
        .header('content-type', 'text/plain; charset=us-ascii')
        .header('content-disposition', `attachment; filename="${rawFileName(file, parsed.data)}"`)
        .send(services.rawFiles.stream(parsed.data));
    });
  }

  app.get('/api/history/log', async (req, reply) => {
    const parsed = historyWindowInputSchema.safeParse(req.query);
    if (!parsed.success)
      return reply.code(400).send({ message: issuesText(parsed.error), code: 'BAD_REQUEST' });
    return reply
      .header('content-type', 'text/plain; charset=us-ascii')
      .header(
        'content-disposition',
        `attachment; filename="${rawFileName('history', parsed.data)}"`,
      )
      .send(services.history.stream(parsed.data));
  });

  app.setNotFoundHandler((req, reply) =>
    reply.code(404).send({ message: `no route ${req.method} ${req.url}`, code: 'NOT_FOUND' }),
  );
  return app;
}
