/** Where a process runs, read from its cgroup path. */
export interface CgroupPlacement {
  /** The path shown to users: the cgroup v2 path, else (hybrid/v1 hosts) the first non-root v1 path; "/" when all are root. */
  cgroup: string | null;
  /** The systemd unit (`mariadb.service`, `session-3.scope`) the path ends in, when it is not a container's. */
  unit: string | null;
  /** The container id (64 hex digits) of a docker, containerd, CRI-O or podman cgroup. */
  container: string | null;
}

/**
 * The cgroup path of a /proc/<pid>/cgroup text (`hierarchy:controllers:path` per line). cgroup v2
 * (`0::/path`) wins; on hybrid hosts that leave the v2 tree at the root, systemd's named v1
 * hierarchy, then any other v1 hierarchy that places the process below its root (cgroup v1
 * container runtimes do that for every controller).
 */
export function cgroupPathOf(procCgroup: string): string | null {
  const lines = procCgroup
    .split('\n')
    .map((line) => /^(\d+):([^:]*):(\/.*)$/.exec(line.trim()))
    .filter((m) => m !== null)
    .map(([, hierarchy, controllers, path]) => ({ hierarchy, controllers, path: path ?? '/' }));
  if (lines.length === 0) return null;
  const v2 = lines.find((l) => l.hierarchy === '0' && l.controllers === '');
  if (v2 && v2.path !== '/') return v2.path;
  const systemd = lines.find((l) => l.controllers === 'name=systemd' && l.path !== '/');
  const anyV1 = lines.find((l) => l.path !== '/');
  return (systemd ?? anyV1)?.path ?? '/';
}

const CONTAINER_ID = /^[0-9a-f]{64}$/;
/** systemd-driver scopes of container runtimes: docker-<id>.scope, cri-containerd-<id>.scope, crio-<id>.scope, libpod-<id>.scope. */
const CONTAINER_SCOPE = /^(?:docker|cri-containerd|containerd|crio|libpod)-([0-9a-f]{64})\.scope$/;
const SYSTEMD_UNIT = /^[^/]+\.(?:service|scope)$/;

/** The unit or container a cgroup path names: the innermost container wins, else the innermost unit. */
export function placementOf(cgroup: string | null): CgroupPlacement {
  const parts = (cgroup ?? '').split('/').filter(Boolean).reverse();
  for (const part of parts) {
    // cgroupfs-driver runtimes name the container's cgroup by the bare id (/docker/<id>, /kubepods/.../<id>).
    const container = CONTAINER_SCOPE.exec(part)?.[1] ?? (CONTAINER_ID.test(part) ? part : null);
    if (container) return { cgroup, unit: null, container };
  }
  const unit = parts.find((part) => SYSTEMD_UNIT.test(part)) ?? null;
  return { cgroup, unit, container: null };
}
