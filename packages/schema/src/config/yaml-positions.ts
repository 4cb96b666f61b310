import yaml from 'js-yaml';

/*
 * Line numbers of key paths in a YAML text. js-yaml reports positions only for syntax errors, so
 * this records its parser's node events (`listener` option: one 'open' and one 'close' per node,
 * properly nested) as a tree. A mapping's child nodes come in key, value pairs and a sequence's
 * child nodes are its items, which is enough to walk a zod issue path down to a node.
 */

interface YamlNode {
  /** 0-based line where the parser started the node. */
  line: number;
  kind: string | null;
  result: unknown;
  children: YamlNode[];
}

/**
 * How much a document may hold. Past a bound the parse stops at once, so that text that cannot be
 * what the caller expects costs no more than the bound (a parse grows with the node count).
 */
export interface YamlBounds {
  /** Nodes (scalars, sequences, mappings) in the whole document. */
  maxNodes: number;
  /** Child nodes of one sequence or mapping (a mapping's key and value are two). */
  maxChildren: number;
}

/** The parse stopped at a bound: the text holds more than the caller can use. */
export class YamlBoundsError extends Error {
  constructor(
    readonly bound: keyof YamlBounds,
    /** 1-based line: of the key holding the over-full collection, else of the node the parse stopped at. */
    readonly line: number,
    /**
     * The key whose value the over-full collection is, when it is a top-level mapping's value
     * (`maxChildren` only): the child before it in the top-level collection, if a string scalar.
     */
    readonly topLevelKey: string | null,
  ) {
    super(`YAML document over its ${bound} bound at line ${line}`);
  }
}

export interface LoadedYaml {
  value: unknown;
  /** 1-based line of the key (or list item) a path points at; the closest known line if not found. */
  lineOf(path: readonly PropertyKey[]): number;
}

/** The parser sometimes wraps a node in another node with the same result (block sequence items). */
function unwrap(node: YamlNode): YamlNode {
  let inner = node;
  while (inner.children.length === 1 && inner.children[0]!.result === inner.result)
    inner = inner.children[0]!;
  return inner;
}

function childAt(
  outer: YamlNode,
  segment: PropertyKey,
): { key: YamlNode | null; value: YamlNode } | null {
  const node = unwrap(outer);
  if (node.kind === 'sequence' && typeof segment === 'number') {
    const item = node.children[segment];
    return item ? { key: null, value: item } : null;
  }
  if (node.kind !== 'mapping') return null;
  for (let i = 0; i + 1 < node.children.length; i += 2) {
    const key = node.children[i]!;
    if (String(key.result) === String(segment)) return { key, value: node.children[i + 1]! };
  }
  return null;
}

function lineOfPath(root: YamlNode | undefined, path: readonly PropertyKey[]): number {
  if (!root) return 1;
  let node = root;
  let line = root.line;
  for (const segment of path) {
    const child = childAt(node, segment);
    if (!child) break;
    line = (child.key ?? child.value).line;
    node = child.value;
  }
  return line + 1;
}

function overFullCollection(stack: readonly YamlNode[]): YamlBoundsError {
  // stack: [top, document root, ...]; the over-full collection is the last one.
  const collection = stack.at(-1)!;
  const root = stack[1];
  const index = root?.children.indexOf(collection) ?? -1;
  const key = index > 0 ? root!.children[index - 1]! : null;
  return key && key.kind === 'scalar' && typeof key.result === 'string'
    ? new YamlBoundsError('maxChildren', key.line + 1, key.result)
    : new YamlBoundsError('maxChildren', collection.line + 1, null);
}

/**
 * Parses YAML (core schema: no dates, no merge keys) and keeps node positions. Throws
 * YAMLException, or YamlBoundsError as soon as the document outgrows `bounds`.
 */
export function loadYamlWithPositions(text: string, bounds: YamlBounds): LoadedYaml {
  const top: YamlNode = { line: 0, kind: null, result: null, children: [] };
  const stack: YamlNode[] = [top];
  let nodes = 0;
  const value = yaml.load(text, {
    schema: yaml.CORE_SCHEMA,
    listener(event, state) {
      if (event === 'open') {
        if (++nodes > bounds.maxNodes) throw new YamlBoundsError('maxNodes', state.line + 1, null);
        const node: YamlNode = { line: state.line, kind: null, result: null, children: [] };
        const parent = stack.at(-1)!;
        parent.children.push(node);
        if (parent.children.length > bounds.maxChildren) throw overFullCollection(stack);
        stack.push(node);
      } else {
        const node = stack.pop()!;
        node.kind = state.kind;
        node.result = state.result;
      }
    },
  });
  return { value, lineOf: (path) => lineOfPath(top.children[0], path) };
}
