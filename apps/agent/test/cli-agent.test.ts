import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startHarness, type Harness } from './fixtures/agent-harness';
import { rRecord } from './fixtures/records';
import { runCommand } from '@tcprt/testkit/command';
import { spawnService } from '@tcprt/testkit/service';
import { waitUntil } from '@tcprt/testkit/waitUntil';

const TCPRT = path.resolve(import.meta.dirname, '../bin/tcprt');
/** The peer ports of log lines, in order: which records a query printed. */
const peerPorts = (stdout: string) =>
  stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => Number(/ 127\.0\.0\.1:(\d+) 127\.0\.0\.1:8080 /.exec(line)?.[1]));
let h: Harness;
const tcprt = (args: string[], dataDir = h.dataDir) =>
  runCommand([TCPRT, ...args, '--data-dir', dataDir], { allowFailure: true, timeoutMs: 60_000 });

beforeAll(async () => {
  h = await startHarness('per-port:\n  - port: 8080\n');
  const base = Date.UTC(2026, 2, 3, 4, 5, 6) * 1000;
  for (let i = 0; i < 3; i++)
    h.collector.emit(
      rRecord(
        base + i,
        { local: 8080, peer: 45000 + i },
        { uploadUs: 1, processUs: 100 * i, downloadUs: 2 },
      ),
    );
  await h.agent.flush();
});
afterAll(async () => {
  await h.stop();
  await h.dir.remove();
});

