// Bench layer (Node script, bundled to dist/bench/lsp.js, loaded by bench.ts): drives the built language
// server (dist/server.js) over stdio, as an editor would, and times what a user feels. May import the model
// (to find positions) and vscode-languageserver-protocol; must not import vscode.
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
import type { StatusParams } from '../shared/protocol';
import { SERVER_EXEC_ARGV } from '../shared/serverProcess';
import type { BenchRow } from './bench';

const HOVERS = 300;
const LENS_FILES = 100;
const EDITS = 20;
const BURSTS = 10;
const BURST_KEYS = 4;
const KEY_GAP_MS = 50;
const BUSY_HOVERS = 20;

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

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

export async function benchLsp(workspaceDir: string, files: readonly string[]): Promise<BenchRow[]> {
  const serverJs = join(__dirname, '..', 'server.js');
  const t0 = performance.now();
  const proc = spawn(process.execPath, [...SERVER_EXEC_ARGV, serverJs, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const conn: ProtocolConnection = createProtocolConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
  // The server may ask the client things; answer as VS Code would with default settings.
  conn.onRequest('window/workDoneProgress/create', () => null);
  conn.onRequest('client/registerCapability', () => null);
  conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => null));
  conn.onNotification('window/logMessage', () => undefined);
  conn.onNotification('$/progress', () => undefined);
  const analysisTimes: number[] = [];
  const ready = new Promise<StatusParams>((res) => {
    conn.onNotification('netpath/status', (s: StatusParams) => {
      if (s.state !== 'ready') return;
      analysisTimes.push(s.analysisMs);
      res(s);
    });
  });
  const diagnosticsWaiters = new Map<string, () => void>();
  /** Called with each publish's diagnostics for a URI, for waits that depend on their content. */
  const diagnosticsCheck = new Map<string, (d: { code?: unknown; range: { start: { line: number } } }[]) => void>();
  conn.onNotification(PublishDiagnosticsNotification.type, (p) => {
    diagnosticsWaiters.get(p.uri)?.();
    diagnosticsCheck.get(p.uri)?.(p.diagnostics);
  });
  conn.listen();

  const rootUri = pathToFileURL(workspaceDir).toString();
  await conn.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri,
    workspaceFolders: [{ uri: rootUri, name: 'bench' }],
    capabilities: { window: { workDoneProgress: true }, workspace: { configuration: true, workspaceFolders: true } },
  });
  await conn.sendNotification(InitializedNotification.type, {});
  const status = await ready;
  const coldIndex = performance.now() - t0;

  // Hover targets: Service and Deployment names, spread over the workspace.
  const texts = new Map(files.map((f) => [f, readFileSync(f, 'utf8')]));
  const targets: { uri: string; line: number; character: number }[] = [];
  for (const f of files) {
    const parsed = parseFile(f, texts.get(f)!);
    for (const r of parsed.resources as Resource[]) {
      if (r.kind !== 'Service' && r.kind !== 'Deployment') continue;
      const pos = offsetToPosition(parsed.lineStarts, nameSpan(r).start + 1);
      targets.push({ uri: pathToFileURL(f).toString(), ...pos });
    }
  }
  const hoverTimes: number[] = [];
  let answered = 0;
  for (const t of spread(targets, HOVERS)) {
    const h0 = performance.now();
    const res = await conn.sendRequest(HoverRequest.type, { textDocument: { uri: t.uri }, position: { line: t.line, character: t.character } });
    hoverTimes.push(performance.now() - h0);
    if (res) answered++;
  }
  hoverTimes.sort((a, b) => a - b);

  const lensTimes: number[] = [];
  let lenses = 0;
  for (const f of spread(files, LENS_FILES)) {
    const l0 = performance.now();
    const res = await conn.sendRequest(CodeLensRequest.type, { textDocument: { uri: pathToFileURL(f).toString() } });
    lensTimes.push(performance.now() - l0);
    lenses += res?.length ?? 0;
  }
  lensTimes.sort((a, b) => a - b);

  // Edit -> diagnostics: open the largest workload file and change one replica count per edit, as typing would.
  const editFile = [...files].filter((f) => /workloads/.test(f)).sort((a, b) => texts.get(b)!.length - texts.get(a)!.length)[0] ?? files[0]!;
  const editUri = pathToFileURL(editFile).toString();
  let text = texts.get(editFile)!;
  const opened = new Promise<void>((res) => diagnosticsWaiters.set(editUri, res));
  await conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: editUri, languageId: 'yaml', version: 1, text } });
  await Promise.race([opened, new Promise((r) => setTimeout(r, 2000))]);
  const editTimes: number[] = [];
  const analysesBefore = analysisTimes.length;
  // Edits are sent as ranges, as VS Code does for a server that asks for incremental sync.
  const at = text.indexOf('replicas: ') + 'replicas: '.length;
  if (at < 'replicas: '.length) throw new Error(`${editFile} has no replicas field to edit`);
  const line = text.slice(0, at).split('\n').length - 1;
  const character = at - (text.lastIndexOf('\n', at - 1) + 1);
  let version = 1;
  /** Replaces the replica count with `value` in the open document, as one ranged change. */
  const setReplicas = async (value: string): Promise<void> => {
    const oldLen = text.indexOf('\n', at) - at;
    text = `${text.slice(0, at)}${value}${text.slice(at + oldLen)}`;
    const range = { start: { line, character }, end: { line, character: character + oldLen } };
    await conn.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: editUri, version: ++version },
      contentChanges: [{ range, text: value }],
    });
  };
  for (let i = 0; i < EDITS; i++) {
    const e0 = performance.now();
    const published = new Promise<void>((res) => diagnosticsWaiters.set(editUri, res));
    await setReplicas(String((i % 3) + 1));
    await published;
    editTimes.push(performance.now() - e0);
  }
  editTimes.sort((a, b) => a - b);
  const editAnalyses = analysisTimes.slice(analysesBefore).sort((a, b) => a - b);

  // Typing bursts: keystrokes KEY_GAP_MS apart, timed from the last one to the diagnostics of the final text.
  // Only the last keystroke of a burst flips whether the value is valid (`3x` is an IN-3 error), so the
  // diagnostics that satisfy the wait are those of the final text, not of the analysis the first keystroke got.
  const burstTimes: number[] = [];
  for (let b = 0; b < BURSTS; b++) {
    const endInvalid = b % 2 === 0;
    const values = [...Array.from({ length: BURST_KEYS - 1 }, (_, k) => `${k + 1}${endInvalid ? '' : 'x'}`), endInvalid ? '3x' : '3'];
    let last = 0;
    for (const value of values) {
      await setReplicas(value);
      last = performance.now();
      if (value !== values[values.length - 1]) await new Promise((r) => setTimeout(r, KEY_GAP_MS));
    }
    await new Promise<void>((res) => {
      const check = (d: { code?: unknown; range: { start: { line: number } } }[]): void => {
        if (d.some((x) => x.code === 'invalid-field' && x.range.start.line === line) === endInvalid) res();
      };
      diagnosticsCheck.set(editUri, check);
    });
    burstTimes.push(performance.now() - last);
    diagnosticsCheck.delete(editUri);
  }
  burstTimes.sort((a, b) => a - b);

  // Hovers while an analysis runs: an edit, then a hover on another file 30 ms into its analysis. The
  // analysis runs a model stage per event-loop turn, so the hover waits for one stage, not the whole build.
  const busyHoverTimes: number[] = [];
  const other = targets.find((t) => t.uri !== editUri) ?? targets[0]!;
  for (let i = 0; i < BUSY_HOVERS; i++) {
    const published = new Promise<void>((res) => diagnosticsWaiters.set(editUri, res));
    await setReplicas(String((i % 3) + 1));
    await new Promise((r) => setTimeout(r, 30));
    const h0 = performance.now();
    await conn.sendRequest(HoverRequest.type, { textDocument: { uri: other.uri }, position: { line: other.line, character: other.character } });
    busyHoverTimes.push(performance.now() - h0);
    await published;
  }
  busyHoverTimes.sort((a, b) => a - b);

  const rss = peakRssMb(proc.pid!);
  await conn.sendRequest(ShutdownRequest.type);
  await conn.sendNotification(ExitNotification.type);
  conn.dispose();
  proc.kill();

  return [
    {
      step: 'lsp cold index',
      ms: coldIndex,
      note: `spawn to first 'ready': ${status.files} files, ${status.resources} resources (target <= 1.5x parse alone)`,
    },
    { step: 'lsp hover p50', ms: percentile(hoverTimes, 50), note: `${hoverTimes.length} hovers on Service/Deployment names, ${answered} answered` },
    { step: 'lsp hover p95', ms: percentile(hoverTimes, 95), note: 'target <= 5 ms' },
    {
      step: 'lsp hover mid-analysis p95',
      ms: percentile(busyHoverTimes, 95),
      note: `${busyHoverTimes.length} hovers sent 30 ms into the analysis of an edit (p50 ${percentile(busyHoverTimes, 50).toFixed(1)} ms)`,
    },
    { step: 'lsp code lens p95', ms: percentile(lensTimes, 95), note: `${lensTimes.length} files, ${lenses} lenses` },
    {
      step: 'lsp edit->diag p50',
      ms: percentile(editTimes, 50),
      note: `${EDITS} edits of ${editFile.slice(workspaceDir.length + 1)} (each after a quiet spell, analysed at once; target <= 300 ms)`,
    },
    { step: 'lsp edit->diag p95', ms: percentile(editTimes, 95), note: '' },
    {
      step: 'lsp typing burst p50',
      ms: percentile(burstTimes, 50),
      note: `${BURSTS} bursts of ${BURST_KEYS} keystrokes ${KEY_GAP_MS} ms apart: last keystroke -> diagnostics of the final text (debounce included)`,
    },
    { step: 'lsp typing burst p95', ms: percentile(burstTimes, 95), note: '' },
    {
      step: 'lsp re-analysis p50',
      ms: percentile(editAnalyses, 50),
      note: `the server's own analysis time per edit (parse of the changed piece + model build), of ${editAnalyses.length}`,
    },
    { step: 'lsp peak RSS', ms: null, note: rss === null ? 'unknown (no /proc)' : `${rss.toFixed(0)} MB (target <= 400 MB)` },
  ];
}
