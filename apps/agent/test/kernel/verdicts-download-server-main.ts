import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

// Child-process entry, run inside the server's network namespace: an HTTP server whose every
// response is `bytes` long, written in `chunks` equal writes `gapMs` apart (1 chunk: all at
// once). Prints "ready" once it listens and exits when its stdin closes.
const [host = '', port = '0', bytes = '0', chunks = '1', gapMs = '0'] = process.argv.slice(2);
const total = Number(bytes);
const chunkCount = Number(chunks);
const chunk = Buffer.alloc(Math.ceil(total / chunkCount), 'd');

const server = http.createServer((_req, res) => {
  void (async () => {
    res.writeHead(200, { 'content-length': total, 'content-type': 'application/octet-stream' });
    for (let i = 0, left = total; i < chunkCount; i++) {
      if (i > 0) await sleep(Number(gapMs));
      const part = Math.min(chunk.length, left);
      res.write(chunk.subarray(0, part));
      left -= part;
    }
    res.end();
  })();
});
server.listen(Number(port), host, () => process.stdout.write('ready\n'));
process.stdin.on('close', () => process.exit(0)).resume();
