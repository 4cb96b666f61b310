import type { PortService } from '@tcprt/schema';

/** Characters of a container id shown in labels (docker's short id). */
const SHORT_CONTAINER_ID = 12;

/**
 * Ports as the stats lines name them: local `80`, peer `P3306`; in prose, `:80` and `peer :3306`.
 * With the service the agent found on the port (or a rule named): `mariadb (:3306, mariadb.service)`,
 * `redis-server (:6379, container 3f2a1b0c9d8e)`, `orders-db (:3306)`.
 */
export function portLabel(port: number, peer: boolean, service?: PortService | null): string {
  const bare = peer ? `peer :${port}` : `:${port}`;
  if (!service) return bare;
  const place =
    service.unit ??
    (service.container ? `container ${service.container.slice(0, SHORT_CONTAINER_ID)}` : null);
  return `${service.name} (${place ? `${bare}, ${place}` : bare})`;
}

/** The process behind a port's label, for a tooltip: `mariadbd, pid 812: /usr/sbin/mariadbd …`. */
export function serviceDetail(service: PortService | null | undefined): string | undefined {
  if (!service || service.pid === null) return undefined;
  const cgroup = service.cgroup ? ` (cgroup ${service.cgroup})` : '';
  return `${service.process ?? service.name}, pid ${service.pid}: ${service.command ?? ''}${cgroup}`;
}
