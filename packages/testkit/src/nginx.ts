import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startListeningService } from './service';
import { makeTempDir } from './tempDir';

export interface NginxOptions {
  /**
   * Address to listen on (default 127.0.0.1). IPv6 addresses are fine; '::' listens dual-stack,
   * so IPv4 clients arrive on IPv6 sockets with IPv4-mapped addresses.
   */
  host?: string;
  port: number;
  /** Files served from the document root, by relative path. */
  files: Record<string, string | Buffer>;
  netns?: string;
  /** CPU list for `taskset -c`. */
  cpus?: string;
  workerProcesses?: number;
  /** Serve TLS with this certificate and key, in these protocol versions (e.g. 'TLSv1.2'). */
  tls?: { cert: string; key: string; protocols: string };
  /** Extra directives inside the server block (e.g. a proxying `location`). */
  serverDirectives?: string;
}

export interface NginxServer {
  host: string;
  port: number;
  /** `http://host:port/` (`https://` with `tls`) */
  baseUrl: string;
  /** The nginx master process. */
  pid: number;
  stop(): Promise<void>;
}

const urlHost = (host: string) => (host.includes(':') ? `[${host}]` : host);

function nginxConfig(root: string, host: string, options: NginxOptions): string {
  const { port, tls } = options;
  // Runs as root with every path inside its own prefix, so it needs nothing from /etc/nginx or
  // /var/log and cannot clash with a system nginx.
  return `
user root;
daemon off;
master_process on;
worker_processes ${options.workerProcesses ?? 1};
pid ${root}/nginx.pid;
error_log stderr warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${root}/tmp/body;
  proxy_temp_path ${root}/tmp/proxy;
  fastcgi_temp_path ${root}/tmp/fastcgi;
  uwsgi_temp_path ${root}/tmp/uwsgi;
  scgi_temp_path ${root}/tmp/scgi;
  keepalive_requests 1000000;
  keepalive_timeout 60s;
  default_type application/octet-stream;
  sendfile on;
  server {
    listen ${urlHost(host)}:${port}${host === '::' ? ' ipv6only=off' : ''}${tls ? ' ssl' : ''};
    root ${root}/html;
${tls ? `    ssl_certificate ${tls.cert};\n    ssl_certificate_key ${tls.key};\n    ssl_protocols ${tls.protocols};\n` : ''}${options.serverDirectives ?? ''}
  }
}
`;
}

/** Starts a throwaway nginx serving `files`; `stop()` ends it and deletes its directory. */
export async function startNginx(options: NginxOptions): Promise<NginxServer> {
  const host = options.host ?? '127.0.0.1';
  const dir = await makeTempDir('nginx');
  const configFile = path.join(dir.path, 'nginx.conf');
  const service = await startListeningService(
    'nginx',
    ['nginx', '-e', 'stderr', '-p', dir.path, '-c', configFile],
    {
      port: options.port,
      netns: options.netns,
      cpus: options.cpus,
      async prepare() {
        await mkdir(path.join(dir.path, 'tmp'));
        for (const [name, content] of Object.entries(options.files)) {
          const file = path.join(dir.path, 'html', name);
          await mkdir(path.dirname(file), { recursive: true });
          await writeFile(file, content);
        }
        await writeFile(configFile, nginxConfig(dir.path, host, options));
      },
      cleanup: dir.remove,
    },
  );
  return {
    host,
    port: options.port,
    baseUrl: `${options.tls ? 'https' : 'http'}://${urlHost(host)}:${options.port}/`,
    pid: service.process.pid ?? 0,
    stop: () => service.stop(),
  };
}
