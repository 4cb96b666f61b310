import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { freePort } from './freePort';
import { spawnService, whenReady } from './service';
import { makeTempDir } from './tempDir';
import { waitUntil } from './waitUntil';

export interface ScrapeJob {
  job: string;
  /** host:port of each target */
  targets: string[];
  /** Sent as `Authorization: Bearer <token>` when set. */
  token?: string;
}

export interface VectorSample {
  metric: Record<string, string>;
  value: number;
}

export interface PrometheusRun {
  url: string;
  /** An instant query; rejects on a query error. */
  query(expr: string): Promise<VectorSample[]>;
  /** Scrape results by job and instance: `health` is "up", "down" or "unknown", `lastError` the reason. */
  targets(): Promise<{ job: string; instance: string; health: string; lastError: string }[]>;
  stop(): Promise<void>;
}

/**
 * Debian's Prometheus on a loopback port (a free one unless given) with a temporary storage directory, scraping the
 * jobs' targets every second. Resolves once each target was scraped once.
 */
export async function startPrometheus(
  jobs: readonly ScrapeJob[],
  options: { port?: number } = {},
): Promise<PrometheusRun> {
  const dir = await makeTempDir('prometheus');
  const port = options.port ?? (await freePort());
  const jobConfigs = jobs.map((t) =>
    [
      `  - job_name: ${JSON.stringify(t.job)}`,
      `    static_configs: [{ targets: ${JSON.stringify(t.targets)} }]`,
      ...(t.token
        ? [`    authorization: { type: Bearer, credentials: ${JSON.stringify(t.token)} }`]
        : []),
    ].join('\n'),
  );
  const configFile = path.join(dir.path, 'prometheus.yml');
  writeFileSync(
    configFile,
    `global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n${jobConfigs.join('\n')}\n`,
  );
  const url = `http://127.0.0.1:${port}`;
  const service = spawnService('prometheus', [
    'prometheus',
    `--config.file=${configFile}`,
    `--storage.tsdb.path=${path.join(dir.path, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--log.level=warn',
  ]);
  await whenReady(
    service,
    waitUntil(
      'prometheus ready',
      () =>
        fetch(`${url}/-/ready`).then(
          (r) => r.ok,
          () => false,
        ),
      30_000,
      200,
    ),
  );

  async function api<T>(apiPath: string): Promise<T> {
    const res = await fetch(url + apiPath);
    const body = (await res.json()) as { status: string; data: T; error?: string };
    if (body.status !== 'success') throw new Error(`prometheus ${apiPath}: ${body.error}`);
    return body.data;
  }

  const run: PrometheusRun = {
    url,
    async query(expr) {
      const data = await api<{
        result: { metric: Record<string, string>; value: [number, string] }[];
      }>(`/api/v1/query?query=${encodeURIComponent(expr)}`);
      return data.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
    },
    async targets() {
      const data = await api<{
        activeTargets: { labels: Record<string, string>; health: string; lastError: string }[];
      }>('/api/v1/targets');
      return data.activeTargets.map((t) => ({
        job: t.labels.job ?? '',
        instance: t.labels.instance ?? '',
        health: t.health,
        lastError: t.lastError,
      }));
    },
    async stop() {
      await service.stop();
      await dir.remove();
    },
  };
  // Service discovery hands targets to the scrapers at most every 5 s: wait for every first scrape.
  const targetCount = jobs.reduce((n, j) => n + j.targets.length, 0);
  await waitUntil(
    'a first scrape of every target',
    async () => {
      const targets = await run.targets();
      return targets.length === targetCount && targets.every((t) => t.health !== 'unknown');
    },
    30_000,
    250,
  ).catch(async (err: unknown) => {
    await run.stop();
    throw err;
  });
  return run;
}
