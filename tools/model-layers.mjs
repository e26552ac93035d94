// The model's stage folders and the one direction imports may take between them (issue 9).
// `npm run lint` runs it (tools/check-model-layers.mjs); test/unit/model-layers.test.ts runs its functions on the real tree
// and on a made-up graph, so a back-edge or a cycle fails the build.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, dirname, normalize, sep } from 'node:path';

/** Pipeline order: a file may import its own folder, earlier folders and the two root files only. */
export const STAGES = ['core', 'input', 'build', 'cluster', 'workloads', 'netpol', 'services', 'endpoints', 'dns', 'ingress', 'pipeline', 'queries', 'trace'];
/** Root files: `types.ts` is shapes only (any stage may import it); `index.ts` is the public face (no stage may). */
const ROOT_SHARED = 'types.ts';
const ROOT_FACE = 'index.ts';

/**
 * The stage a model-relative path ('services/services.ts') belongs to: its first folder.
 * `-1` for types.ts (below every stage), `STAGES.length` for index.ts (above every stage), undefined for a stray root file.
 */
export function stageOf(path) {
  const parts = path.split('/');
  if (parts.length === 1) return path === ROOT_SHARED ? -1 : path === ROOT_FACE ? STAGES.length : undefined;
  const i = STAGES.indexOf(parts[0]);
  return i < 0 ? undefined : i;
}

/**
 * Every rule broken by a graph of model-relative paths to the paths they import (with the line of each import):
 * stray files and unknown folders, imports into a later stage, and import cycles (each cycle once).
 * @param {Map<string, {to: string, line: number}[]>} graph
 * @returns {string[]}
 */
export function layerViolations(graph) {
  const out = [];
  for (const [from, edges] of graph) {
    const s = stageOf(from);
    if (s === undefined) {
      out.push(`${from}: not in a stage folder (${STAGES.join(' → ')}) nor index.ts/types.ts`);
      continue;
    }
    for (const { to, line } of edges) {
      if (to.startsWith('../')) {
        out.push(`${from}:${line}: imports ${to}, outside the model: the model is a pure library (architecture.md)`);
        continue;
      }
      const t = stageOf(to);
      if (t !== undefined && t > s)
        out.push(`${from}:${line}: imports ${to}, a later stage (${STAGES[t] ?? 'index.ts'} after ${STAGES[s] ?? from}): move the shared part down`);
    }
  }
  for (const cycle of cycles(graph)) out.push(`import cycle among ${cycle.join(', ')}`);
  return out;
}

/** Strongly connected components of more than one file (or a file importing itself), Tarjan's algorithm. */
function cycles(graph) {
  let next = 0;
  const index = new Map(),
    low = new Map(),
    stack = [],
    onStack = new Set(),
    found = [];
  const visit = (v) => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const { to } of graph.get(v) ?? []) {
      if (!graph.has(to)) continue;
      if (!index.has(to)) {
        visit(to);
        low.set(v, Math.min(low.get(v), low.get(to)));
      } else if (onStack.has(to)) low.set(v, Math.min(low.get(v), index.get(to)));
    }
    if (low.get(v) === index.get(v)) {
      const scc = [];
      let w;
      do {
        w = stack.pop();
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      const selfLoop = (graph.get(v) ?? []).some((e) => e.to === v);
      if (scc.length > 1 || selfLoop) found.push(scc.reverse());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return found;
}

/** `import … from './x'`, `export … from './x'`, `import './x'` and `import('./x')`: every way a file can depend on another. */
const IMPORT =
  /(?:^|\n)\s*(?:import|export)\b[^'";]*?\bfrom\s*['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)|(?:^|\n)\s*import\s*['"](\.{1,2}\/[^'"]+)['"]/g;

/** The import graph of the model folder, read from disk (relative imports only: the model imports nothing else of ours). */
export function readModelGraph(modelDir) {
  const graph = new Map();
  const walk = (dir) => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) graph.set(toModelPath(modelDir, full), importsOf(modelDir, full));
    }
  };
  walk(modelDir);
  return graph;
}

function importsOf(modelDir, file) {
  const text = readFileSync(file, 'utf8');
  const edges = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2] ?? m[3];
    const line = text.slice(0, m.index).split('\n').length + (text[m.index] === '\n' ? 1 : 0);
    const target = normalize(join(dirname(file), spec));
    const asFile = target.endsWith('.ts') ? target : `${target}.ts`;
    const resolved = exists(asFile) ? asFile : join(target, 'index.ts');
    edges.push({ to: toModelPath(modelDir, resolved), line });
  }
  return edges;
}

function exists(p) {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

function toModelPath(modelDir, file) {
  return relative(modelDir, file).split(sep).join('/');
}
