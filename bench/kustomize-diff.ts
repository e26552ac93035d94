// Bench layer (dev-only Node script, bundled to dist/bench/kustomize-diff.js): renders every kustomization
// root under the given folders both with the model (as `netpath resolve ROOT` loads it) and with
// `kubectl kustomize ROOT`, and compares the objects field by field (IN-1). Needs kubectl on the PATH:
// never used by the tests or CI. Must not import vscode or LSP.
//
//   node dist/bench/kustomize-diff.js [-v] DIR...
import { execFileSync } from 'node:child_process';
import { parseAllDocuments } from 'yaml';
import { loadWorkspace } from '../server/src/cli/load';
import { isClusterScoped, resourceId } from '../server/src/model/core/identity';
import { dirOf } from '../server/src/model/input/kustomize/paths';
import type { Json } from '../server/src/model/index';

type Leaves = Map<string, string>;

/** Every scalar of an object by its path (`spec.template.spec.containers[0].image`), as JSON text. */
function leaves(v: unknown, path: string, out: Leaves): Leaves {
  if (Array.isArray(v)) {
    if (v.length === 0) out.set(path, '[]');
    v.forEach((x, i) => leaves(x, `${path}[${i}]`, out));
  } else if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>);
    if (entries.length === 0) out.set(path, '{}');
    for (const [k, x] of entries) leaves(x, path ? `${path}.${k}` : k, out);
  } else out.set(path, JSON.stringify(v));
  return out;
}

function idOf(o: Record<string, unknown>): string {
  const md = (o.metadata ?? {}) as Record<string, unknown>;
  const kind = String(o.kind ?? '');
  const ns = isClusterScoped(kind) ? '' : String(md.namespace ?? '') || 'default';
  return resourceId(kind, ns, String(md.name ?? ''));
}

interface Tally {
  roots: number;
  rootsAgreeing: number;
  objects: number;
  objectsMissing: number;
  objectsExtra: number;
  fields: number;
  fieldsAgreeing: number;
}

function main(): void {
  const verbose = process.argv.includes('-v');
  const dirs = process.argv.slice(2).filter((a) => a !== '-v');
  if (!dirs.length) throw new Error('usage: kustomize-diff.js [-v] DIR...');
  const t: Tally = { roots: 0, rootsAgreeing: 0, objects: 0, objectsMissing: 0, objectsExtra: 0, fields: 0, fieldsAgreeing: 0 };
  for (const dir of dirs) {
    for (const root of loadWorkspace([dir], undefined).kustomizeRoots) compareRoot(dirOf(root), root, t, verbose);
  }
  process.stdout.write(
    `roots: ${t.rootsAgreeing}/${t.roots} agree entirely\n` +
      `objects: ${t.objects} from kubectl, ${t.objectsMissing} missing from ours, ${t.objectsExtra} only in ours\n` +
      `fields: ${t.fieldsAgreeing}/${t.fields} agree (${t.fields ? ((100 * t.fieldsAgreeing) / t.fields).toFixed(2) : '100.00'}%)\n`,
  );
}

function compareRoot(dir: string, kfile: string, t: Tally, verbose: boolean): void {
  t.roots++;
  let expected: Record<string, unknown>[];
  try {
    const out = execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
    expected = parseAllDocuments(out)
      .map((d) => d.toJSON() as Record<string, unknown>)
      .filter((o) => o && typeof o === 'object');
  } catch (e) {
    const msg = (e as { stderr?: string }).stderr?.split('\n').find((l) => l.startsWith('Error')) ?? String(e);
    process.stdout.write(`${dir}: kubectl kustomize refuses it: ${msg}\n`);
    const ours = loadWorkspace([dir], undefined).model.files.find((f) => f.file === kfile);
    const errors = ours?.diagnostics.filter((d) => d.severity === 'error' && d.rule === 'IN-1').length ?? 0;
    process.stdout.write(`  ours: ${errors} kustomize error diagnostic(s)\n`);
    if (errors > 0) t.rootsAgreeing++;
    return;
  }
  const loaded = loadWorkspace([dir], undefined);
  const ours = new Map<string, Json>();
  for (const f of loaded.model.files) for (const r of f.resources) if (r.rendered) ours.set(r.id, r.body);
  let agree = true;
  const seen = new Set<string>();
  for (const o of expected) {
    const id = idOf(o);
    seen.add(id);
    t.objects++;
    const mine = ours.get(id);
    const want = leaves(o, '', new Map());
    t.fields += want.size;
    if (mine === undefined) {
      t.objectsMissing++;
      agree = false;
      process.stdout.write(`${dir}: missing ${id}\n`);
      continue;
    }
    const got = leaves(JSON.parse(JSON.stringify(mine)), '', new Map());
    for (const [path, value] of want) {
      if (got.get(path) === value) t.fieldsAgreeing++;
      else {
        agree = false;
        if (verbose) process.stdout.write(`${dir}: ${id} ${path}: kubectl ${value}, ours ${got.get(path) ?? '(absent)'}\n`);
      }
    }
    for (const path of got.keys()) {
      if (!want.has(path)) {
        agree = false;
        t.fields++;
        if (verbose) process.stdout.write(`${dir}: ${id} ${path}: only ours (${got.get(path)})\n`);
      }
    }
  }
  for (const id of ours.keys()) {
    if (seen.has(id)) continue;
    t.objectsExtra++;
    agree = false;
    process.stdout.write(`${dir}: only ours: ${id}\n`);
  }
  if (agree) t.rootsAgreeing++;
  process.stdout.write(`${dir}: ${agree ? 'agrees' : 'differs'} (${expected.length} objects)\n`);
}

main();
