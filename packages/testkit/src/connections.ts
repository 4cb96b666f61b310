import type { Endpoint, TcprtRecord } from '@tcprt/schema';

const endpointKey = ({ ip, port }: Endpoint) => `${ip}:${port}`;

/** Records grouped by connection (`peer>local`), each group in printed order. */
export function groupByConnection(records: readonly TcprtRecord[]): Map<string, TcprtRecord[]> {
  const groups = new Map<string, TcprtRecord[]>();
  for (const record of records) {
    const key = `${endpointKey(record.peer)}>${endpointKey(record.local)}`;
    const group = groups.get(key) ?? [];
    group.push(record);
    groups.set(key, group);
  }
  return groups;
}
