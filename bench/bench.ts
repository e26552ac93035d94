// Bench layer (Node script): must not import vscode or LSP; the model only via model/index.ts, plus the CLI's file loading.
// Bundled to dist/bench/bench.js. `npm run bench -- [N | --sizes 2000,10000] [--nodes K | --profiles default,48]
// [--lsp-only | --no-lsp]`: for each size (seed 1) and profile, the language server against the parse-only floor
// server (bench/lsp.ts, bench/floor-server.ts; issue 13's targets), and the model's own figures for the first
// size and profile. The LSP benchmark is loaded at run time, see benchOne.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseAllDocuments } from 'yaml';
import { buildModel, connectivity, matchIngress, parseFile, parseProfile, PROFILE_FILE, reach, routeRequest, trace } from '../server/src/model/index';
import { gatewayTwin, urlOf } from './gateway-twin';
import { collectFiles } from '../server/src/cli/load';
import { generateWorkspace, writeWorkspace } from './gen/index';
import { benchKustomize } from './kustomize-bench';

/** One line of the printed table. */
export interface BenchRow {
  step: string;
  ms: number | null;
  note: string;
}

/** What bench/lsp.ts (written by the editor engineer) exports, if it exists. */
interface LspBench {
  benchLsp(workspaceDir: string, files: readonly string[]): Promise<BenchRow[]>;
}

function fail(message: string): never {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(1);
}

function time<T>(fn: () => T): { ms: number; value: T } {
  const t0 = performance.now();
  const value = fn();
  return { ms: performance.now() - t0, value };
}

