// Bench layer (Node script, bundled to dist/bench/stages.js): times buildModel and each of its stages on
// a workspace folder, and writes a fingerprint of the built model so that a speed-up can be checked to
// change nothing. May import the model and the CLI's file loading; must not import vscode or LSP.
//
//   node dist/bench/stages.js DIR [--runs N] [--fingerprint OUT.json] [--edits N]
//
// --edits N (default 20): "re-analysis after a one-Service edit": a Service's port is edited back and forth N
// times, the file re-parsed as the language server does, and the model rebuilt with the build memo the server
// keeps; prints the median rebuild time.
//
// "longest step": issue 13's cooperative stages. The build and the language server's analysis yield every few units of
// work (Stage in server/src/model/pipeline/build-model.ts); a request waits for at most the step under way (and the
// scheduler's time slice). Printed: per stage, the longest step of a full build; then the longest steps of the
// server's Workspace analysis, first (every file parsed) and after an edit of a Deployment's replicas (the bench's
// 'hover during an analysis'), with their numbers (the parse and kustomize steps come first).
//
// DIR is a folder of manifests, e.g. from `node dist/bench/gen-workspace.js 2000 DIR --seed 1`.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildModel, createBuildMemo, parseFile, parseProfile, PROFILE_FILE, type Model, type ParsedFile } from '../server/src/model/index';
import { STAGES, createContext, modelOf, runStage } from '../server/src/model/pipeline/build-model';
import { collectFiles } from '../server/src/cli/load';
import { Workspace } from '../server/src/workspace';
import { pathToFileURL } from 'node:url';

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

/** Everything the model answers, except container env, which is hashed (it is huge). */
function fingerprint(m: Model): { json: unknown; envHash: string } {
  const env = createHash('sha256');
  for (const p of m.pods) for (const c of p.containers) env.update(`${p.id}/${c.name}=${JSON.stringify(c.env)}\n`);
  const json = {
    nodes: m.nodes.map((n) => ({ ...n, source: n.source?.id })),
    namespaces: m.namespaces.map((n) => ({ ...n, source: n.source?.id })),
    pods: m.pods.map((p) => ({
      id: p.id,
      owner: p.owner.id,
      ordinal: p.ordinal,
      node: p.node,
      ip: p.ip,
      hostNetwork: p.hostNetwork,
      ready: p.ready,
      labels: p.labels,
      hostname: p.hostname,
      subdomain: p.subdomain,
      enableServiceLinks: p.enableServiceLinks,
      containers: p.containers.map((c) => ({ name: c.name, ports: c.ports })),
    })),
    services: m.services.map((s) => ({
      ...s,
      source: s.source?.id,
      ports: s.ports.map((p) => ({ ...p, source: p.source === undefined ? undefined : JSON.stringify(p.source) })),
      endpointSlices: s.endpointSlices.map((e) => ({ ...e, source: e.source?.id })),
      endpointsObject: s.endpointsObject && { ...s.endpointsObject, source: s.endpointsObject.source?.id },
    })),
    ingresses: m.ingresses.map((i) => ({ ...i, source: i.source.id, rules: i.rules.map((r) => ({ ...r, source: undefined })) })),
    networkPolicies: m.networkPolicies.map((n) => ({
      ...n,
      source: n.source.id,
      ingress: n.ingress.map((r) => ({ ...r, source: undefined })),
      egress: n.egress.map((r) => ({ ...r, source: undefined })),
    })),
    dns: m.dns,
    diagnostics: m.diagnostics,
    index: {
      podById: [...m.index.podById.keys()],
      podByIp: [...m.index.podByIp].map(([k, v]) => `${k}=${v.id}`),
      podsByOwner: [...m.index.podsByOwner].map(([k, v]) => `${k}=${v.map((p) => p.id).join(',')}`),
      serviceById: [...m.index.serviceById.keys()],
      dnsByName: [...(m.index.dnsByName ?? new Map()).keys()],
    },
  };
  return { json, envHash: env.digest('hex') };
}

