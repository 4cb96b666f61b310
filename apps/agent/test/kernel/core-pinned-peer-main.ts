import { execFileSync } from 'node:child_process';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/*
 * Child-process entry for a test whose peers run on CPUs of its choosing (started under
 * `taskset`). Requests are '\n'-terminated lines, each answered with `responseBytes` bytes.
 *   server PORT REQUESTS RESPONSE_BYTES  prints "ready" once listening; after the REQUESTS-th
 *                                        answer has been taken in, aborts the connection (RST),
 *                                        so the socket closes in this process, on this CPU.
 *   client PORT REQUESTS RESPONSE_BYTES MOVE_AFTER MOVE_TO
 *                                        prints its local port, sends the requests one after
 *                                        the other, moving itself to CPU MOVE_TO after the
 *                                        MOVE_AFTER-th answer; prints "done" when the server has
 *                                        reset.
 */
const [mode, portText, requestsText, responseText, moveAfterText, moveTo] = process.argv.slice(2);
const port = Number(portText);
const requests = Number(requestsText);
const responseBytes = Number(responseText);

if (mode === 'server') {
  const response = Buffer.alloc(responseBytes, 0x61);
  const server = net.createServer((socket) => {
    socket.on('error', () => {});
    let answered = 0;
    socket.on('data', (chunk) => {
      for (const byte of chunk) {
        if (byte !== 0x0a) continue;
        socket.write(response);
        if (++answered === requests) {
          // Longer than a delayed ACK: the client has acknowledged the last answer.
          void sleep(100).then(() => socket.resetAndDestroy());
        }
      }
    });
  });
  server.listen({ host: '127.0.0.1', port }, () => process.stdout.write('ready\n'));
  process.stdin.on('close', () => process.exit(0)).resume();
} else {
  const socket = net.connect({ host: '127.0.0.1', port });
  socket.on('error', () => {});
  await new Promise((resolve) => socket.once('connect', resolve));
  process.stdout.write(`${socket.localPort}\n`);
  let received = 0;
  let sent = 0;
  const send = () => socket.write(`request ${++sent}\n`);
  socket.on('data', (chunk) => {
    received += chunk.length;
    if (received !== sent * responseBytes || sent === requests) return;
    if (sent === Number(moveAfterText)) {
      execFileSync('taskset', ['-p', '-c', String(moveTo), String(process.pid)], {
        stdio: 'ignore',
      });
    }
    send();
  });
  send();
  await new Promise((resolve) => socket.once('close', resolve));
  process.stdout.write('done\n');
}