function percentile(sorted: readonly number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

function fmt(ms: number | null): string {
  if (ms === null || Number.isNaN(ms)) return '-';
  return ms >= 100 ? ms.toFixed(0) : ms >= 1 ? ms.toFixed(1) : ms.toFixed(3);
}

function printTable(rows: readonly BenchRow[]): void {
  const w = Math.max(...rows.map((r) => r.step.length), 4);
  const lines = [`${'step'.padEnd(w)}  ${'ms'.padStart(9)}  note`, `${'-'.repeat(w)}  ${'-'.repeat(9)}  ----`];
  for (const r of rows) lines.push(`${r.step.padEnd(w)}  ${fmt(r.ms).padStart(9)}  ${r.note}`.trimEnd());
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** A profile of `k` nodes, each with its own /24 of the default pod CIDR. */
function nodesProfile(k: number): string {
  const lines = ['nodes:'];
  for (let i = 0; i < k; i++) lines.push(`  - { name: node${i + 1}, internalIP: 10.0.1.${i + 1}, podCIDR: 10.42.${i}.0/24 }`);
  return `${lines.join('\n')}\n`;
}

/** Wall-clock budget for the all-pairs reachability loop; past it, the rate is extrapolated. */
const PAIR_BUDGET_MS = 20_000;

/** What to run: sizes x profiles; the model's own figures for the first of them only (they take minutes at 10,000). */
interface Options {
  sizes: number[];
  /** Node counts of the cluster profile; 0 is the default profile (two nodes). */
  profiles: number[];
  model: boolean;
  lsp: boolean;
}

function parseOptions(argv: readonly string[]): Options {
  const valueOf = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const flagsWithValue = new Set(['--nodes', '--sizes', '--profiles']);
  const numbers = (flag: string, text: string, min: number, max: number): number[] =>
    text.split(',').map((t) => {
      const v = t === 'default' ? 0 : Number(t);
      if (!Number.isInteger(v) || v < min || v > max) fail(`${flag} takes ${min}..${max}, got '${t}'`);
      return v;
    });
  // --nodes K: a cluster profile with K nodes, so that most pods are scheduled (the default two hold 220).
  const nodes = valueOf('--nodes');
  const profiles = nodes !== undefined ? numbers('--nodes', nodes, 1, 250) : numbers('--profiles', valueOf('--profiles') ?? 'default,48', 0, 250);
  // The first bare argument is N (the sizes), except the value that follows a flag.
  const nArg = argv.find((a, i) => !a.startsWith('--') && !flagsWithValue.has(argv[i - 1] ?? ''));
  const sizes = numbers(nArg !== undefined ? 'N' : '--sizes', nArg ?? valueOf('--sizes') ?? '2000,10000', 1, 1_000_000);
  return {
    sizes,
    profiles,
    // --lsp-only: the language servers' figures alone; --no-lsp: the model's alone.
    model: !argv.includes('--lsp-only'),
    lsp: !argv.includes('--no-lsp'),
  };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const t0 = performance.now();
  let first = true;
  for (const n of options.sizes) {
    const tmp = mkdtempSync(join(tmpdir(), 'netpath-bench-'));
    const ws = join(tmp, 'ws');
    try {
      // The project's own generator (bench/gen/), seed 1: the same workspace on every run and every machine.
      writeWorkspace(ws, generateWorkspace(n, '1'));
      for (const nodeCount of options.profiles) {
        if (nodeCount > 0) writeFileSync(join(ws, PROFILE_FILE), nodesProfile(nodeCount));
        else rmSync(join(ws, PROFILE_FILE), { force: true });
        process.stdout.write(`\n## N=${n}, ${nodeCount > 0 ? `${nodeCount}-node profile` : 'default profile'}\n`);
        const rows = await benchOne(ws, n, nodeCount, { model: options.model && first, lsp: options.lsp });
        first = false;
        printTable(rows);
      }
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
  process.stdout.write(`\nbench: ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
}

/** The figures of one workspace and profile: the model's (if asked), then the language servers'. */
async function benchOne(ws: string, n: number, nodeCount: number, what: { model: boolean; lsp: boolean }): Promise<BenchRow[]> {
  const { files } = collectFiles([ws]);
  const rows: BenchRow[] = [];
  if (what.model) rows.push(...benchModel(ws, n, nodeCount, files));
  else
    rows.push({
      step: 'model figures',
      ms: null,
      note: `${files.length} files; the model's own figures are measured for the first size and profile only (and not with --lsp-only)`,
    });
  // LSP benchmark: bench/lsp.ts is bundled to dist/bench/lsp.js beside this file. Loaded at run time so that
  // this script neither depends on LSP code nor breaks without it.
  const lspPath = join(__dirname, 'lsp.js');
  if (!what.lsp) rows.push({ step: 'lsp', ms: null, note: 'skipped (--no-lsp)' });
  else if (existsSync(lspPath)) {
    const lsp = createRequire(__filename)(lspPath) as Partial<LspBench>;
    if (typeof lsp.benchLsp === 'function') rows.push(...(await lsp.benchLsp(ws, files)));
    else rows.push({ step: 'lsp', ms: null, note: 'dist/bench/lsp.js does not export benchLsp(dir, files)' });
  } else rows.push({ step: 'lsp', ms: null, note: 'bench/lsp.ts not written yet' });
  return rows;
}

/** The model's own figures: parsing, building, routing, reachability, traces, kustomize. */
function benchModel(ws: string, n: number, nodeCount: number, files: string[]): BenchRow[] {
  const texts = files.map((f) => ({ file: f, text: readFileSync(f, 'utf8') }));
  const bytes = texts.reduce((s, t) => s + Buffer.byteLength(t.text), 0);
  const profilePath = join(ws, PROFILE_FILE);
  const profileText = existsSync(profilePath) ? readFileSync(profilePath, 'utf8') : undefined;

  const parseOnly = () => {
    let docs = 0;
    for (const t of texts) docs += parseAllDocuments(t.text).length;
    return docs;
  };
  // Two halves timed apart, so that a slow ratio says whether parsing-with-spans or the stages are to blame.
  const build = () => {
    const t0 = performance.now();
    const { profile, diagnostics } = parseProfile(profilePath, profileText);
    const files = texts.map((t) => parseFile(t.file, t.text));
    const t1 = performance.now();
    const model = buildModel(files, profile, diagnostics);
    return { model, parseMs: t1 - t0, stagesMs: performance.now() - t1 };
  };
  // Warm-up: one untimed pass of each, so the timed run measures compiled code, not the JIT.
  parseOnly();
  build();
  const parsed = time(parseOnly);
  const built = time(build);
  const m = built.value.model;
  const rows: BenchRow[] = [
    {
      step: 'workspace',
      ms: null,
      note: `N=${n} seed 1: ${files.length} files, ${(bytes / 1e6).toFixed(1)} MB, ${parsed.value} documents, ${nodeCount > 0 ? `${nodeCount}-node profile` : 'default profile (2 nodes)'}`,
    },
    { step: 'yaml.parseAllDocuments', ms: parsed.ms, note: 'all files, parsing alone' },
    {
      step: 'model build',
      ms: built.ms,
      note: `parseFile all + buildModel: ${m.pods.length} pods, ${m.services.length} services, ${m.diagnostics.length} diagnostics`,
    },
    { step: '  parseFile all', ms: built.value.parseMs, note: 'YAML -> resources with spans (IN-1..5)' },
    { step: '  buildModel', ms: built.value.stagesMs, note: 'every stage: pods, services, endpoints, dns, ingress, netpol, checks' },
    { step: 'ratio build / parse', ms: null, note: `${(built.ms / parsed.ms).toFixed(2)}x (target <= 1.5x)` },
  ];

  // Ingress routing, and the same URLs through a Gateway API twin of the Ingresses (GW-*): built on its own,
  // so that the figures above stay those of the generated workspace.
  const urls = [...new Set(m.ingresses.flatMap((i) => i.rules.map((r) => urlOf(r.host, r.path))))];
  const ing = time(() => urls.filter((u) => matchIngress(m, u).backend !== null).length);
  rows.push({
    step: 'ingress routing',
    ms: ing.ms,
    note: `${urls.length} URLs (one per Ingress path): ${ing.value} routed, ${fmt((ing.ms * 1000) / Math.max(1, urls.length))} us each`,
  });
  const twin = time(() => {
    const { profile, diagnostics } = parseProfile(profilePath, profileText);
    return buildModel([...texts.map((t) => parseFile(t.file, t.text)), parseFile(join(ws, 'gateway-twin.yaml'), gatewayTwin(m))], profile, diagnostics);
  });
  const mg = twin.value;
  const gw = time(() => urls.filter((u) => (routeRequest(mg, u).status ?? 0) === 200).length);
  rows.push({
    step: 'gateway routing',
    ms: gw.ms,
    note: `the same ${urls.length} URLs through 1 Gateway, ${mg.gatewayApi.routes.length} HTTPRoutes: ${gw.value} answered 200, ${fmt((gw.ms * 1000) / Math.max(1, urls.length))} us each`,
  });
  rows.push({
    step: '  model build + twin',
    ms: twin.ms,
    note: `parseFile all + buildModel with the Gateway API twin (${(twin.ms / built.ms).toFixed(2)}x the plain build)`,
  });

  const c = time(() => connectivity(m));
  rows.push({ step: 'connectivity', ms: c.ms, note: `${c.value.length} allowed workload connections` });

  const pods = m.pods.filter((p) => p.ip !== null);
  if (pods.length) {
    const total = pods.length * pods.length;
    let done = 0;
    const t0 = performance.now();
    outer: for (const a of pods) {
      for (const b of pods) {
        reach(m, `pod:${a.id}`, `pod:${b.id}`);
        if (++done % 1000 === 0 && performance.now() - t0 > PAIR_BUDGET_MS) break outer;
      }
    }
    const ms = performance.now() - t0;
    const note =
      done === total
        ? `every pod pair: ${total} reach() calls, ${((ms * 1000) / total).toFixed(1)} us each`
        : `${done} of ${total} pod pairs in the ${PAIR_BUDGET_MS / 1000} s budget; all would take ~${(((ms / done) * total) / 1000).toFixed(0)} s`;
    rows.push({ step: 'reach: pod pairs', ms, note });
  } else rows.push({ step: 'reach: pod pairs', ms: null, note: 'no scheduled pods' });

  const from = pods[0];
  if (from) {
    const times: number[] = [];
    for (const s of m.services) {
      const port = s.ports[0];
      const to = `svc:${s.id}${port ? `:${port.port}` : ''}`;
      times.push(time(() => trace(m, `pod:${from.id}`, to)).ms);
    }
    times.sort((a, b) => a - b);
    const sum = times.reduce((s, t) => s + t, 0);
    rows.push({ step: 'trace per Service', ms: sum, note: `${times.length} traces from pod:${from.id}` });
    rows.push({ step: '  trace p50', ms: percentile(times, 50), note: '' });
    rows.push({ step: '  trace p95', ms: percentile(times, 95), note: 'target <= 10 ms' });
    rows.push({ step: '  trace max', ms: times[times.length - 1] ?? null, note: '' });
  } else rows.push({ step: 'trace per Service', ms: null, note: 'no scheduled pods' });

  // IN-1: 200 overlays over 20 bases, rendered vs read as plain files, and a base edit through the root cache.
  rows.push(...benchKustomize(20, 200));
  return rows;
}

main().catch((err: unknown) => fail(err instanceof Error ? (err.stack ?? err.message) : String(err)));
