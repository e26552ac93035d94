// Server layer (LSP glue): wires a connection to the workspace and the features. May import vscode-languageserver,
// node:fs, the model (through workspace/features) and shared/; must not import vscode or the client.
// Everything beyond translation lives in the model; each feature is one file under features/.
import { readFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CodeActionKind,
  DiagnosticSeverity,
  type Diagnostic,
  DidChangeConfigurationNotification,
  TextDocumentSyncKind,
  TextDocuments,
  type Connection,
  type InitializeParams,
  type InitializeResult,
  type WorkspaceFolder,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { NetpathSettings, Notifications, Requests } from '../../shared/protocol';
import { canonicalUri, Workspace, type Snapshot } from './workspace';
import { excludeMatcher, findManifests } from './workspaceScan';
import { diagnosticsByUri } from './features/diagnostics';
import { hover } from './features/hover';
import { codeLenses } from './features/codeLens';
import { definition } from './features/definition';
import { references } from './features/references';
import { codeActions } from './features/codeActions';
import { traceTargets } from './features/traceTargets';
import { trace } from './features/trace';
import { rulesDocument, ruleHref, type RulesDocument } from './features/ruleLinks';

export const DEFAULT_SETTINGS: NetpathSettings = {
  hover: { enabled: true },
  codeLens: { enabled: true },
  diagnostics: { enabled: true },
  cluster: {},
  debounceMs: 100,
};
/** Manifests larger than this are generated dumps, not something a person edits; skipping protects memory. */
const MAX_FILE_BYTES = 4 * 1024 * 1024;

/** IN-1: every manifest counts, so one the server will not read says why (open it to have it read anyway). */
function tooLargeDiagnostic(bytes: number, rules: RulesDocument | undefined): Diagnostic {
  const href = ruleHref(rules, 'IN-1');
  return {
    ...(href ? { codeDescription: { href } } : {}),
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: DiagnosticSeverity.Information,
    code: 'file-too-large',
    source: 'kube-netpath',
    message: `Not read: ${(bytes / 1024 / 1024).toFixed(1)} MB is more than the ${MAX_FILE_BYTES / 1024 / 1024} MB kube-netpath reads from disk (generated dumps are rarely edited); its objects are not in the model. Open the file to have it read. (IN-1)`,
  };
}

export interface ServerHandle {
  workspace: Workspace;
  /** Resolves when the first index of the workspace folders has finished (tests and the bench wait on it). */
  indexed: Promise<void>;
}

export interface ServerOptions {
  /** Path of docs/rules.md (the copy shipped beside dist/server.js): diagnostics link their rule there. */
  rulesDocument?: string;
}

/** The rule reference, read once; a missing or unreadable file only means diagnostics carry no link. */
function loadRules(path: string | undefined): RulesDocument | undefined {
  if (!path) return undefined;
  try {
    return rulesDocument(pathToFileURL(path).toString(), readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

export function startServer(connection: Connection, options: ServerOptions = {}): ServerHandle {
  const rules = loadRules(options.rulesDocument);
  const documents = new TextDocuments(TextDocument);
  const workspace = new Workspace();
  let settings: NetpathSettings = DEFAULT_SETTINGS;
  let folders: WorkspaceFolder[] = [];
  let canConfigure = false;
  let canProgress = false;
  let isExcluded: (rel: string) => boolean = () => false;
  /** `files.exclude` as last read (JSON), to notice when it changes; undefined before the first read. */
  let excludeKey: string | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** Manifests on disk too large to read (bytes by URI): they get one diagnostic saying so, instead of silence. */
  const tooLarge = new Map<string, number>();
  /** What was last sent per file (serialized), to send only changes. */
  let published = new Map<string, string>();
  /** Documents edited since the last publish: they always get a publish, so a client sees its edit was analysed. */
  const touched = new Set<string>();
  let indexing = true;
  let resolveIndexed: () => void = () => undefined;
  const indexed = new Promise<void>((r) => (resolveIndexed = r));

  const notify = <M extends keyof Notifications>(method: M, params: Notifications[M]) => void connection.sendNotification(method, params);
  const onRequest = <M extends keyof Requests>(method: M, handler: (p: Requests[M]['params']) => Requests[M]['result'] | Promise<Requests[M]['result']>) =>
    connection.onRequest(method, handler);

  /** The snapshot for a request on `uri`: if that document changed since, analyse now so positions line up. */
  const current = (uri?: string): Snapshot => {
    const snap = workspace.snapshot;
    if (!workspace.isDirty || !uri) return snap;
    const doc = documents.get(uri);
    if (doc && snap.texts.get(canonicalUri(uri)) !== doc.getText()) return flush();
    return snap;
  };

  /** An analysis running in the background, a model stage per turn of the event loop. */
  let running: Generator<void, Snapshot, void> | undefined;
  /** Drops the background analysis: an edit made it stale, or a request needs the result now. */
  const stopBackground = (): boolean => {
    if (!running) return false;
    running.return(workspace.snapshot);
    running = undefined;
    workspace.abandon();
    return true;
  };

  /** Analyses now, to the end: for requests that must see the latest text, and the end of indexing. */
  const flush = (): Snapshot => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    stopBackground();
    const changed = workspace.isDirty;
    const snap = workspace.analyze();
    if (changed && !indexing) publish(snap);
    return snap;
  };

  /**
   * An edit after a quiet spell (no change for `debounceMs`) is analysed at once: a user who changes
   * one value and looks should not wait out a debounce. Changes that follow within `debounceMs` of
   * the previous one (typing, a checkout touching many files) are coalesced into one analysis after
   * the burst. The first analysis still runs on a timer (0 ms), so the rest of a batch of
   * notifications that arrived together lands before it and joins the next one.
   */
  let lastChange = Number.NEGATIVE_INFINITY;
  const schedule = () => {
    const now = performance.now();
    // A change during an analysis makes it stale: it is dropped, and the change counts as part of a burst.
    const wasRunning = stopBackground();
    const quiet = !wasRunning && timer === undefined && now - lastChange >= settings.debounceMs;
    lastChange = now;
    if (timer) clearTimeout(timer);
    timer = setTimeout(analyseInBackground, quiet ? 0 : settings.debounceMs);
  };

  /**
   * Analyses a stage per turn of the event loop (setImmediate lets the messages that arrived in the
   * meantime in first): hovers and lenses are answered from the last snapshot meanwhile, instead of
   * waiting for the whole analysis, and an edit drops a stale analysis instead of queueing behind it.
   */
  const analyseInBackground = () => {
    timer = undefined;
    if (!workspace.isDirty) return;
    const steps = workspace.analysisSteps();
    running = steps;
    const step = () => {
      if (running !== steps) return; // dropped
      const r = steps.next();
      if (!r.done) {
        // Two hops: a request read from the socket while this stage ran queues its own setImmediate
        // during the next poll; the first hop lets it run before the next stage starts.
        setImmediate(() => setImmediate(step));
        return;
      }
      running = undefined;
      if (!indexing) publish(r.value);
    };
    step();
  };

  const publish = (snap: Snapshot) => {
    const byUri = settings.diagnostics.enabled ? diagnosticsByUri(snap, rules) : new Map<string, Diagnostic[]>();
    if (settings.diagnostics.enabled) {
      for (const [uri, bytes] of tooLarge) if (!workspace.has(uri)) byUri.set(uri, [tooLargeDiagnostic(bytes, rules)]);
    }
    // Only files whose diagnostics changed are sent: on a workspace of thousands of files an edit touches few,
    // and one notification per file per keystroke would swamp the client.
    const next = new Map<string, string>();
    for (const [uri, diagnostics] of byUri) {
      const key = JSON.stringify(diagnostics);
      next.set(uri, key);
      if (published.get(uri) !== key || touched.has(uri)) void connection.sendDiagnostics({ uri, diagnostics });
    }
    for (const uri of published.keys()) if (!next.has(uri)) void connection.sendDiagnostics({ uri, diagnostics: [] });
    for (const uri of touched) if (!next.has(uri) && !published.has(uri)) void connection.sendDiagnostics({ uri, diagnostics: [] });
    touched.clear();
    published = next;
    const m = snap.model;
    let errors = 0;
    let warnings = 0;
    for (const d of m.diagnostics) {
      if (d.severity === 'error') errors++;
      else if (d.severity === 'warning') warnings++;
    }
    notify('netpath/status', {
      state: 'ready',
      files: snap.files.size,
      resources: m.resources.length,
      pods: m.pods.length,
      services: m.services.length,
      errors,
      warnings,
      analysisMs: snap.analysisMs,
    });
    notify('netpath/modelChanged', { version: snap.version });
  };

  /** Reads the settings; true when `files.exclude` changed since the last read. */
  const loadSettings = async (): Promise<boolean> => {
    if (!canConfigure) return false;
    const [netpath, exclude] = (await connection.workspace.getConfiguration([{ section: 'netpath' }, { section: 'files.exclude' }])) as [
      Partial<NetpathSettings> | null,
      Record<string, unknown> | null,
    ];
    settings = {
      ...DEFAULT_SETTINGS,
      ...(netpath ?? {}),
      hover: { ...DEFAULT_SETTINGS.hover, ...(netpath?.hover ?? {}) },
      codeLens: { ...DEFAULT_SETTINGS.codeLens, ...(netpath?.codeLens ?? {}) },
      diagnostics: { ...DEFAULT_SETTINGS.diagnostics, ...(netpath?.diagnostics ?? {}) },
      cluster: { ...(netpath?.cluster ?? {}) },
    };
    isExcluded = excludeMatcher(exclude ?? {});
    const nextExcludeKey = JSON.stringify(exclude ?? {});
    const excludeChanged = excludeKey !== undefined && excludeKey !== nextExcludeKey;
    excludeKey = nextExcludeKey;
    // The settings' cluster fields are the profile when the workspace has no netpath.cluster.yaml (CL-1).
    const fields = Object.fromEntries(Object.entries(settings.cluster).filter(([, v]) => v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0)));
    workspace.setSettingsProfile(Object.keys(fields).length ? fields : undefined);
    return excludeChanged;
  };

  const relToFolder = (path: string): string | undefined => {
    for (const f of folders) {
      const root = fileURLToPath(f.uri);
      if (path === root || path.startsWith(root + '/')) return path.slice(root.length + 1);
    }
    return undefined;
  };

  const readManifest = async (path: string): Promise<string | undefined> => {
    const uri = canonicalUri(pathToFileURL(path).toString());
    tooLarge.delete(uri);
    try {
      const { size } = await stat(path);
      if (size > MAX_FILE_BYTES) {
        tooLarge.set(uri, size);
        return undefined;
      }
      return await readFile(path, 'utf8');
    } catch {
      return undefined;
    }
  };

  /**
   * After `files.exclude` changed: forget the manifests it now hides and read the ones it no longer
   * hides. Open documents stay in the model whatever the setting (their overlay wins).
   */
  const rescanFolders = async () => {
    const wanted = new Set<string>();
    for (const f of folders) for (const p of await findManifests(fileURLToPath(f.uri), isExcluded)) wanted.add(canonicalUri(pathToFileURL(p).toString()));
    for (const uri of workspace.uris()) if (!wanted.has(uri)) workspace.setDisk(uri, undefined);
    for (const uri of [...tooLarge.keys()]) if (!wanted.has(uri)) tooLarge.delete(uri); // now excluded: no longer ours to report
    for (const uri of wanted) {
      if (workspace.has(uri)) continue;
      const text = await readManifest(fileURLToPath(uri));
      if (text !== undefined) workspace.setDisk(uri, text);
    }
  };

  const indexFolders = async () => {
    const progress = canProgress ? await connection.window.createWorkDoneProgress() : undefined;
    progress?.begin('kube-netpath: indexing manifests', 0, undefined, false);
    const paths: string[] = [];
    for (const f of folders) paths.push(...(await findManifests(fileURLToPath(f.uri), isExcluded)));
    notify('netpath/status', { state: 'indexing', files: paths.length, resources: 0, pods: 0, services: 0, errors: 0, warnings: 0, analysisMs: 0 });
    // Reads in parallel batches: thousands of sequential awaits cost more than the I/O itself.
    const BATCH = 64;
    for (let i = 0; i < paths.length; i += BATCH) {
      const batch = paths.slice(i, i + BATCH);
      const texts = await Promise.all(batch.map(readManifest));
      batch.forEach((p, j) => {
        const text = texts[j];
        if (text !== undefined) workspace.setDisk(pathToFileURL(p).toString(), text);
      });
      progress?.report(Math.round(((i + batch.length) / paths.length) * 100), `${i + batch.length}/${paths.length} files`);
    }
    indexing = false;
    progress?.done();
    // flush() publishes only when something changed; an empty workspace still says it is ready.
    const changed = workspace.isDirty;
    flush();
    if (!changed) publish(workspace.snapshot);
    resolveIndexed();
  };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    canConfigure = params.capabilities.workspace?.configuration === true;
    canProgress = params.capabilities.window?.workDoneProgress === true;
    folders = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: 'root' }] : []);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: false },
        hoverProvider: true,
        codeLensProvider: { resolveProvider: false },
        definitionProvider: true,
        referencesProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'kube-netpath' },
    };
  });

  connection.onInitialized(async () => {
    if (canConfigure) void connection.client.register(DidChangeConfigurationNotification.type, { section: ['netpath', 'files'] });
    await loadSettings();
    await indexFolders();
  });

  connection.onNotification('workspace/didChangeWorkspaceFolders', async (p: { event: { added: WorkspaceFolder[]; removed: WorkspaceFolder[] } }) => {
    const removed = new Set(p.event.removed.map((f) => f.uri));
    folders = [...folders.filter((f) => !removed.has(f.uri)), ...p.event.added];
    for (const uri of workspace.uris()) {
      if (p.event.removed.some((f) => uri.startsWith(canonicalUri(f.uri) + '/'))) workspace.setDisk(uri, undefined);
    }
    for (const uri of [...tooLarge.keys()]) if (p.event.removed.some((f) => uri.startsWith(canonicalUri(f.uri) + '/'))) tooLarge.delete(uri);
    for (const f of p.event.added) {
      for (const path of await findManifests(fileURLToPath(f.uri), isExcluded)) {
        const text = await readManifest(path);
        if (text !== undefined) workspace.setDisk(pathToFileURL(path).toString(), text);
      }
    }
    schedule();
  });

  connection.onDidChangeConfiguration(async () => {
    if ((await loadSettings()) && !indexing) await rescanFolders();
    schedule();
  });

  connection.onDidChangeWatchedFiles(async ({ changes }) => {
    for (const c of changes) {
      const path = c.uri.startsWith('file:') ? fileURLToPath(c.uri) : undefined;
      if (!path || !/\.ya?ml$/i.test(path) || /\/node_modules\//.test(path)) continue;
      const rel = relToFolder(path);
      if (rel === undefined || isExcluded(rel)) continue;
      if (c.type === 3 /* Deleted */) tooLarge.delete(canonicalUri(c.uri));
      workspace.setDisk(c.uri, c.type === 3 /* Deleted */ ? undefined : await readManifest(path));
    }
    schedule();
  });

  documents.onDidChangeContent(({ document }) => {
    touched.add(canonicalUri(document.uri));
    workspace.setOpen(document.uri, document.getText());
    schedule();
  });
  documents.onDidClose(({ document }) => {
    workspace.setOpen(document.uri, undefined);
    schedule();
  });

  // Routing table: one line per request. Features are pure functions of (snapshot, params[, settings]).
  connection.onHover((p) => (settings.hover.enabled ? hover(current(p.textDocument.uri), p) : null));
  connection.onCodeLens((p) => (settings.codeLens.enabled ? codeLenses(current(p.textDocument.uri), p) : []));
  connection.onDefinition((p) => definition(current(p.textDocument.uri), p));
  connection.onReferences((p) => references(current(p.textDocument.uri), p));
  connection.onCodeAction((p) => codeActions(current(p.textDocument.uri), p));
  onRequest('netpath/traceTargets', (p) => traceTargets(current(p.uri), p));
  onRequest('netpath/trace', (p) => trace(current(), p));

  documents.listen(connection);
  return { workspace, indexed };
}
