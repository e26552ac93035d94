// Bench layer (Node script): kustomize rendering (IN-1) timed against reading the same objects as plain files, and
// an edit of one base re-rendered through the root cache. Must not import vscode or LSP. `npm run bench` prints
// these rows (bench/bench.ts calls benchKustomize); `node dist/bench/kustomize-bench.js [B O]` prints them alone.
import { performance } from 'node:perf_hooks';
import { stringify } from 'yaml';
import { applyKustomize, buildModel, defaultProfile, KustomizeCache, parseFile, type ParsedFile } from '../server/src/model/index';
import { generateOverlays } from './gen/overlays';

export interface KustomizeBenchRow {
  step: string;
  ms: number | null;
  note: string;
}

/** Timed runs of each step: the language server renders again on every edit, so its steady state is what counts. */
const RUNS = 7;

/** The best of `runs` timings (after one warm-up run): the figure least disturbed by other work on the machine. */
function best<T>(runs: number, fn: () => T): { ms: number; value: T } {
  let value = fn();
  let ms = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    value = fn();
    ms = Math.min(ms, performance.now() - t0);
  }
  return { ms, value };
}

export function benchKustomize(bases = 20, overlays = 200): KustomizeBenchRow[] {
  const files = generateOverlays(bases, overlays).map(([p, t]): [string, string] => [`/bench/${p}`, t]);
  const texts = new Map(files);
  const profile = defaultProfile();

  // What the language server and the CLI do: parse every file, render the roots, build the model.
  const rendered = best(RUNS, () => {
    const parsed = files.map(([f, t]) => parseFile(f, t));
    const byFile = new Map(parsed.map((p) => [p.file, p]));
    const out = applyKustomize(parsed, { texts, parsed: (f) => byFile.get(f) });
    return { out, model: buildModel(out.files, profile) };
  });
  const objects = rendered.value.out.files.reduce((n, f) => n + f.resources.length, 0);

  // The same objects written out as plain manifests, one file per root, then read as the model reads files.
  const plainFiles = rendered.value.out.files
    .filter((f) => f.resources.length)
    .map((f, i): [string, string] => [`/plain/root-${i}.yaml`, f.resources.map((r) => stringify(r.body)).join('---\n')]);
  const plain = best(RUNS, () =>
    buildModel(
      plainFiles.map(([f, t]) => parseFile(f, t)),
      profile,
    ),
  );

  // An edit of one base: the cache re-renders only the roots that read it.
  const cache = new KustomizeCache();
  const parsedAll = new Map<string, ParsedFile>(files.map(([f, t]) => [f, parseFile(f, t)]));
  applyKustomize([...parsedAll.values()], { texts, parsed: (f) => parsedAll.get(f) }, { cache });
  const edited = '/bench/bases/app-0/deploy.yaml';
  let flip = false;
  const edit = best(RUNS, () => {
    flip = !flip;
    const text = texts.get(edited)!.replace(/replicas: \d+/, `replicas: ${flip ? 2 : 1}`);
    texts.set(edited, text);
    parsedAll.set(edited, parseFile(edited, text));
    return applyKustomize([...parsedAll.values()], { texts, parsed: (f) => parsedAll.get(f) }, { cache });
  });
  const full = best(RUNS, () => applyKustomize([...parsedAll.values()], { texts, parsed: (f) => parsedAll.get(f) }));

  const ratio = rendered.ms / plain.ms;
  return [
    { step: 'kustomize workspace', ms: null, note: `${bases} bases, ${overlays} overlays: ${files.length} files, ${objects} rendered objects` },
    {
      step: 'kustomize: render + build',
      ms: rendered.ms,
      note: `parseFile all + applyKustomize + buildModel: ${rendered.value.model.services.length} services, ${rendered.value.model.diagnostics.length} diagnostics`,
    },
    { step: 'kustomize: same as plain files', ms: plain.ms, note: `parseFile + buildModel of the ${objects} rendered objects in ${plainFiles.length} files` },
    { step: 'ratio kustomize / plain', ms: null, note: `${ratio.toFixed(2)}x (target <= 1.5x)` },
    { step: 'kustomize: applyKustomize, all roots', ms: full.ms, note: `no cache: ${full.value.rendered.length} roots rendered` },
    {
      step: 'kustomize: after a base edit',
      ms: edit.ms,
      note: `cache: ${edit.value.rendered.length} of ${edit.value.roots.length} roots re-rendered (those that read bases/app-0)`,
    },
  ];
}

// Only as its own script: bench.js bundles this file, and there `require.main === module` holds too.
if (require.main === module && /kustomize-bench\.js$/.test(__filename)) {
  const [b, o] = process.argv.slice(2).map(Number);
  for (const r of benchKustomize(b || 20, o || 200))
    process.stdout.write(`${r.step.padEnd(38)} ${r.ms === null ? '-'.padStart(9) : r.ms.toFixed(1).padStart(9)}  ${r.note}\n`);
}
