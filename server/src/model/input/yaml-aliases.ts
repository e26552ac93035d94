// Model layer (pure): YAML anchors and aliases resolved in one pass over a document (IN-2).
// Must not import vscode, LSP, node:* or fs.
//
// Why not `Alias.resolve(doc)`: the YAML library walks the whole document from the top for every
// alias it resolves, so a document of n aliases costs n² (16k aliases froze the server for 18 s).
// Here one walk in document order records, for each alias, the node its anchor names at that
// point, and how many nodes that node expands to, so that a reader can charge an alias its full
// expanded size against a budget in O(1) ("billion laughs" stays bounded).
import { isAlias, isMap, isPair, isSeq, type Alias, type Document, type Node } from 'yaml';

export interface AnchorTable {
  /** The node each alias refers to (undefined: no such anchor before it, which the library reports itself). */
  target(alias: Alias): Node | undefined;
  /** How many nodes `node` stands for once every alias inside it is expanded (saturates at `limit + 1`). */
  expandedSize(node: Node): number;
}

/** Why a document's aliases cannot be expanded: a cycle, or more expansion than the budget allows. */
export interface AliasProblem {
  message: string;
  /** Offsets of the alias that made it so. */
  start: number;
  end: number;
}

/**
 * Walks `doc` once (depth-first, keys before values, as YAML reads them). An anchor is in force
 * from its node's start, so an alias inside the node it names refers to that node: a cycle, which
 * Go's YAML reader (kubectl) refuses ("anchor … value contains itself"), and which this reports too.
 * Nesting deeper than `maxDepth` is left to the caller's own depth guard.
 */
export function resolveAnchors(doc: Document.Parsed, limit: number, maxDepth: number): { table: AnchorTable; problem: AliasProblem | null } {
  const targets = new Map<Alias, Node | undefined>();
  const sizes = new Map<Node, number>();
  const inForce = new Map<string, Node>();
  const open = new Set<Node>();
  let problem: AliasProblem | null = null;
  const cap = (n: number): number => (n > limit ? limit + 1 : n);

  const walk = (node: unknown, depth: number): number => {
    if (problem || node === null || node === undefined || depth > maxDepth) return 1;
    const n = node as Node;
    if (isAlias(n)) {
      const target = inForce.get(n.source);
      targets.set(n, target);
      if (!target) return 1;
      if (open.has(target)) {
        problem = aliasProblem(n, `alias *${n.source} refers to a node that contains it (the anchor's value contains itself); kubectl refuses such a document`);
        return 1;
      }
      return sizes.get(target) ?? 1;
    }
    if (n.anchor) inForce.set(n.anchor, n);
    open.add(n);
    let size = 1;
    if (isMap(n)) {
      for (const pair of n.items) {
        if (!isPair(pair)) continue;
        size = cap(size + walk(pair.key, depth + 1) + walk(pair.value, depth + 1));
      }
    } else if (isSeq(n)) {
      for (const item of n.items) size = cap(size + walk(item, depth + 1));
    }
    open.delete(n);
    sizes.set(n, size);
    return size;
  };
  const total = walk(doc.contents, 0);
  if (!problem && total > limit)
    problem = {
      message: `the document expands to more than ${limit} nodes through its aliases (an alias bomb); it was not read`,
      start: doc.range[0],
      end: doc.range[1],
    };
  const table: AnchorTable = {
    target: (alias) => targets.get(alias),
    expandedSize: (node) => (isAlias(node) ? 1 : (sizes.get(node) ?? 1)),
  };
  return { table, problem };
}

function aliasProblem(alias: Alias, message: string): AliasProblem {
  const r = alias.range;
  return { message, start: r ? r[0] : 0, end: r ? r[1] : 0 };
}
