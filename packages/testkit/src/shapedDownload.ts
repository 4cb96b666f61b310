import type { TcprtRecord } from '@tcprt/schema';
import { runCommand } from './command';
import { startCollect } from './collect';
import { freePort } from './freePort';
import { startNginx } from './nginx';
import { withShapedLink, type ShapedLink } from './shapedLink';
import { tcpCounter } from './tcpCounters';

export interface ShapedDownloadOptions {
  bodyBytes: number;
  rateBytesPerSec: number;
  /** Passed to the link: a short queue makes TBF drop packets. */
  queueLatencyMs?: number;
  /** curl gives up after this long (`--max-time`); unset: curl must fetch the whole file. */
  curlMaxSeconds?: number;
}

export interface ShapedDownload {
  link: ShapedLink;
  /** curl's own counts and its exit code (28 = gave up at --max-time). */
  curl: { headerBytes: number; bodyBytes: number; requestBytes: number; exitCode: number };
  server: { ip: string; port: number };
  client: { ip: string; port: number };
  /** Records of the server's socket (local rule) and of the client's socket (peer rule). */
  serverRecords: readonly TcprtRecord[];
  clientRecords: readonly TcprtRecord[];
  /** Segments the server's namespace retransmitted during the download (kernel counter). */
  serverRetransmittedSegments: number;
}

/**
 * curl in the client namespace fetches a file from nginx in the server namespace over a link
 * whose download direction is shaped, with the server port tracked on both sides.
 */
export async function downloadOverShapedLink(
  options: ShapedDownloadOptions,
): Promise<ShapedDownload> {
  const port = await freePort();
  const linkOptions = {
    serverToClientBytesPerSec: options.rateBytesPerSec,
    queueLatencyMs: options.queueLatencyMs,
  };
  return withShapedLink(linkOptions, async (link) => {
    const nginx = await startNginx({
      host: link.serverAddress,
      port,
      netns: link.serverNetns,
      files: { 'big.bin': Buffer.alloc(options.bodyBytes, 7) },
    });
    let curl: { stdout: string; exitCode: number };
    let records: readonly TcprtRecord[];
    let serverRetransmittedSegments: number;
    try {
      // The collector attaches at the root cgroup from the root namespace; server and client
      // run in two other network namespaces, so the records also show that it sees their
      // sockets. Local rule → the server's socket, peer rule → the client's socket.
      const collect = await startCollect({ 'per-port': [{ port }, { port, peer: true }] });
      try {
        const retransmittedBefore = await tcpCounter(link.serverNetns, 'RetransSegs');
        const giveUp = options.curlMaxSeconds;
        curl = await runCommand(
          [
            'curl',
            '-sS',
            '-o',
            '/dev/null',
            ...(giveUp === undefined ? ['--fail'] : ['--max-time', String(giveUp)]),
            '-w',
            '%{size_header} %{size_download} %{size_request} %{local_port}',
            `${nginx.baseUrl}big.bin`,
          ],
          { netns: link.clientNetns, timeoutMs: 30_000, allowFailure: giveUp !== undefined },
        );
        await collect.waitForLines(
          'the E records of both ends',
          () => collect.records().filter((r) => r.type === 'E').length >= 2,
        );
        serverRetransmittedSegments =
          (await tcpCounter(link.serverNetns, 'RetransSegs')) - retransmittedBefore;
      } finally {
        await collect.stop();
      }
      records = collect.records();
    } finally {
      await nginx.stop();
    }
    const [headerBytes, bodyBytes, requestBytes, clientPort] = curl.stdout.split(' ').map(Number);
    const server = { ip: link.serverAddress, port };
    const client = { ip: link.clientAddress, port: clientPort! };
    return {
      link,
      curl: {
        headerBytes: headerBytes!,
        bodyBytes: bodyBytes!,
        requestBytes: requestBytes!,
        exitCode: curl.exitCode,
      },
      server,
      client,
      serverRecords: records.filter((r) => r.local.ip === server.ip),
      clientRecords: records.filter((r) => r.local.ip === client.ip),
      serverRetransmittedSegments,
    };
  });
}
