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
const RUNS = 15;

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** The median of `runs` timings (after one warm-up run). */
function timed<T>(runs: number, fn: () => T): { ms: number; value: T } {
  let value = fn();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    value = fn();
    ms.push(performance.now() - t0);
  }
  return { ms: median(ms), value };
}

/** CPU time of this process so far (user + system, all its threads), in ms. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

interface Side<T> {
  /** Median wall-clock time. */
  ms: number;
  /** Median CPU time (steadier than wall time on a machine other work shares). */
  cpu: number;
  value: T;
}

/** Rounds of blocks per side; each block's first run is not counted (it collects the other side's garbage). */
const ROUNDS = 6;
const BLOCK = 6;

/**
 * Two sides timed alike in one process: in rounds, a block of runs of a then a block of b, so that both see the
 * same machine over the same minutes. Each block's first run is left out: it pays for collecting the garbage the
 * other side left (timed in turns a, b, a, b, each side would pay for the other's collections, which favours the
 * side that allocates more). Each side's median of the counted runs, and their ratio; `low`-`high` is the ratio
 * of the fastest and of the slowest runs.
 */
function paired<A, B>(a: () => A, b: () => B): { a: Side<A>; b: Side<B>; ratio: number; low: number; high: number; cpuRatio: number } {
  const block = <T>(fn: () => T, wall: number[], cpu: number[]): T => {
    let value = fn();
    for (let i = 1; i < BLOCK; i++) {
      const c0 = cpuMs();
      const t0 = performance.now();
      value = fn();
      wall.push(performance.now() - t0);
      cpu.push(cpuMs() - c0);
    }
    return value;
  };
  const ta: number[] = [];
  const tb: number[] = [];
  const ca: number[] = [];
  const cb: number[] = [];
  let va = a();
  let vb = b();
  for (let r = 0; r < ROUNDS; r++) {
    va = block(a, ta, ca);
    vb = block(b, tb, cb);
  }
  return {
    a: { ms: median(ta), cpu: median(ca), value: va },
    b: { ms: median(tb), cpu: median(cb), value: vb },
    ratio: median(ta) / median(tb),
    low: Math.min(...ta) / Math.min(...tb),
    high: Math.max(...ta) / Math.max(...tb),
    cpuRatio: median(ca) / median(cb),
  };
}

export function benchKustomize(bases = 20, overlays = 200): KustomizeBenchRow[] {
  const files = generateOverlays(bases, overlays).map(([p, t]): [string, string] => [`/bench/${p}`, t]);
  const texts = new Map(files);
  const profile = defaultProfile();

  // What the language server and the CLI do: parse every file, render the roots, build the model.
  const render = () => {
    const parsed = files.map(([f, t]) => parseFile(f, t));
    const byFile = new Map(parsed.map((p) => [p.file, p]));
    const out = applyKustomize(parsed, { texts, parsed: (f) => byFile.get(f) });
    return { out, model: buildModel(out.files, profile) };
  };
  const first = render();
  const objects = first.out.files.reduce((n, f) => n + f.resources.length, 0);

  // The same objects written out as plain manifests, one file per root, then read as the model reads files.
  const plainFiles = first.out.files
    .filter((f) => f.resources.length)
    .map((f, i): [string, string] => [`/plain/root-${i}.yaml`, f.resources.map((r) => stringify(r.body)).join('---\n')]);
  const readPlain = () =>
    buildModel(
      plainFiles.map(([f, t]) => parseFile(f, t)),
      profile,
    );
  const both = paired(render, readPlain);
  const rendered = both.a;
  const plain = both.b;

  // An edit of one base: the cache re-renders only the roots that read it.
  const cache = new KustomizeCache();
  const parsedAll = new Map<string, ParsedFile>(files.map(([f, t]) => [f, parseFile(f, t)]));
  applyKustomize([...parsedAll.values()], { texts, parsed: (f) => parsedAll.get(f) }, { cache });
  const edited = '/bench/bases/app-0/deploy.yaml';
  let flip = false;
  const edit = timed(RUNS, () => {
    flip = !flip;
    const text = texts.get(edited)!.replace(/replicas: \d+/, `replicas: ${flip ? 2 : 1}`);
    texts.set(edited, text);
    parsedAll.set(edited, parseFile(edited, text));
    return applyKustomize([...parsedAll.values()], { texts, parsed: (f) => parsedAll.get(f) }, { cache });
  });
  const full = timed(RUNS, () => applyKustomize([...parsedAll.values()], { texts, parsed: (f) => parsedAll.get(f) }));

  return [
    { step: 'kustomize workspace', ms: null, note: `${bases} bases, ${overlays} overlays: ${files.length} files, ${objects} rendered objects` },
    {
      step: 'kustomize: render + build',
      ms: rendered.ms,
      note: `parseFile all + applyKustomize + buildModel: ${rendered.value.model.services.length} services, ${rendered.value.model.diagnostics.length} diagnostics`,
    },
    { step: 'kustomize: same as plain files', ms: plain.ms, note: `parseFile + buildModel of the ${objects} rendered objects in ${plainFiles.length} files` },
    {
      step: 'ratio kustomize / plain',
      ms: null,
      note: `${both.ratio.toFixed(2)}x (target <= 1.5x): medians of ${ROUNDS * (BLOCK - 1)} runs a side, in blocks (fastest ${both.low.toFixed(2)}x, slowest ${both.high.toFixed(2)}x); CPU time (GC threads included) ${both.cpuRatio.toFixed(2)}x (${rendered.cpu.toFixed(0)} / ${plain.cpu.toFixed(0)} ms)`,
    },
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
