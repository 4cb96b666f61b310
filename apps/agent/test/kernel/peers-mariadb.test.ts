import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeKernel } from '@tcprt/testkit/describeKernel';
import type { ERecord, RRecord } from '@tcprt/schema';
import { startCollect } from '@tcprt/testkit/collect';
import { freePort } from '@tcprt/testkit/freePort';
import { runMariadbClient, startMariadb, type MariadbServer } from '@tcprt/testkit/mariadb';

const SLEEP_SECONDS = 0.2;
const BIG_RESULT_BYTES = 100_000;
const MYSQL_COM_QUIT_BYTES = 5;
const QUERIES = [
  'SELECT 1',
  `SELECT SLEEP(${SLEEP_SECONDS})`,
  `SELECT REPEAT('x', ${BIG_RESULT_BYTES})`,
  "SELECT 'done'",
];
const SANE_SERVER_TIME_US = 50_000;
// SLEEP never returns early; the upper bound leaves room for a busy 2-core machine.
const SLEEP_SLACK_US = 100_000;

let mariadb: MariadbServer;

beforeAll(async () => {
  mariadb = await startMariadb({ port: await freePort() });
}, 60_000);
afterAll(async () => {
  await mariadb?.stop();
});

/** Commands of the last connection in the server's general log, e.g. ['Connect', 'Query', 'Quit']. */
async function commandsOfLastConnection(): Promise<{ command: string; argument: string }[]> {
  const entries = (await readFile(mariadb.generalLogPath, 'utf8'))
    .split('\n')
    .map((line) => /^(?:\d{6}\s+\d{1,2}:\d{2}:\d{2})?\s+(\d+) (\w+)\t?(.*)$/.exec(line))
    .filter((m) => m !== null)
    .map(([, id, command, argument]) => ({
      id: Number(id),
      command: command!,
      argument: argument ?? '',
    }));
  const lastId = entries.at(-1)?.id;
  return entries.filter((e) => e.id === lastId);
}

describeKernel('MariaDB server with the mariadb client', () => {
  it('skips the greeting, writes one R for the login and one per query, no N for COM_QUIT, then E', async () => {
    const collect = await startCollect({ 'per-port': [{ port: mariadb.port }] });
    try {
      await runMariadbClient(mariadb, QUERIES.join('; '));
      await collect.waitForLines('the E record of the client connection', () =>
        collect.records().some((r) => r.type === 'E' && r.local.port === mariadb.port),
      );
    } finally {
      await collect.stop();
    }
    // Ground truth from the server itself: the client logged in, sent exactly our queries, quit.
    const commands = await commandsOfLastConnection();
    expect(commands.map((c) => c.command)).toEqual([
      'Connect',
      ...QUERIES.map(() => 'Query'),
      'Quit',
    ]);
    expect(commands.filter((c) => c.command === 'Query').map((c) => c.argument)).toEqual(QUERIES);

    const records = collect.records().filter((r) => r.local.port === mariadb.port);
    // The server speaks first (greeting): not a task. The client's login packet opens task 1,
    // each query one more, and COM_QUIT a last one that gets no response: MySQL's way to end a
    // connection, so no N record (verdicts-peers.test.ts: the E's close detail names it).
    const tasks = 1 + QUERIES.length;
    expect(records.map((r) => r.type)).toEqual([...Array<string>(tasks).fill('R'), 'E']);
    const finished = records.slice(0, tasks) as RRecord[];
    const close = records.at(-1) as ERecord;
    expect(finished.map((r) => r.taskNum)).toEqual(finished.map((_, i) => i + 1));
    expect(close.taskNum).toBe(tasks + 1);

    const [login, ...queryTasks] = finished;
    const sleepTask = queryTasks[QUERIES.indexOf(`SELECT SLEEP(${SLEEP_SECONDS})`)]!;
    console.log(
      `SELECT SLEEP(${SLEEP_SECONDS}): process ${sleepTask.processUs} µs, total ${sleepTask.totalUs} µs`,
    );
    expect(sleepTask.processUs).toBeGreaterThanOrEqual(SLEEP_SECONDS * 1e6);
    expect(sleepTask.processUs).toBeLessThan(SLEEP_SECONDS * 1e6 + SLEEP_SLACK_US);
    for (const r of finished.filter((t) => t !== sleepTask)) {
      expect(r.processUs).toBeLessThan(SANE_SERVER_TIME_US);
    }
    for (const r of finished) {
      expect(r.uploadUs).toBeLessThan(SANE_SERVER_TIME_US);
      expect(r.totalUs).toBeGreaterThanOrEqual(r.processUs + r.uploadUs);
    }
    // A COM_QUERY packet: 3-byte length, sequence number, command byte, then the query text.
    expect(queryTasks.map((r) => r.bytesReceived)).toEqual(
      QUERIES.map((q) => 5 + Buffer.byteLength(q)),
    );
    const bigResult = queryTasks[QUERIES.indexOf(`SELECT REPEAT('x', ${BIG_RESULT_BYTES})`)]!;
    expect(bigResult.bytesSent).toBeGreaterThan(BIG_RESULT_BYTES);
    // The greeting was sent on the connection but belongs to no task.
    const taskBytes = finished.reduce((sum, r) => sum + r.bytesSent, 0);
    expect(close.bytesSent).toBeGreaterThan(taskBytes);
    expect(login!.bytesReceived).toBeGreaterThan(0);
    // COM_QUIT is a 3-byte length, a sequence number and the command byte.
    expect(close.bytesReceived).toBe(
      finished.reduce((sum, r) => sum + r.bytesReceived, 0) + MYSQL_COM_QUIT_BYTES,
    );
  });
});
