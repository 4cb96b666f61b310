import yaml from 'js-yaml';
import type { z } from 'zod';
import {
  globalConfigSchema,
  initConfigSchema,
  portRuleSchema,
  tcprtConfigSchema,
  type TcprtConfig,
} from './schema';
import { excerpt, MAX_ECHO_CHARS } from './describe-value';
import { MAX_RANGE_RULES_PER_SIDE, MAX_RULES, MAX_SINGLE_PORT_RULES } from './kernel-limits';
import {
  loadYamlWithPositions,
  YamlBoundsError,
  type LoadedYaml,
  type YamlBounds,
} from './yaml-positions';

/** One problem of a tcprt.yaml: where it is (1-based line, key path) and what is wrong. */
export interface ConfigProblem {
  line: number;
  /** e.g. `per-port[1].mode`; '' for the file as a whole. */
  path: string;
  message: string;
}

export type ConfigLoadResult =
  { ok: true; config: TcprtConfig } | { ok: false; problems: ConfigProblem[] };

const SECTIONS = ['global', 'per-port', 'init'] as const;

/** `line 7: per-port[1].mode: expected one of default, http, https, got "ftp"` */
export function formatConfigProblem({ line, path, message }: ConfigProblem): string {
  return path ? `line ${line}: ${path}: ${message}` : `line ${line}: ${message}`;
}

export function formatConfigPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, segment) => {
    if (typeof segment === 'number') return `${text}[${segment}]`;
    const key = excerpt(String(segment));
    return text ? `${text}.${key}` : key;
  }, '');
}

function allowedKeys(path: readonly PropertyKey[]): readonly string[] {
  if (path.length === 0) return SECTIONS;
  if (path[0] === 'global') return Object.keys(globalConfigSchema.shape);
  if (path[0] === 'init') return Object.keys(initConfigSchema.shape);
  return Object.keys(portRuleSchema.shape);
}

function problemsOfIssue(issue: z.core.$ZodIssue, source: LoadedYaml): ConfigProblem[] {
  if (issue.code === 'unrecognized_keys') {
    const allowed = allowedKeys(issue.path).join(', ');
    return issue.keys.map((key) => {
      const path = [...issue.path, key];
      return {
        line: source.lineOf(path),
        path: formatConfigPath(path),
        message: `unknown key (expected one of ${allowed})`,
      };
    });
  }
  return [
    { line: source.lineOf(issue.path), path: formatConfigPath(issue.path), message: issue.message },
  ];
}

/** An empty file or an empty section (`init:` with nothing under it) means defaults. */
function withEmptySectionsDropped(value: unknown): unknown {
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) return value;
  const sections: Record<string, unknown> = { ...value };
  for (const section of SECTIONS) if (sections[section] === null) delete sections[section];
  return sections;
}

/** The 1-based line of the `---` that starts a second document, or 1 when none is found. */
function secondDocumentLine(text: string): number {
  let content = false;
  const lines = text.split('\n');
  for (const [i, line] of lines.entries()) {
    if (/^---(\s|$)/.test(line) && content) return i + 1;
    if (/^\S/.test(line) && !line.startsWith('#')) content = true;
  }
  return 1;
}

function yamlProblem(err: yaml.YAMLException, text: string): ConfigProblem {
  // js-yaml gives no position for some errors, e.g. a second document.
  if (!err.mark && /single document/.test(err.reason))
    return {
      line: secondDocumentLine(text),
      path: '',
      message: 'more than one YAML document (a second `---`): tcprt.yaml is a single document',
    };
  return {
    line: err.mark ? err.mark.line + 1 : 1,
    path: '',
    // js-yaml's reasons are its own short sentences, with at most a tag or name from the file.
    message: `invalid YAML: ${excerpt(err.reason ?? err.message, 4 * MAX_ECHO_CHARS)}`,
  };
}

