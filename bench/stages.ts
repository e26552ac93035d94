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
// DIR is a folder of manifests, e.g. from `node dist/bench/gen-workspace.js 2000 DIR --seed 1`.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildModel, createBuildMemo, parseFile, parseProfile, PROFILE_FILE, type Model, type ParsedFile } from '../server/src/model/index';
import { STAGES, createContext, modelOf, runStage } from '../server/src/model/pipeline/build-model';
import { collectFiles } from '../server/src/cli/load';

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
