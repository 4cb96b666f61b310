import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startProcess, type Started } from './processes';

/** Debian's nginx answering every request with a tiny 200, on loopback, in the foreground. */
export function startNginx(port: number): Started {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tcprt-web-nginx-'));
  const conf = path.join(dir, 'nginx.conf');
  writeFileSync(
    conf,
    [
      'worker_processes 1;',
      `pid ${dir}/nginx.pid;`,
      `error_log ${dir}/error.log;`,
      'events { worker_connections 1024; }',
      'http {',
      '  access_log off;',
      ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(
        (t) => `  ${t}_temp_path ${dir}/${t};`,
      ),
      `  server { listen 127.0.0.1:${port}; keepalive_requests 100000; location / { return 200 "ok\\n"; } }`,
      '}',
      '',
    ].join('\n'),
  );
  return startProcess('nginx', '/usr/sbin/nginx', ['-c', conf, '-g', 'daemon off;'], {});
}

/** One bounded wrk run of keep-alive GETs; resolves with wrk's summary. */
export function runWrk(port: number, seconds: number, connections = 32): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'wrk',
      ['-t2', `-c${connections}`, `-d${seconds}s`, `http://127.0.0.1:${port}/`],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`wrk exited with ${code}: ${out}`)),
    );
  });
}
