import type { RecordsPage, StoredRecord } from '@tcprt/schema';
import { e2e } from './e2e-env';

/** Reads records straight from the agent's REST API: for waiting until the collector has written them. */
export async function agentRecords(
  query: Record<string, string | number>,
): Promise<StoredRecord[]> {
  const params = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
  const res = await fetch(`${e2e.agentUrl()}/api/records?${params}`);
  if (!res.ok) throw new Error(`GET /api/records: ${res.status} ${await res.text()}`);
  return ((await res.json()) as RecordsPage).items;
}

export async function waitForRecords(
  query: Record<string, string | number>,
  atLeast: number,
  timeoutMs = 15_000,
): Promise<StoredRecord[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const items = await agentRecords(query);
    if (items.length >= atLeast) return items;
    if (Date.now() > deadline)
      throw new Error(
        `expected ${atLeast} records for ${JSON.stringify(query)}, the agent has ${items.length}`,
      );
    await new Promise((r) => setTimeout(r, 250));
  }
}
