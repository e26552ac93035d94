// Bench layer (Node script, bundled to dist/bench/lsp.js, loaded by bench.ts): drives the built language
// server (dist/server.js) and the parse-only floor server (dist/bench/floor-server.js, bench/floor-server.ts)
// over stdio, as an editor would, with the same script on the same workspace, and times what a user feels.
// Issue 13's targets are ratios to the floor, so that a shared, noisy machine still gives a verdict.
// May import the model (to find positions) and vscode-languageserver-protocol; must not import vscode.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  InitializeRequest,
  InitializedNotification,
  HoverRequest,
  CodeLensRequest,
  DidOpenTextDocumentNotification,
  DidChangeTextDocumentNotification,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  ExitNotification,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import { parseFile, type Resource } from '../server/src/model/index';
import { nameSpan } from '../server/src/model/core/typed-fields';
import { offsetToPosition } from '../server/src/model/core/text-positions';
import { DEFAULT_SETTINGS } from '../server/src/lsp/settings';
import type { StatusParams } from '../shared/protocol';
import { SERVER_EXEC_ARGV } from '../shared/serverProcess';
import type { BenchRow } from './bench';

const HOVERS = 300;
const LENS_FILES = 100;
const BURST_KEYS = 4;
const KEY_GAP_MS = 50;
/** A little longer than the language server's netpath.debounceMs (the bench runs it with the default): the pause that makes an edit "after a quiet spell". */
const QUIET_MS = DEFAULT_SETTINGS.debounceMs + 20;
/** Edits timed (and as many hovers right behind one, and mid-analysis; half as many typing bursts). */
const EDITS = 20;
/** Past this many files (the 10,000-Service workspace, where an edit costs seconds today) half as many, to fit the run in minutes. */
const LARGE_WORKSPACE = 5000;
/** Documents the editor has open when the server starts (the edited file among them). */
const OPEN_AT_START = 3;

type Position = { line: number; character: number };
type Target = { uri: string } & Position;

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

const sortedCopy = (xs: readonly number[]): number[] => [...xs].sort((a, b) => a - b);

