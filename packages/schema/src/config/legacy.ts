import { formatConfigPath } from './yaml';
import { tcprtConfigSchema, type TcprtConfig, type TcprtConfigInput } from './schema';

/*
 * tcp_rt.ko module parameters (SPEC §4), e.g. `lports=80,3306 lports_range=1000,2000 stats=1`,
 * translated one to one into tcprt.yaml. Refused like the module refused them: unknown
 * parameters, non-numeric values, more than six values in a list, odd range lists.
 */

export type LegacyResult = { ok: true; config: TcprtConfig } | { ok: false; problems: string[] };

const MAX_LIST_VALUES = 6;
const PORT_LISTS = { lports: false, pports: true } as const;
const RANGE_LISTS = { lports_range: false, pports_range: true } as const;
const SCALARS = ['stats', 'stats_interval', 'log_buf_num', 'stats_buf_num'] as const;
const KNOWN = [...Object.keys(PORT_LISTS), ...Object.keys(RANGE_LISTS), ...SCALARS];

type ScalarName = (typeof SCALARS)[number];

interface LegacyRule {
  /** Where the rule came from, for error messages: `lports value 80`. */
  origin: string;
  port: number | string;
  peer: boolean;
}

function isIn<T extends object>(table: T, name: string): name is Extract<keyof T, string> {
  return Object.hasOwn(table, name);
}

/** Splits `name=value,value` tokens; every problem is collected rather than stopping at the first. */
function parseParameters(text: string, problems: string[]): Map<string, number[]> {
  const parameters = new Map<string, number[]>();
  for (const token of text.split(/\s+/).filter(Boolean)) {
    const eq = token.indexOf('=');
    const name = eq < 0 ? token : token.slice(0, eq);
    if (eq < 0 || eq === token.length - 1) {
      problems.push(`${name}: expected name=value, got "${token}"`);
      continue;
    }
    if (!KNOWN.includes(name)) {
      problems.push(`unknown parameter "${name}" (known: ${KNOWN.join(', ')})`);
      continue;
    }
    if (parameters.has(name)) {
      problems.push(`${name}: given more than once`);
      continue;
    }
    const texts = token.slice(eq + 1).split(',');
    const bad = texts.find((value) => !/^\d+$/.test(value));
    if (bad !== undefined) {
      problems.push(`${name}: not a number: "${bad}"`);
      continue;
    }
    if (texts.length > MAX_LIST_VALUES)
      problems.push(`${name}: at most ${MAX_LIST_VALUES} values, got ${texts.length}`);
    parameters.set(name, texts.map(Number));
  }
  return parameters;
}

function rulesOf(parameters: Map<string, number[]>, problems: string[]): LegacyRule[] {
  const rules: LegacyRule[] = [];
  for (const [name, values] of parameters) {
    if (isIn(PORT_LISTS, name)) {
      for (const port of values)
        rules.push({ origin: `${name} value ${port}`, port, peer: PORT_LISTS[name] });
    } else if (isIn(RANGE_LISTS, name)) {
      if (values.length % 2 !== 0) {
        problems.push(`${name}: start,end pairs needed, got ${values.length} values`);
        continue;
      }
      for (let i = 0; i < values.length; i += 2) {
        const port = `${values[i]},${values[i + 1]}`;
        rules.push({ origin: `${name} range ${port}`, port, peer: RANGE_LISTS[name] });
      }
    } else if (values.length !== 1) {
      problems.push(`${name}: expects one value, got ${values.length}`);
    }
  }
  return rules;
}

function scalar(parameters: Map<string, number[]>, name: ScalarName): number | undefined {
  return parameters.get(name)?.[0];
}

function statsSetting(
  value: number | undefined,
  problems: string[],
): 'enable' | 'disable' | undefined {
  if (value === undefined) return undefined;
  if (value === 0 || value === 1) return value === 1 ? 'enable' : 'disable';
  problems.push(`stats: expected 0 or 1, got ${value}`);
  return undefined;
}

export function configFromLegacy(text: string): LegacyResult {
  const problems: string[] = [];
  const parameters = parseParameters(text, problems);
  const rules = rulesOf(parameters, problems);
  const input: TcprtConfigInput = {
    global: {
      stats: statsSetting(scalar(parameters, 'stats'), problems),
      stats_interval: scalar(parameters, 'stats_interval'),
    },
    'per-port': rules.map(({ port, peer }) => (peer ? { port, peer } : { port })),
    init: {
      log_buf_num: scalar(parameters, 'log_buf_num'),
      stats_buf_num: scalar(parameters, 'stats_buf_num'),
    },
  };
  const result = tcprtConfigSchema.safeParse(input);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const [section, index] = issue.path;
      const where =
        section === 'per-port' && typeof index === 'number'
          ? (rules[index]?.origin ?? formatConfigPath(issue.path))
          : String(issue.path.at(-1));
      problems.push(`${where}: ${issue.message}`);
    }
    return { ok: false, problems };
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, config: result.data };
}