/**
 * The most a tcprt.yaml can hold and still be one the kernel takes: MAX_RULES rules (the longest
 * collection) of a mapping and its keys each, with room for one unknown key per rule so that such
 * a file still gets a line and field per problem. A 256 KiB file holds some 20,000 rules: the
 * parse stops at the first rule past the limit instead of building every node of them.
 */
const CONFIG_YAML_BOUNDS: YamlBounds = {
  maxChildren: MAX_RULES,
  maxNodes: MAX_RULES * (1 + 2 * (Object.keys(portRuleSchema.shape).length + 1)) + 256,
};

function boundsProblem(err: YamlBoundsError): ConfigProblem {
  if (err.bound === 'maxChildren' && err.topLevelKey === 'per-port')
    return {
      line: err.line,
      path: 'per-port',
      message: `more than ${MAX_RULES} rules, the kernel holds at most ${MAX_RULES} (${MAX_SINGLE_PORT_RULES} single ports and ${MAX_RANGE_RULES_PER_SIDE} port ranges per side)`,
    };
  const what =
    err.bound === 'maxNodes'
      ? `more than ${CONFIG_YAML_BOUNDS.maxNodes} YAML nodes`
      : `more than ${CONFIG_YAML_BOUNDS.maxChildren} entries in one list or mapping`;
  return {
    line: err.line,
    path: '',
    message: `${what}: more than a config the kernel can take holds (at most ${MAX_RULES} rules)`,
  };
}

/** Parses and validates tcprt.yaml text, reporting every problem with its line and key path. */
export function loadConfigYaml(text: string): ConfigLoadResult {
  let source: LoadedYaml;
  try {
    source = loadYamlWithPositions(text, CONFIG_YAML_BOUNDS);
  } catch (err) {
    if (err instanceof YamlBoundsError) return { ok: false, problems: [boundsProblem(err)] };
    if (!(err instanceof yaml.YAMLException)) throw err;
    return { ok: false, problems: [yamlProblem(err, text)] };
  }
  const result = tcprtConfigSchema.safeParse(withEmptySectionsDropped(source.value));
  if (result.success) return { ok: true, config: result.data };
  const problems = result.error.issues.flatMap((issue) => problemsOfIssue(issue, source));
  return { ok: false, problems: problems.sort((a, b) => a.line - b.line) };
}

function yamlScalar(value: string | number | boolean): string {
  // Port ranges contain a comma: quote them so no reader mistakes them for anything else.
  return typeof value === 'string' && !/^[a-z]+$/.test(value)
    ? JSON.stringify(value)
    : String(value);
}

/** Readable tcprt.yaml text of a valid config, in SPEC §4 order, every default spelled out. */
export function dumpConfigYaml(config: TcprtConfig): string {
  const { global, init } = config;
  const lines = [
    'global:',
    `  peer: ${global.peer}`,
    `  stats: ${global.stats}`,
    `  stats_interval: ${global.stats_interval}`,
    `  first_frame_bytes: [${global.first_frame_bytes.join(', ')}]`,
    config['per-port'].length === 0 ? 'per-port: []' : 'per-port:',
  ];
  for (const rule of config['per-port']) {
    lines.push(`  - port: ${yamlScalar(rule.port)}`);
    // Always quoted: a bare name such as `true`, `null` or `08` would load as another type.
    if (rule.name !== undefined) lines.push(`    name: ${JSON.stringify(rule.name)}`);
    if (rule.peer !== undefined) lines.push(`    peer: ${rule.peer}`);
    lines.push(`    mode: ${rule.mode}`, `    first_frame: ${rule.first_frame}`);
    if (rule.routes !== undefined)
      lines.push(`    routes: [${rule.routes.map((r) => JSON.stringify(r)).join(', ')}]`);
  }
  lines.push('init:', ...Object.entries(init).map(([key, value]) => `  ${key}: ${value}`));
  return `${lines.join('\n')}\n`;
}