function peakRssMb(pid: number): number | null {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** Evenly spaced picks: deterministic, and spread over the whole workspace rather than its first files. */
function spread<T>(items: readonly T[], n: number): T[] {
  if (items.length <= n) return [...items];
  return Array.from({ length: n }, (_, i) => items[Math.floor((i * items.length) / n)]!);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What both servers are asked: the same files, positions and edits. */
interface Plan {
  workspaceDir: string;
  texts: Map<string, string>;
  hoverTargets: Target[];
  lensFiles: string[];
  editFile: string;
  /** Offset of the replica count that every edit rewrites, and its position. */
  editAt: number;
  editPos: Position;
  /** A Service/Deployment name in the edited file, in another object than the edited one (its text never changes). */
  editFileTarget: Target;
  openAtStart: string[];
  edits: number;
}

function makePlan(workspaceDir: string, files: readonly string[]): Plan {
  const texts = new Map(files.map((f) => [f, readFileSync(f, 'utf8')]));
  const targets: (Target & { file: string; start: number })[] = [];
  for (const f of files) {
    const parsed = parseFile(f, texts.get(f)!);
    for (const r of parsed.resources as Resource[]) {
      if (r.kind !== 'Service' && r.kind !== 'Deployment') continue;
      const start = nameSpan(r).start + 1;
      targets.push({ uri: pathToFileURL(f).toString(), file: f, start, ...offsetToPosition(parsed.lineStarts, start) });
    }
  }
  // The largest workload file: its replica count is edited, as typing would.
  const editFile = [...files].filter((f) => /workloads/.test(f)).sort((a, b) => texts.get(b)!.length - texts.get(a)!.length)[0] ?? files[0]!;
  const text = texts.get(editFile)!;
  const editAt = text.indexOf('replicas: ') + 'replicas: '.length;
  if (editAt < 'replicas: '.length) throw new Error(`${editFile} has no replicas field to edit`);
  const line = text.slice(0, editAt).split('\n').length - 1;
  const editPos = { line, character: editAt - (text.lastIndexOf('\n', editAt - 1) + 1) };
  // The last named object of the file: far from the first `replicas:`, so in another object.
  const inEditFile = targets.filter((t) => t.file === editFile && t.start > editAt + 200);
  const editFileTarget = inEditFile[inEditFile.length - 1];
  if (!editFileTarget) throw new Error(`${editFile} has no second object to hover`);
  const others = spread(
    files.filter((f) => f !== editFile),
    OPEN_AT_START - 1,
  );
  return {
    workspaceDir,
    texts,
    hoverTargets: spread(targets, HOVERS),
    lensFiles: spread(files, LENS_FILES),
    editFile,
    editAt,
    editPos,
    editFileTarget,
    openAtStart: [editFile, ...others],
    edits: files.length > LARGE_WORKSPACE ? EDITS / 2 : EDITS,
  };
}

/** One server under test: how to start it and how it says its first index is done. */
interface Subject {
  name: 'floor' | 'kube-netpath';
  argv: string[];
  /** Whether to run the parts that only mean something for kube-netpath (analysis, typing bursts). */
  analyses: boolean;
}

/** Everything measured of one server, raw. */
interface Figures {
  startToOpenDiagnosed: number;
  startToIndexed: number;
  status?: StatusParams;
  hover: number[];
  answered: number;
  lens: number[];
  lenses: number;
  edit: number[];
  editHover: number[];
  editHoverAnswered: number;
  burst: number[];
  busyHover: number[];
  analyses: number[];
  rssMb: number | null;
}

async function drive(subject: Subject, plan: Plan): Promise<Figures> {
  const t0 = performance.now();
  const proc = spawn(process.execPath, subject.argv, { stdio: ['pipe', 'pipe', 'inherit'] });
  const conn: ProtocolConnection = createProtocolConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
  // The server may ask the client things; answer as VS Code would with default settings.
  conn.onRequest('window/workDoneProgress/create', () => null);
  conn.onRequest('client/registerCapability', () => null);
  conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => null));
  conn.onNotification('window/logMessage', () => undefined);
  conn.onNotification('$/progress', () => undefined);
  conn.onNotification('netpath/modelChanged', () => undefined);
  const analyses: number[] = [];
  let resolveIndexed: (s: StatusParams | undefined) => void = () => undefined;
  const indexed = new Promise<StatusParams | undefined>((res) => (resolveIndexed = res));
  conn.onNotification('netpath/status', (s: StatusParams) => {
    if (s.state !== 'ready') return;
    analyses.push(s.analysisMs);
    resolveIndexed(s);
  });
  conn.onNotification('floor/indexed', () => resolveIndexed(undefined));
  /** Waiters for each URI's next publish, called with its diagnostics (a waiter returns true when satisfied). */
  const waiters = new Map<string, ((d: { code?: unknown; range: { start: { line: number } } }[]) => boolean)[]>();
  conn.onNotification(PublishDiagnosticsNotification.type, (p) => {
    const list = waiters.get(p.uri);
    if (list)
      waiters.set(
        p.uri,
        list.filter((w) => !w(p.diagnostics)),
      );
  });
  const published = (uri: string, until: (d: { code?: unknown; range: { start: { line: number } } }[]) => boolean = () => true) =>
    new Promise<void>((res) =>
      waiters.set(uri, [
        ...(waiters.get(uri) ?? []),
        (d) => {
          if (!until(d)) return false;
          res();
          return true;
        },
      ]),
    );
  conn.listen();

  const rootUri = pathToFileURL(plan.workspaceDir).toString();
  await conn.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri,
    workspaceFolders: [{ uri: rootUri, name: 'bench' }],
    capabilities: { window: { workDoneProgress: true }, workspace: { configuration: true, workspaceFolders: true } },
  });
  await conn.sendNotification(InitializedNotification.type, {});
  // Cold start: the editor had documents open; they are sent at once, as VS Code does on a restart.
  const openDiagnosed = plan.openAtStart.map((f) => published(pathToFileURL(f).toString()));
  for (const f of plan.openAtStart)
    await conn.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri: pathToFileURL(f).toString(), languageId: 'yaml', version: 1, text: plan.texts.get(f)! },
    });
  await Promise.all(openDiagnosed);
  const startToOpenDiagnosed = performance.now() - t0;
  const status = await indexed;
  const startToIndexed = performance.now() - t0;

  const hover: number[] = [];
  let answered = 0;
  for (const t of plan.hoverTargets) {
    const h0 = performance.now();
    const res = await conn.sendRequest(HoverRequest.type, { textDocument: { uri: t.uri }, position: { line: t.line, character: t.character } });
    hover.push(performance.now() - h0);
    if (res) answered++;
  }

  const lens: number[] = [];
  let lenses = 0;
  for (const f of plan.lensFiles) {
    const l0 = performance.now();
    const res = await conn.sendRequest(CodeLensRequest.type, { textDocument: { uri: pathToFileURL(f).toString() } });
    lens.push(performance.now() - l0);
    lenses += res?.length ?? 0;
  }

  // Edit -> diagnostics: one replica count changed per edit, each after the previous edit's diagnostics.
  const editUri = pathToFileURL(plan.editFile).toString();
  let text = plan.texts.get(plan.editFile)!;
  let version = 1;
  /** Replaces the replica count with `value` in the open document, as one ranged change (as VS Code sends it). */
  const setReplicas = async (value: string): Promise<void> => {
    const oldLen = text.indexOf('\n', plan.editAt) - plan.editAt;
    text = `${text.slice(0, plan.editAt)}${value}${text.slice(plan.editAt + oldLen)}`;
    const { line, character } = plan.editPos;
    const range = { start: { line, character }, end: { line, character: character + oldLen } };
    await conn.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: editUri, version: ++version },
      contentChanges: [{ range, text: value }],
    });
  };
  const analysesBefore = analyses.length;
  const edit: number[] = [];
  let lastEdit = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < plan.edits; i++) {
    // Each edit after a quiet spell (no change for the server's debounce), as its note says: an edit sooner than
    // that after the previous one is, by the setting's contract, part of a burst and waits the debounce.
    await sleep(Math.max(0, lastEdit + QUIET_MS - performance.now()));
    const e0 = performance.now();
    lastEdit = e0;
    const done = published(editUri);
    await setReplicas(String((i % 3) + 1));
    await done;
    edit.push(performance.now() - e0);
  }
  const editAnalyses = analyses.slice(analysesBefore);

  // Edit -> hover: a hover on another object of the edited file sent right behind the edit.
  const editHover: number[] = [];
  let editHoverAnswered = 0;
  const ht = plan.editFileTarget;
  for (let i = 0; i < plan.edits; i++) {
    const done = published(editUri);
    const e0 = performance.now();
    await setReplicas(String((i % 3) + 1));
    const res = await conn.sendRequest(HoverRequest.type, { textDocument: { uri: ht.uri }, position: { line: ht.line, character: ht.character } });
    editHover.push(performance.now() - e0);
    if (res) editHoverAnswered++;
    await done;
  }

  const burst: number[] = [];
  const busyHover: number[] = [];
  if (subject.analyses) {
    // Typing bursts: keystrokes KEY_GAP_MS apart, timed from the last one to the diagnostics of the final text.
    // Only the last keystroke of a burst flips whether the value is valid (`3x` is an IN-3 error), so the
    // diagnostics that satisfy the wait are those of the final text, not of the analysis the first keystroke got.
    for (let b = 0; b < plan.edits / 2; b++) {
      const endInvalid = b % 2 === 0;
      const values = [...Array.from({ length: BURST_KEYS - 1 }, (_, k) => `${k + 1}${endInvalid ? '' : 'x'}`), endInvalid ? '3x' : '3'];
      const final = published(editUri, (d) => d.some((x) => x.code === 'invalid-field' && x.range.start.line === plan.editPos.line) === endInvalid);
      let last = 0;
      for (const value of values) {
        await setReplicas(value);
        last = performance.now();
        if (value !== values[values.length - 1]) await sleep(KEY_GAP_MS);
      }
      await final;
      burst.push(performance.now() - last);
    }
    // Hovers while an analysis runs: an edit, then a hover on another file 30 ms into its analysis.
    const other = plan.hoverTargets.find((t) => t.uri !== editUri) ?? plan.hoverTargets[0]!;
    for (let i = 0; i < plan.edits; i++) {
      // After a quiet spell, so that the analysis starts at once and the hover lands 30 ms into it, not into
      // the debounce of an edit that came too soon after the last one.
      await sleep(QUIET_MS);
      const done = published(editUri);
      await setReplicas(String((i % 3) + 1));
      await sleep(30);
      const h0 = performance.now();
      await conn.sendRequest(HoverRequest.type, { textDocument: { uri: other.uri }, position: { line: other.line, character: other.character } });
      busyHover.push(performance.now() - h0);
      await done;
    }
  }

  const rssMb = peakRssMb(proc.pid!);
  await conn.sendRequest(ShutdownRequest.type);
  await conn.sendNotification(ExitNotification.type);
  conn.dispose();
  proc.kill();
  return {
    startToOpenDiagnosed,
    startToIndexed,
    ...(status ? { status } : {}),
    hover: sortedCopy(hover),
    answered,
    lens: sortedCopy(lens),
    lenses,
    edit: sortedCopy(edit),
    editHover: sortedCopy(editHover),
    editHoverAnswered,
    burst: sortedCopy(burst),
    busyHover: sortedCopy(busyHover),
    analyses: sortedCopy(editAnalyses),
    rssMb,
  };
}

