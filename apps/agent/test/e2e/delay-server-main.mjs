// A separate process (so the agent's event loop cannot delay it): answers every HTTP request
// after exactly `delayMs` (0: at once, not even a timer tick) with `bodyBytes` bytes and closes
// the connection.
// usage: node delay-server-main.mjs PORT DELAY_MS BODY_BYTES
import { Buffer } from 'node:buffer';
import http from 'node:http';
import process from 'node:process';
import { performance } from 'node:perf_hooks';
import { setTimeout } from 'node:timers';

const [port, delayMs, bodyBytes] = process.argv.slice(2).map(Number);
const body = Buffer.alloc(bodyBytes, 'x');
http
  .createServer((req, res) => {
    req.resume();
    const reply = () => {
      res.writeHead(200, { 'content-length': body.length, connection: 'close' });
      res.end(body);
    };
    req.on('end', () => {
      if (delayMs === 0) return reply();
      // Node's timers count whole milliseconds from the event loop's cached clock, so one can
      // fire up to 1 ms early by the real clock (49,859 µs seen in CI): the rest is waited out.
      const dueMs = performance.now() + delayMs;
      setTimeout(() => {
        while (performance.now() < dueMs) {
          // spin: well under a millisecond
        }
        reply();
      }, delayMs);
    });
  })
  .listen(port, '127.0.0.1', () => process.stdout.write('listening\n'));