// Each call starts the CLI through tsx, which takes seconds on a busy 2-core machine.
describe(
  'tcprt CLI against a running agent (found through its data directory)',
  { timeout: 180_000 },
  () => {
    it('status exits 0 while the collector runs, 1 when no agent answers', async () => {
      const ok = await tcprt(['status']);
      expect(ok.exitCode).toBe(0);
      expect(ok.stdout).toMatch(/collector\s+running/);
      const emptyDir = path.join(h.dir.path, 'nothing-here');
      mkdirSync(emptyDir);
      writeFileSync(
        path.join(emptyDir, 'agent.json'),
        JSON.stringify({ url: 'http://127.0.0.1:9' }),
      );
      const down = await tcprt(['status'], emptyDir);
      expect(down.exitCode).toBe(1);
      expect(down.stderr).toMatch(/no agent answers/);
    });

    it('query prints the stored records as log lines (newest first), or JSON', async () => {
      const lines = await tcprt(['query', '--port', '8080']);
      expect(lines.exitCode).toBe(0);
      expect(peerPorts(lines.stdout)).toEqual([45002, 45001, 45000]);
      expect((await tcprt(['query', '--port', '8080', '--asc'])).stdout).toMatch(
        /^V6 R \d+ \d+ 127\.0\.0\.1:45000 127\.0\.0\.1:8080 /,
      );
      const json = await tcprt(['query', '--port', '8080', '--json', '--limit', '1']);
      expect(JSON.parse(json.stdout.trim())).toMatchObject({ kind: 'R', localPort: 8080 });
    });

    it('query sorts by a phase, slowest first with --desc, and filters by minimum phase times', async () => {
      // Process times 0, 100, 200 µs on peers 45000, 45001, 45002.
      const slowest = await tcprt(['query', '--sort', 'process', '--desc']);
      expect(peerPorts(slowest.stdout)).toEqual([45002, 45001, 45000]);
      const fastest = await tcprt(['query', '--sort', 'total']);
      expect({ ...fastest, elapsedMs: 0 }).toMatchObject({ exitCode: 0, stderr: '' });
      expect(peerPorts(fastest.stdout)).toEqual([45000, 45001, 45002]);
      const slow = await tcprt(['query', '--min-process-us', '100', '--min-upload-us', '1']);
      expect(peerPorts(slow.stdout)).toEqual([45002, 45001]);
      const bad = await tcprt(['query', '--sort', 'latency']);
      expect(bad.exitCode).toBe(2);
      expect(bad.stderr).toMatch(/--sort: expected one of time, total, upload, process, download/);
    });

    it('stats prints p50/p90/p99 per phase for a port over a window', async () => {
      const res = await tcprt([
        'stats',
        '--port',
        '8080',
        '--since',
        '2026-03-03T04:00:00Z',
        '--until',
        '2026-03-03T04:10:00Z',
      ]);
      expect(res.exitCode).toBe(0);
      expect(res.stdout).toMatch(/^port 8080 \(server side\)/);
      // A window older than a day reads the minute rollups (the 10 s ones are kept a day).
      expect(res.stdout).toMatch(/\(read at 60 s\)\ntasks 3, 0\.05\/s over the 60 s with traffic/);
      // process 0, 100, 200 µs: p50 100, p90 and p99 200, each read as the middle of its
      // histogram bin ([100, 102) and [200, 208): 101 and 203, within the stated ±3 %).
      const process = /^process\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)$/m.exec(res.stdout);
      expect(process?.slice(1).map(Number)).toEqual([101, 203, 203, 100]);
      expect(res.stdout).toMatch(/^total\s+\d+\s+\d+\s+\d+\s+\d+$/m);
      expect((await tcprt(['stats'])).stderr).toMatch(/--port N is required/);
    });

    it('rules add/list/rm change the agent config; config get prints it', async () => {
      const added = await tcprt(['rules', 'add', '9000,9005', '--mode', 'http', '--peer']);
      expect(added.exitCode).toBe(0);
      expect(added.stdout).toMatch(/1 {2}port 9000,9005 peer {2}mode http/);
      expect(readFileSync(h.configPath, 'utf8')).toContain('"9000,9005"');
      expect((await tcprt(['config', 'get'])).stdout).toContain('"9000,9005"');
      expect((await tcprt(['rules', 'rm', '1'])).exitCode).toBe(0);
      expect((await tcprt(['rules', 'list'])).stdout.trim()).toBe(
        '0  port 8080  mode default  first_frame disable',
      );
    });

    it('config set rejects a bad file with its line and keeps the config', async () => {
      const bad = path.join(h.dir.path, 'bad.yaml');
      writeFileSync(bad, 'per-port:\n  - port: 8080\n    mode: gopher\n');
      const res = await tcprt(['config', 'set', bad]);
      expect(res.exitCode).toBe(1);
      expect(res.stderr).toMatch(/line 3: per-port\[0\]\.mode/);
      expect(readFileSync(h.configPath, 'utf8')).not.toContain('gopher');
    });

    it('refuses changes without the token (a data directory without it)', async () => {
      const noToken = path.join(h.dir.path, 'no-token');
      mkdirSync(noToken);
      writeFileSync(path.join(noToken, 'agent.json'), JSON.stringify({ url: h.agent.url }));
      const res = await tcprt(['rules', 'add', '7000'], noToken);
      expect(res.exitCode).toBe(1);
      expect(res.stderr).toMatch(/401/);
    });

    it('tail prints only lines stored after it started, as they arrive, of the port asked for', async () => {
      const tail = spawnService('tcprt tail', [
        TCPRT,
        'tail',
        '--port',
        '8080',
        '--data-dir',
        h.dataDir,
      ]);
      let sent = 0;
      try {
        // Until tail has started (tsx takes seconds), keep storing one new record per second.
        await waitUntil(
          'tail to print a new line',
          async () => {
            if (tail.outputTail().includes('127.0.0.1:46')) return true;
            h.collector.emit(
              rRecord(
                Date.UTC(2026, 2, 3, 5, 0, sent) * 1000,
                { local: 8090, peer: 47000 + sent },
                { uploadUs: 1, processUs: 777, downloadUs: 2 },
              ),
              rRecord(
                Date.UTC(2026, 2, 3, 5, 0, sent) * 1000 + 1,
                { local: 8080, peer: 46000 + sent++ },
                { uploadUs: 1, processUs: 777, downloadUs: 2 },
              ),
            );
            await h.agent.flush();
            return false;
          },
          90_000,
          1000,
        );
        expect(tail.outputTail()).toMatch(/^V6 R \d+ \d+ 127\.0\.0\.1:46\d+ 127\.0\.0\.1:8080 /m);
        expect(tail.outputTail()).not.toContain('127.0.0.1:45000');
        expect(tail.outputTail()).not.toContain(':8090 ');
      } finally {
        await tail.stop();
      }
    });

    it('logs download writes the raw log', async () => {
      const out = path.join(h.dir.path, 'log.txt');
      expect((await tcprt(['logs', 'download', '-o', out])).exitCode).toBe(0);
      const lines = readFileSync(out, 'utf8').split('\n').filter(Boolean);
      expect(lines.length).toBeGreaterThan(3);
      // Every line is a record of the emitted traffic (port 8080, and 8090 from the tail test).
      expect(lines.every((l) => / 127\.0\.0\.1:80[89]0 /.test(l))).toBe(true);
    });
  },
);
