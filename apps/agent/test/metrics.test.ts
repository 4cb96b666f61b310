import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOSE_REASONS, type CloseDetail, type RRecord } from '@tcprt/schema';
import { writeFileSync } from 'node:fs';
import { waitUntil } from '@tcprt/testkit/waitUntil';
import { startHarness, type Harness } from './fixtures/agent-harness';
import { parseExposition, sampleValue, type Sample } from './fixtures/metrics-text';
import { eRecord, nRecord, pRecord, rRecord, wRecord } from './fixtures/records';

/** `GET /metrics` fed by the fake collector: every record counts, under the contract names. */

const BASE_US = Date.UTC(2026, 0, 2, 8, 0, 0) * 1000;
const CONFIG = `per-port:
  - port: 8080
    mode: http
  - port: 8081
  - port: 6379
    peer: true
`;
let h: Harness;

async function scrape(): Promise<Sample[]> {
  const res = await fetch(`${h.agent.url}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/plain');
  return parseExposition(await res.text());
}

beforeAll(async () => {
  h = await startHarness(CONFIG);
});
afterAll(async () => {
  await h.stop();
  await h.dir.remove();
});

describe('task histograms', () => {
  it('count every finished task in the bucket of each phase, in seconds', async () => {
    const http = { local: 8080, peer: 40000 };
    // 30 tasks of 100 µs upload, 200 ms process, 2 ms download; 1 with no response bytes.
    for (let i = 0; i < 30; i++) {
      h.collector.emit(
        rRecord(BASE_US + i, http, {
          uploadUs: 100,
          processUs: 200_000,
          downloadUs: 2000,
          taskNum: i + 1,
        }),
      );
    }
    h.collector.emit(
      rRecord(BASE_US, http, {
        uploadUs: 1,
        processUs: 1,
        downloadUs: 1,
        taskNum: 31,
        bytesSent: 0,
      }),
      eRecord(BASE_US, http, 31),
    );
    const s = await scrape();
    const labels = { port: '8080', side: 'local', mode: 'http' };
    expect(sampleValue(s, 'tcprt_task_duration_seconds_count', labels)).toBe(30);
    expect(sampleValue(s, 'tcprt_task_process_seconds_sum', labels)).toBeCloseTo(6, 9);
    expect(sampleValue(s, 'tcprt_task_upload_seconds_sum', labels)).toBeCloseTo(0.003, 9);
    expect(sampleValue(s, 'tcprt_task_download_seconds_sum', labels)).toBeCloseTo(0.06, 9);
    // 200 ms lies in (0.134, 0.263]; 100 µs in (0.0000766, 0.000151].
    expect(sampleValue(s, 'tcprt_task_process_seconds_bucket', { ...labels, le: '0.134' })).toBe(0);
    expect(sampleValue(s, 'tcprt_task_process_seconds_bucket', { ...labels, le: '0.263' })).toBe(
      30,
    );
    expect(sampleValue(s, 'tcprt_task_upload_seconds_bucket', { ...labels, le: '0.0000766' })).toBe(
      0,
    );
    expect(sampleValue(s, 'tcprt_task_upload_seconds_bucket', { ...labels, le: '0.000151' })).toBe(
      30,
    );
    expect(sampleValue(s, 'tcprt_task_upload_seconds_bucket', { ...labels, le: '+Inf' })).toBe(30);
    expect(
      s.filter((x) => x.name === 'tcprt_task_duration_seconds_bucket' && x.labels.port === '8080')
        .length,
    ).toBe(25);
    expect(sampleValue(s, 'tcprt_task_request_bytes_total', { port: '8080', side: 'local' })).toBe(
      3000,
    );
    expect(sampleValue(s, 'tcprt_task_response_bytes_total', { port: '8080', side: 'local' })).toBe(
      30_000,
    );
  });

  it('label peer tasks by the remote port and default mode', async () => {
    for (let i = 0; i < 4; i++)
      h.collector.emit(pRecord(BASE_US + i, { local: 50000 + i, peer: 6379 }, 80));
    const s = await scrape();
    const labels = { port: '6379', side: 'peer', mode: 'default' };
    expect(sampleValue(s, 'tcprt_task_process_seconds_count', labels)).toBe(4);
    expect(sampleValue(s, 'tcprt_task_process_seconds_sum', labels)).toBeCloseTo(0.00032, 9);
    expect(sampleValue(s, 'tcprt_task_request_bytes_total', { port: '6379', side: 'peer' })).toBe(
      160,
    );
  });

  it('observe TLS handshakes of R.H records', async () => {
    const r: RRecord = {
      ...rRecord(
        BASE_US,
        { local: 8081, peer: 40001 },
        { uploadUs: 5, processUs: 5, downloadUs: 5 },
      ),
      version: 'V7',
      srttUs: 30,
      cwnd: 10,
      extensions: 'H',
      handshakeUs: 1500,
    };
    h.collector.emit(r);
    const s = await scrape();
    expect(sampleValue(s, 'tcprt_tls_handshake_seconds_count', { port: '8081' })).toBe(1);
    expect(sampleValue(s, 'tcprt_tls_handshake_seconds_sum', { port: '8081' })).toBeCloseTo(
      0.0015,
      9,
    );
  });
});

describe('closes', () => {
  it("give every connection its E record's close reason; W and N count nothing of their own", async () => {
    const port = 8081;
    const detail = (d: Partial<CloseDetail>): CloseDetail => ({
      first: 'fin_received',
      abort: null,
      phase: 'idle',
      phaseUs: 10,
      protocolEnds: [],
      ...d,
    });
    h.collector.emit(
      wRecord(BASE_US, { local: port, peer: 41000 }, 5000),
      eRecord(BASE_US, { local: port, peer: 41000 }, 1, detail({ phase: 'sending' })),
      nRecord(BASE_US, { local: port, peer: 41001 }),
      eRecord(BASE_US, { local: port, peer: 41001 }, 1, detail({ phase: 'receiving' })),
      // MySQL's COM_QUIT: TCP-RT's N stays, the connection closed normally.
      nRecord(BASE_US, { local: port, peer: 41002 }),
      eRecord(
        BASE_US,
        { local: port, peer: 41002 },
        1,
        detail({ phase: 'receiving', protocolEnds: ['mysql_quit'] }),
      ),
      eRecord(BASE_US, { local: port, peer: 41003 }, 1, detail({ phase: 'processing' })),
      eRecord(
        BASE_US,
        { local: port, peer: 41004 },
        1,
        detail({ first: 'rst_received', abort: 'rst_received' }),
      ),
      eRecord(BASE_US, { local: port, peer: 41005 }, 1, detail({ first: 'fin_sent' })),
      // Without a close detail, as TCP-RT's E alone reads.
      eRecord(BASE_US, { local: port, peer: 41006 }),
      eRecord(BASE_US, { local: 50000, peer: 6379 }, 1, detail({ first: 'fin_sent', phase: null })),
    );
    const s = await scrape();
    const closed = (reason: string, side = 'local', p = String(port)) =>
      sampleValue(s, 'tcprt_connections_closed_total', { port: p, side, reason });
    expect(Object.fromEntries(CLOSE_REASONS.map((reason) => [reason, closed(reason)]))).toEqual({
      normal: 3,
      peer_gave_up: 1,
      reset_by_peer: 1,
      reset_by_local: 0,
      timed_out: 0,
      closed_while_sending: 1,
      closed_while_receiving: 1,
    });
    expect(closed('normal', 'peer', '6379')).toBe(1);
  });
});

describe('health and counts', () => {
  it('report the collector, config and build, and lost records from the collector', async () => {
    const s = await scrape();
    expect(sampleValue(s, 'tcprt_collector_up')).toBe(1);
    expect(sampleValue(s, 'tcprt_collector_restarts_total')).toBe(0);
    expect(sampleValue(s, 'tcprt_config_rejected')).toBe(0);
    expect(sampleValue(s, 'tcprt_records_lost_total', { cause: 'ring_buffer_full' })).toBe(0);
    const build = s.find((x) => x.name === 'tcprt_build_info');
    expect(build?.value).toBe(1);
    expect(build?.labels.version).toMatch(/\d/);
  });

  it('report a rejected config file until it is fixed', async () => {
    writeFileSync(h.configPath, 'per-port:\n  - port: 8080\n    mode: tls\n');
    await waitUntil(
      'the rejection',
      async () => sampleValue(await scrape(), 'tcprt_config_rejected') === 1,
      10_000,
      100,
    );
    writeFileSync(h.configPath, CONFIG);
    await waitUntil(
      'the fix',
      async () => sampleValue(await scrape(), 'tcprt_config_rejected') === 0,
      10_000,
      100,
    );
  });

  it('show a dead collector as down, then count its restart', async () => {
    h.collector.crash('killed by the test');
    expect(sampleValue(await scrape(), 'tcprt_collector_up')).toBe(0);
    await waitUntil(
      'the restart',
      async () => sampleValue(await scrape(), 'tcprt_collector_up') === 1,
      10_000,
      50,
    );
    expect(sampleValue(await scrape(), 'tcprt_collector_restarts_total')).toBe(1);
  });

  it('agree with the stored records exactly', async () => {
    await h.agent.flush();
    const res = await fetch(`${h.agent.url}/api/records?localPort=8080&kinds=R&limit=1000`);
    const stored = ((await res.json()) as { items: { bytesSent: number }[] }).items;
    const s = await scrape();
    const count = sampleValue(s, 'tcprt_task_duration_seconds_count', {
      port: '8080',
      side: 'local',
    });
    // SPEC §3 counts tasks that sent a response; the one R without response bytes is stored only.
    expect(count).toBe(stored.filter((r) => r.bytesSent > 0).length);
    expect(stored.length).toBe(count + 1);
  });
});
