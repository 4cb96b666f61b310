import {
  formatConfigPath,
  loadConfigYaml,
  tcprtConfigSchema,
  type ConfigIssue,
  type TcprtConfig,
} from '@tcprt/schema';
import { readConfigFile } from './config-file';

export type ConfigCheck = { ok: true; config: TcprtConfig } | { ok: false; issues: ConfigIssue[] };

/**
 * Only comments, blank lines, document markers or a null: no settings at all. Valid (SPEC §4
 * defaults: nothing tracked), but what a save cut short leaves behind, so the agent warns.
 */
export function holdsNoSettings(text: string): boolean {
  const content = text
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter((line) => line !== '' && line !== '---' && line !== '...');
  return content.length === 0 || (content.length === 1 && /^(null|Null|NULL|~)$/.test(content[0]!));
}

/** Validates tcprt.yaml text; every problem carries its line and key path. */
export function parseConfigText(text: string): ConfigCheck {
  const loaded = loadConfigYaml(text);
  return loaded.ok ? loaded : { ok: false, issues: loaded.problems };
}

/** Reads (bounded, see readConfigFile) and validates a config file. */
export async function loadConfigFile(
  file: string,
): Promise<(ConfigCheck & { text: string }) | { ok: false; issues: ConfigIssue[]; text: null }> {
  const read = await readConfigFile(file);
  if (!read.ok) return { ok: false, issues: [read.issue], text: null };
  return { ...parseConfigText(read.text), text: read.text };
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
