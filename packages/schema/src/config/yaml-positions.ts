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

/** Parses YAML (core schema: no dates, no merge keys) and keeps node positions. Throws YAMLException. */
export function loadYamlWithPositions(text: string): LoadedYaml {
  const top: YamlNode = { line: 0, kind: null, result: null, children: [] };
  const stack: YamlNode[] = [top];
  const value = yaml.load(text, {
    schema: yaml.CORE_SCHEMA,
    listener(event, state) {
      if (event === 'open') {
        const node: YamlNode = { line: state.line, kind: null, result: null, children: [] };
        stack.at(-1)!.children.push(node);
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
