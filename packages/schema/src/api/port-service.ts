import { z } from 'zod';

/**
 * Who serves a port: for a local port the process listening on it, for a peer port the local
 * process that made the calls. `name` is the tracking rule's `name:` when it has one
 * (`source: 'rule'`), else the process name. The process fields are the last process seen on the
 * port up to the end of the window asked about (null when none was seen); `unit` is a systemd
 * unit and `container` a container id, read from the process's cgroup path (`cgroup`).
 */
export const portServiceSchema = z.object({
  name: z.string(),
  source: z.enum(['rule', 'process']),
  process: z.string().nullable(),
  pid: z.number().int().nullable(),
  command: z.string().nullable(),
  cgroup: z.string().nullable(),
  unit: z.string().nullable(),
  container: z.string().nullable(),
  firstSeenMs: z.number().int().nullable(),
  lastSeenMs: z.number().int().nullable(),
});
export type PortService = z.infer<typeof portServiceSchema>;