const fmt = (ms: number): string => (ms >= 100 ? ms.toFixed(0) : ms >= 1 ? ms.toFixed(1) : ms.toFixed(2));

/** One issue-13 target: kube-netpath's figure against a budget of `max` times a reference figure. */
function verdict(step: string, ours: number, reference: number, max: number, referenceName: string, unit = 'ms'): BenchRow {
  const ratio = ours / reference;
  const ok = ratio <= max;
  return {
    step,
    ms: unit === 'ms' ? ours : null,
    note: `${unit === 'ms' ? '' : `${fmt(ours)} ${unit}; `}${referenceName} ${fmt(reference)} ${unit}; ratio ${ratio.toFixed(2)}x; target <= ${max}x; ${ok ? 'ok' : 'MISS'}`,
  };
}

/** Drives the floor, then kube-netpath, over `workspaceDir`; the figures other tools read, then issue 13's targets. */
export async function benchLsp(workspaceDir: string, files: readonly string[]): Promise<BenchRow[]> {
  const plan = makePlan(workspaceDir, files);
  const floor = await drive({ name: 'floor', argv: [join(__dirname, 'floor-server.js'), '--stdio'], analyses: false }, plan);
  const ours = await drive({ name: 'kube-netpath', argv: [...SERVER_EXEC_ARGV, join(__dirname, '..', 'server.js'), '--stdio'], analyses: true }, plan);
  const p = percentile;
  const rel = plan.editFile.slice(workspaceDir.length + 1);
  const rows: BenchRow[] = [
    {
      step: 'lsp cold index',
      ms: ours.startToIndexed,
      note: `spawn to first 'ready': ${ours.status?.files ?? '?'} files, ${ours.status?.resources ?? '?'} resources (floor: spawn to all files read ${fmt(floor.startToIndexed)} ms)`,
    },
    { step: 'lsp hover p50', ms: p(ours.hover, 50), note: `${ours.hover.length} hovers on Service/Deployment names, ${ours.answered} answered` },
    { step: 'lsp hover p95', ms: p(ours.hover, 95), note: 'target <= 5 ms' },
    {
      step: 'lsp hover mid-analysis p95',
      ms: p(ours.busyHover, 95),
      note: `${ours.busyHover.length} hovers sent 30 ms into the analysis of an edit (p50 ${fmt(p(ours.busyHover, 50))} ms)`,
    },
    { step: 'lsp code lens p95', ms: p(ours.lens, 95), note: `${ours.lens.length} files, ${ours.lenses} lenses` },
    { step: 'lsp edit->diag p50', ms: p(ours.edit, 50), note: `${plan.edits} edits of ${rel} (each after a quiet spell, analysed at once)` },
    { step: 'lsp edit->diag p95', ms: p(ours.edit, 95), note: '' },
    {
      step: 'lsp edit->hover p50',
      ms: p(ours.editHover, 50),
      note: `${plan.edits} hovers on another object of the edited file, sent right behind the edit (${ours.editHoverAnswered} answered)`,
    },
    {
      step: 'lsp typing burst p50',
      ms: p(ours.burst, 50),
      note: `${plan.edits / 2} bursts of ${BURST_KEYS} keystrokes ${KEY_GAP_MS} ms apart: last keystroke -> diagnostics of the final text (debounce included)`,
    },
    { step: 'lsp typing burst p95', ms: p(ours.burst, 95), note: '' },
    {
      step: 'lsp re-analysis p50',
      ms: p(ours.analyses, 50),
      note: `the server's own analysis time per edit (parse of the changed piece + model build), of ${ours.analyses.length}`,
    },
    { step: 'lsp peak RSS', ms: null, note: ours.rssMb === null ? 'unknown (no /proc)' : `${ours.rssMb.toFixed(0)} MB` },
    {
      step: 'floor (parse-only server)',
      ms: null,
      note: `hover p50 ${fmt(p(floor.hover, 50))} ms (${floor.answered} answered); ${floor.lenses} lenses; edit->hover answered ${floor.editHoverAnswered}`,
    },
    // Issue 13's targets, each against the floor measured in the same run.
    verdict('vs floor: edit->diag p50', p(ours.edit, 50), p(floor.edit, 50), 0.5, 'floor'),
    verdict('vs floor: edit->diag p95', p(ours.edit, 95), p(floor.edit, 95), 1, 'floor'),
    verdict('vs floor: edit->hover p50', p(ours.editHover, 50), p(floor.editHover, 50), 0.1, 'floor'),
    verdict('vs idle: hover mid-analysis p95', p(ours.busyHover, 95), p(ours.hover, 95), 2, 'idle hover p95'),
    verdict('vs floor: code lens p95', p(ours.lens, 95), p(floor.lens, 95), 2, 'floor'),
    verdict('vs floor: start->open diagnosed', ours.startToOpenDiagnosed, floor.startToOpenDiagnosed, 2, 'floor'),
  ];
  if (ours.rssMb !== null && floor.rssMb !== null) rows.push(verdict('vs floor: peak RSS', ours.rssMb, floor.rssMb, 2, 'floor', 'MB'));
  return rows;
}