function main(): void {
  const args = process.argv.slice(2);
  const dir = args.find((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
  if (!dir) throw new Error('usage: stages.js DIR [--runs N] [--fingerprint OUT.json]');
  const opt = (name: string): string | undefined => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const runs = Number(opt('--runs') ?? 7);
  const { files } = collectFiles([dir]);
  const profilePath = join(dir, PROFILE_FILE);
  const { profile, diagnostics } = parseProfile(profilePath, existsSync(profilePath) ? readFileSync(profilePath, 'utf8') : undefined);
  const parsed = files.map((f) => parseFile(f, readFileSync(f, 'utf8')));

  const out = opt('--fingerprint');
  if (out) {
    const { json, envHash } = fingerprint(buildModel(parsed, profile, diagnostics));
    const text = JSON.stringify(json);
    writeFileSync(out, text);
    process.stdout.write(`fingerprint ${createHash('sha256').update(text).digest('hex').slice(0, 16)} env ${envHash.slice(0, 16)} -> ${out}\n`);
  }

  editRebuilds(parsed, profile, diagnostics, Number(opt('--edits') ?? 20));
  longestSteps(parsed, profile, diagnostics, files);

  const names = ['context', ...STAGES.map((s) => s.name), 'total'];
  const times = new Map<string, number[]>(names.map((n) => [n, []]));
  const totals: number[] = [];
  // CPU time (all threads, GC included) varies less than wall time on a shared, loaded machine.
  const cpus: number[] = [];
  for (let r = 0; r < runs + 2; r++) {
    // Two warm-up runs, so the timed ones measure compiled code.
    const t0 = performance.now();
    const { ctx, sorted } = createContext(parsed, profile, diagnostics);
    let t = performance.now();
    const rec = (name: string, ms: number): void => {
      if (r >= 2) times.get(name)!.push(ms);
    };
    rec('context', t - t0);
    for (const stage of STAGES) {
      runStage(stage, ctx);
      const now = performance.now();
      rec(stage.name, now - t);
      t = now;
    }
    modelOf(ctx, sorted);
    rec('total', performance.now() - t0);
    const c0 = process.cpuUsage();
    const b0 = performance.now();
    buildModel(parsed, profile, diagnostics);
    if (r >= 2) totals.push(performance.now() - b0);
    const c = process.cpuUsage(c0);
    if (r >= 2) cpus.push((c.user + c.system) / 1000);
  }
  for (const n of names) process.stdout.write(`${n.padEnd(24)} ${median(times.get(n)!).toFixed(1).padStart(8)} ms\n`);
  process.stdout.write(
    `${'buildModel'.padEnd(24)} ${median(totals).toFixed(1).padStart(8)} ms (median of ${runs}; min ${Math.min(...totals).toFixed(1)}; cpu median ${median(cpus).toFixed(1)})\n`,
  );
}

/** Times each step of `steps`; `where` names the step just run (given its number). */
function stepTimes<T>(
  steps: Generator<void, T, void>,
  where: (step: number) => string,
): { longest: { ms: number; where: string }[]; count: number; total: number } {
  const all: { ms: number; where: string }[] = [];
  let total = 0;
  for (;;) {
    const t0 = performance.now();
    const r = steps.next();
    const ms = performance.now() - t0;
    total += ms;
    all.push({ ms, where: where(all.length) });
    if (r.done) break;
  }
  all.sort((a, b) => b.ms - a.ms);
  return { longest: all.slice(0, 3), count: all.length, total };
}

function stepLine(label: string, t: ReturnType<typeof stepTimes>): string {
  const top = t.longest.map((s) => `${s.ms.toFixed(1)} (${s.where})`).join(', ');
  return `${label.padEnd(24)} ${t.longest[0]!.ms.toFixed(1).padStart(8)} ms (${t.count} steps, ${t.total.toFixed(0)} ms in all; longest: ${top})\n`;
}

/** The longest step of each stage of one build (ms/steps). */
function stageSteps(ctx: ReturnType<typeof createContext>['ctx']): string {
  const perStage: string[] = [];
  for (const stage of STAGES) {
    const steps = (function* (): Generator<void, void, void> {
      const phases = stage(ctx);
      if (phases) yield* phases;
    })();
    const t = stepTimes(steps, () => stage.name);
    perStage.push(`${stage.name.replace(/^resolve/, '')} ${t.longest[0]!.ms.toFixed(1)}/${t.count}`);
  }
  return perStage.join(', ');
}

/** Issue 13: the longest step between two yields, per stage of a full build, and in the server's analyses. */
function longestSteps(parsed: ParsedFile[], profile: Model['profile'], diagnostics: Model['diagnostics'], paths: readonly string[]): void {
  process.stdout.write(`${'longest step per stage'.padEnd(24)} (ms/steps) ${stageSteps(createContext(parsed, profile, diagnostics).ctx)}\n`);

  const ws = new Workspace();
  const texts = new Map(paths.map((p) => [pathToFileURL(p).toString(), readFileSync(p, 'utf8')]));
  for (const [uri, text] of texts) ws.setDisk(uri, text);
  const where = (i: number) => `step ${i}`;
  const first = ws.analysisSteps();
  process.stdout.write(stepLine('longest step, 1st analysis', stepTimes(first, where)));
  // The bench's edit: the largest workloads file's first replicas (bench/lsp.ts).
  const [uri, text] = [...texts].filter(([u]) => /workloads/.test(u)).sort((a, b) => b[1].length - a[1].length)[0] ?? [];
  const at = text?.indexOf('replicas: ') ?? -1;
  if (!uri || !text || at < 0) return;
  const times: ReturnType<typeof stepTimes>[] = [];
  const cut = at + 'replicas: '.length;
  const edited = (i: number) => text.slice(0, cut) + String((i % 3) + 1) + text.slice(text.indexOf('\n', cut));
  for (let i = 0; i < 6; i++) {
    ws.setDisk(uri, edited(i));
    times.push(stepTimes(ws.analysisSteps(), where));
  }
  times.sort((a, b) => a.longest[0]!.ms - b.longest[0]!.ms);
  process.stdout.write(stepLine('longest step, edit (med)', times[Math.floor(times.length / 2)]!));
  // The same edit, model only (the Workspace's step 0 is the parse and kustomize), per stage with the build memo.
  const memo = createBuildMemo();
  const files = [...parsed];
  const i = files.findIndex((f) => pathToFileURL(f.file).toString() === uri);
  if (i < 0) return;
  buildModel(files, profile, diagnostics, memo);
  files[i] = parseFile(files[i]!.file, edited(1), files[i]);
  const { ctx } = createContext(files, profile, diagnostics);
  ctx.memo = memo;
  process.stdout.write(`${'  per stage, edit'.padEnd(24)} (ms/steps) ${stageSteps(ctx)}\n`);
}

/** The median model rebuild after a one-Service edit (one port), with the memo a long-lived caller keeps. */
function editRebuilds(parsed: ParsedFile[], profile: Model['profile'], diagnostics: Model['diagnostics'], edits: number): void {
  // The first file holding one Service with a port (an ExternalName Service has none).
  const at = parsed.findIndex((f) => f.resources.length === 1 && f.resources[0]!.kind === 'Service' && /\n {4,}port: \d+/.test(readFileSync(f.file, 'utf8')));
  if (at < 0 || edits <= 0) return;
  const file = parsed[at]!.file;
  const text = readFileSync(file, 'utf8');
  const port = /port: (\d+)/.exec(text)!;
  const files = [...parsed];
  const memo = createBuildMemo();
  buildModel(files, profile, diagnostics, memo);
  const times: number[] = [];
  const perStage = new Map<string, number[]>(STAGES.map((s) => [s.name, []]));
  for (let i = 0; i < edits + 2; i++) {
    const next = i % 2 === 0 ? text.replace(port[0], `port: ${Number(port[1]) + 1}`) : text;
    const t0 = performance.now();
    files[at] = parseFile(file, next, files[at]);
    const { ctx, sorted } = createContext(files, profile, diagnostics);
    ctx.memo = memo;
    let t = performance.now();
    for (const stage of STAGES) {
      runStage(stage, ctx);
      const now = performance.now();
      if (i >= 2) perStage.get(stage.name)!.push(now - t);
      t = now;
    }
    modelOf(ctx, sorted);
    if (i >= 2) times.push(performance.now() - t0);
  }
  const stages = [...perStage].map(([n, ts]) => `${n.replace(/^resolve/, '')} ${median(ts).toFixed(1)}`).join(', ');
  process.stdout.write(
    `${'re-analysis after a one-Service edit'.padEnd(24)} ${median(times).toFixed(1).padStart(8)} ms (median of ${edits}; parse + model; ${stages})\n`,
  );
}

main();
