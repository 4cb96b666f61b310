import {
  isMap,
  isScalar,
  isSeq,
  parseDocument,
  type Document,
  type Node,
  type YAMLSeq,
} from 'yaml';
import type { TcprtConfig } from './schema';
import { dumpConfigYaml, loadConfigYaml } from './yaml';

/*
 * A structured change (API, console, CLI) is written back into the operator's own tcprt.yaml
 * rather than over it: only the nodes whose value changed are replaced, so comments, key order and
 * the layout of everything else stay. js-yaml (the loader) cannot write comments, so the edit goes
 * through the `yaml` package's document model. Nothing here knows the config's keys: a rule gains
 * or loses keys without this file changing.
 */

type Plain = Record<string, unknown>;

function isPlainObject(value: unknown): value is Plain {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Deep equality of loaded config values; key order does not matter. */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((item, i) => sameValue(item, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length &&
      keys.every((key) => Object.hasOwn(b, key) && sameValue(a[key], b[key]))
    );
  }
  return false;
}

/**
 * Written values follow dumpConfigYaml's style: strings other than a bare lowercase word (port
 * ranges with their comma, names such as `true` or `08`) double-quoted so no reader takes them for
 * another type; lists of scalars on one line.
 */
function styled(node: unknown): void {
  if (isScalar(node)) {
    if (typeof node.value === 'string' && !/^[a-z]+$/.test(node.value)) node.type = 'QUOTE_DOUBLE';
  } else if (isMap(node)) {
    for (const pair of node.items) styled(pair.value);
  } else if (isSeq(node)) {
    for (const item of node.items) styled(item);
    node.flow = node.items.every((item) => isScalar(item));
  }
}

function created(doc: Document, value: unknown): Node {
  const node = doc.createNode(value);
  styled(node);
  return node;
}

/**
 * Which old item each new item continues: a longest common subsequence of equal items keeps
 * untouched rules (and their comments) in place; between two kept items, changed items pair up in
 * order (an edited rule keeps its comments), the rest are removed or added.
 */
function alignedItems(before: readonly unknown[], after: readonly unknown[]): (number | null)[] {
  const n = before.length;
  const m = after.length;
  // Items compared by a canonical text: the table below compares every pair.
  const canonical = (item: unknown) =>
    JSON.stringify(item, (_key, value: unknown) =>
      isPlainObject(value) ? Object.fromEntries(Object.entries(value).sort()) : value,
    );
  const oldKeys = before.map(canonical);
  const newKeys = after.map(canonical);
  const same = (i: number, j: number) => oldKeys[i] === newKeys[j];
  // common(i, j): length of the longest common subsequence of before[i..] and after[j..].
  const table = new Uint16Array((n + 1) * (m + 1));
  const common = (i: number, j: number) => table[i * (m + 1) + j] ?? 0;
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      table[i * (m + 1) + j] = same(i, j)
        ? common(i + 1, j + 1) + 1
        : Math.max(common(i + 1, j), common(i, j + 1));
  const matches: [number, number][] = [];
  for (let i = 0, j = 0; i < n && j < m;) {
    if (same(i, j)) matches.push([i++, j++]);
    else if (common(i + 1, j) >= common(i, j + 1)) i++;
    else j++;
  }
  matches.push([n, m]);
  const source: (number | null)[] = [];
  let fromOld = 0;
  let fromNew = 0;
  for (const [kept, keptAt] of matches) {
    for (let k = 0; fromNew + k < keptAt; k++) source.push(fromOld + k < kept ? fromOld + k : null);
    if (keptAt < m) source.push(kept);
    fromOld = kept + 1;
    fromNew = keptAt + 1;
  }
  return source;
}

function editSeq(doc: Document, seq: YAMLSeq, before: unknown[], after: unknown[]): void {
  const old = seq.items;
  seq.items = alignedItems(before, after).map((from, j) =>
    from === null ? created(doc, after[j]) : edited(doc, old[from], before[from], after[j]),
  );
  // `per-port: []` that gains its first rule becomes a block list like the rest of the file.
  if (seq.flow && !seq.items.every((item) => isScalar(item))) {
    seq.flow = false;
    // The comment after `[]` would otherwise trail the last rule.
    if (seq.comment) [seq.commentBefore, seq.comment] = [seq.comment, undefined];
  }
}

/** `node` (holding `before`) changed to hold `after`: the same node edited where possible. */
function edited(doc: Document, node: unknown, before: unknown, after: unknown): unknown {
  if (sameValue(before, after)) return node;
  if (isMap(node) && isPlainObject(before) && isPlainObject(after)) {
    for (const key of Object.keys(before)) if (!Object.hasOwn(after, key)) node.delete(key);
    for (const [key, value] of Object.entries(after)) {
      const had = Object.hasOwn(before, key);
      if (had && sameValue(before[key], value)) continue;
      // A key the file leaves out holds its default in `before`: written only once it changes.
      const child = node.get(key, true);
      node.set(
        key,
        child === undefined ? created(doc, value) : edited(doc, child, before[key], value),
      );
    }
    return node;
  }
  if (
    isSeq(node) &&
    Array.isArray(before) &&
    Array.isArray(after) &&
    node.items.length === before.length
  ) {
    editSeq(doc, node, before, after);
    return node;
  }
  if (isScalar(node) && !isPlainObject(after) && !Array.isArray(after)) {
    node.value = after;
    styled(node);
    return node;
  }
  const replacement = created(doc, after);
  if (isScalar(node) || isMap(node) || isSeq(node)) {
    replacement.commentBefore = node.commentBefore;
    replacement.comment = node.comment;
  }
  return replacement;
}

/**
 * tcprt.yaml `text` (running as `before`) rewritten to hold `after`, keeping every comment and
 * the layout of what did not change. Falls back to dumpConfigYaml's plain text when the text is
 * not an editable document (a file that was rejected) or the edit would not load back as `after`.
 */
export function editConfigYaml(text: string, before: TcprtConfig, after: TcprtConfig): string {
  const doc = parseDocument(text);
  if (doc.errors.length === 0) {
    doc.contents = edited(doc, doc.contents, before, after) as typeof doc.contents;
    const edit = doc.toString({ flowCollectionPadding: false, lineWidth: 0 });
    const loaded = loadConfigYaml(edit);
    if (loaded.ok && sameValue(loaded.config, after)) return edit;
  }
  return dumpConfigYaml(after);
}
