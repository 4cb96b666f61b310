import {
  formatConfigPath,
  loadConfigYaml,
  tcprtConfigSchema,
  type ConfigIssue,
  type TcprtConfig,
} from '@tcprt/schema';

export type ConfigCheck = { ok: true; config: TcprtConfig } | { ok: false; issues: ConfigIssue[] };

/** Validates tcprt.yaml text; every problem carries its line and key path. */
export function parseConfigText(text: string): ConfigCheck {
  const loaded = loadConfigYaml(text);
  return loaded.ok ? loaded : { ok: false, issues: loaded.problems };
}

/** Validates a config built by a structured API change (it has no file lines yet). */
export function validateConfigObject(candidate: unknown): ConfigCheck {
  const result = tcprtConfigSchema.safeParse(candidate);
  if (result.success) return { ok: true, config: result.data };
  return {
    ok: false,
    issues: result.error.issues.map((i) => ({
      line: null,
      path: formatConfigPath(i.path),
      message: i.message,
    })),
  };
}
