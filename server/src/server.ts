// Server layer (LSP glue): wires a connection to the workspace and the features. May import vscode-languageserver,
// node:fs, the model (through workspace/features) and shared/; must not import vscode or the client.
// Everything beyond translation lives in the model; each feature is one file under features/.
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { resolve as resolvePath, sep } from 'node:path';
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
import { excludeMatcher, findManifests, isManifestName } from './workspaceScan';
import { readManifestFile, type SkippedFile } from './readManifest';
import { checkedDocumentConnection, fileEvents, folderChanges } from './protocolGuards';
import { diagnosticsByUri } from './features/diagnostics';
import { unsimulatedSummary } from './model/index';
import { hover } from './features/hover';
import { codeLenses } from './features/codeLens';
import { profileDraft } from './features/profileDraft';
import { networkTree } from './features/networkTree';
import { definition } from './features/definition';
import { references } from './features/references';
import { codeActions } from './features/codeActions';
import { traceTargets } from './features/traceTargets';
import { trace } from './features/trace';
import { environmentsStatus } from './features/environments';
import { rulesDocument, ruleHref, type RulesDocument } from './features/ruleLinks';

export const DEFAULT_SETTINGS: NetpathSettings = {
  hover: { enabled: true },
  codeLens: { enabled: true },
  diagnostics: { enabled: true },
  cluster: {},
  debounceMs: 100,
  kustomize: { roots: [] },
};
/**
 * IN-1: every manifest counts, so one the server did not read says why (readManifest.ts decides, with the
 * same rules as the CLI). A file too large for the disk reader is read once it is opened.
 */
function skippedDiagnostic(skipped: SkippedFile, rules: RulesDocument | undefined): Diagnostic {
  const href = ruleHref(rules, skipped.code === 'file-not-text' ? 'IN-2' : 'IN-1');
  return {
    ...(href ? { codeDescription: { href } } : {}),
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: skipped.severity === 'warning' ? DiagnosticSeverity.Warning : DiagnosticSeverity.Information,
    code: skipped.code,
    source: 'kube-netpath',
    message: skipped.code === 'file-too-large' ? skipped.message.replace(/ \(IN-1\)$/, ' Open the file to have it read. (IN-1)') : skipped.message,
  };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const flag = (section: unknown, fallback: boolean): boolean => (isRecord(section) && typeof section.enabled === 'boolean' ? section.enabled : fallback);

/** The `netpath.*` settings, each of the wrong type replaced by its default (a workspace's settings.json is untrusted). */
function checkedSettings(raw: unknown): NetpathSettings {
  const s = isRecord(raw) ? raw : {};
  const debounce = typeof s.debounceMs === 'number' && Number.isFinite(s.debounceMs) ? Math.min(5000, Math.max(0, s.debounceMs)) : DEFAULT_SETTINGS.debounceMs;
  return {
    hover: { enabled: flag(s.hover, DEFAULT_SETTINGS.hover.enabled) },
    codeLens: { enabled: flag(s.codeLens, DEFAULT_SETTINGS.codeLens.enabled) },
    diagnostics: { enabled: flag(s.diagnostics, DEFAULT_SETTINGS.diagnostics.enabled) },
    cluster: isRecord(s.cluster) ? { ...s.cluster } : {},
    debounceMs: debounce,
    // Untrusted workspace settings: only strings count, and not too many.
    kustomize: { roots: isRecord(s.kustomize) && Array.isArray(s.kustomize.roots) ? s.kustomize.roots.filter((x): x is string => typeof x === 'string').slice(0, 1000) : [] },
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
  let supportsFolderEvents = false;
  let isExcluded: (rel: string) => boolean = () => false;
  /** `files.exclude` as last read (JSON), to notice when it changes; undefined before the first read. */
  let excludeKey: string | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** Manifests on disk that were not read (too large, not text, not a regular file): one diagnostic each, instead of silence. */
  const skippedFiles = new Map<string, SkippedFile>();
  /** What was last sent per file (serialized), to send only changes. */
  let published = new Map<string, string>();
  /** Documents edited since the last publish: they always get a publish, so a client sees its edit was analysed. */
  const touched = new Set<string>();
  let indexing = true;
  let resolveIndexed: () => void = () => undefined;
  const indexed = new Promise<void>((r) => (resolveIndexed = r));

  // A send fails once the client has gone (the connection is disposed): nothing to tell anyone then, and an
  // unhandled rejection must not be what ends the process.
  // (A disposed connection throws at once; a closing one rejects later.)
  const ignoreGone = (send: () => Promise<unknown>): void => {
    try {
      void send().catch(() => undefined);
    } catch {
      // the client is gone
    }
  };
  const notify = <M extends keyof Notifications>(method: M, params: Notifications[M]) => ignoreGone(() => connection.sendNotification(method, params));
  const sendDiagnostics = (uri: string, diagnostics: Diagnostic[]) => ignoreGone(() => connection.sendDiagnostics({ uri, diagnostics }));
  const onRequest = <M extends keyof Requests>(method: M, handler: (p: Requests[M]['params']) => Requests[M]['result'] | Promise<Requests[M]['result']>) =>
    connection.onRequest(method, handler);

  /** Logs a failure that was contained (a handler, an analysis): the server goes on with its last good model. */
  const logFailure = (what: string, e: unknown): void => {
    const detail = e instanceof Error ? (e.stack ?? e.message) : String(e);
    connection.console.error(`kube-netpath: ${what} failed; keeping the last good model. ${detail.slice(0, 2000)}`);
  };
  /** Wraps a handler so that a throw (or a rejected promise) is logged and answered with `fallback`. */
  const contained = <P, R>(what: string, fallback: R, handler: (p: P) => R | Promise<R>) => async (p: P): Promise<R> => {
    try {
      return await handler(p);
    } catch (e) {
      logFailure(what, e);
      return fallback;
    }
  };

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
    let snap: Snapshot;
    try {
      snap = workspace.analyze();
    } catch (e) {
      // A failing analysis must not take the server down: keep answering from the last good model.
      logFailure('analysis', e);
      workspace.abandon();
      return workspace.snapshot;
    }
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
      let r: IteratorResult<void, Snapshot>;
      try {
        r = steps.next();
      } catch (e) {
        // Contained like flush(): the last good snapshot stays, the next edit tries again.
        logFailure('background analysis', e);
        running = undefined;
        workspace.abandon();
        return;
      }
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

  let lastUnsimulated: string | null = null;
  const publish = (snap: Snapshot) => {
    const byUri = settings.diagnostics.enabled ? diagnosticsByUri(snap, rules) : new Map<string, Diagnostic[]>();
    if (settings.diagnostics.enabled) {
      for (const [uri, skipped] of skippedFiles) if (!workspace.has(uri)) byUri.set(uri, [skippedDiagnostic(skipped, rules)]);
    }
    // Only files whose diagnostics changed are sent: on a workspace of thousands of files an edit touches few,
    // and one notification per file per keystroke would swamp the client.
    const next = new Map<string, string>();
    for (const [uri, diagnostics] of byUri) {
      const key = JSON.stringify(diagnostics);
      next.set(uri, key);
      if (published.get(uri) !== key || touched.has(uri)) sendDiagnostics(uri, diagnostics);
    }
    for (const uri of published.keys()) if (!next.has(uri)) sendDiagnostics(uri, []);
    for (const uri of touched) if (!next.has(uri) && !published.has(uri)) sendDiagnostics(uri, []);
    touched.clear();
    published = next;
    void readKustomizeInputs(snap);
    const m = snap.model;
    // IN-6: once per workspace state, which kinds were read but not simulated (the CLI's check says the same).
    const unsimulated = unsimulatedSummary(m.resources);
    if (unsimulated && unsimulated !== lastUnsimulated) connection.console.info(`kube-netpath: ${unsimulated}`);
    lastUnsimulated = unsimulated;
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
      ...environmentsStatus(snap),
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
    settings = checkedSettings(netpath);
    // The workspace's own settings are untrusted: a pattern that cannot be used is ignored and said in the output.
    isExcluded = excludeMatcher(isRecord(exclude) ? exclude : {}, (pattern, why) => connection.console.warn(`kube-netpath: files.exclude pattern ${JSON.stringify(pattern.slice(0, 200))} ignored: ${why}`));
    const nextExcludeKey = JSON.stringify(exclude ?? {});
    const excludeChanged = excludeKey !== undefined && excludeKey !== nextExcludeKey;
    excludeKey = nextExcludeKey;
    // The settings' cluster fields are the profile when the workspace has no netpath.cluster.yaml (CL-1).
    const fields = Object.fromEntries(Object.entries(settings.cluster).filter(([, v]) => v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0)));
    workspace.setSettingsProfile(Object.keys(fields).length ? fields : undefined);
    workspace.setKustomizeRoots(settings.kustomize.roots);
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
    skippedFiles.delete(uri);
    const read = await readManifestFile(path);
    if (read && 'skipped' in read) {
      skippedFiles.set(uri, read.skipped);
      return undefined;
    }
    return read?.text;
  };

  /**
   * IN-1: files a kustomization reads that the scan does not (a generator's `.env` or `.properties`)
   * are read once each and given to the model as kustomize inputs only; then it analyses again.
   */
  const triedKustomizeInputs = new Set<string>();
  const readKustomizeInputs = async (snap: Snapshot) => {
    // Only files inside the workspace's folders: a cloned repository's kustomization must not make the server read
    // the user's other files (kustomize's own default load restrictor keeps generator inputs inside the root, too).
    const inside = (u: string): boolean => {
      try {
        const path = resolvePath(fileURLToPath(u));
        return folders.some((f) => path.startsWith(`${resolvePath(fileURLToPath(f.uri))}${sep}`));
      } catch {
        return false; // not a local file URI
      }
    };
    const fresh = snap.kustomizeWanted.filter((u) => u.startsWith('file:') && !isManifestName(u) && !triedKustomizeInputs.has(u) && inside(u));
    let added = false;
    for (const uri of fresh) {
      if (triedKustomizeInputs.size >= 10_000) break; // a hostile kustomization naming endless files
      triedKustomizeInputs.add(uri);
      let read;
      try {
        read = await readManifestFile(fileURLToPath(uri));
      } catch {
        continue;
      }
      if (read && 'text' in read) {
        workspace.setAuxiliary(uri, read.text);
        added = true;
      }
    }
    if (added) schedule();
  };

  /**
   * After `files.exclude` changed: forget the manifests it now hides and read the ones it no longer
   * hides. Open documents stay in the model whatever the setting (their overlay wins).
   */
  const rescanFolders = async () => {
    const wanted = new Set<string>();
    for (const f of folders) for (const p of await findManifests(fileURLToPath(f.uri), isExcluded)) wanted.add(canonicalUri(pathToFileURL(p).toString()));
    for (const uri of workspace.uris()) if (!wanted.has(uri)) workspace.setDisk(uri, undefined);
    for (const uri of [...skippedFiles.keys()]) if (!wanted.has(uri)) skippedFiles.delete(uri); // now excluded: no longer ours to report
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
    supportsFolderEvents = params.capabilities.workspace?.workspaceFolders === true;
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

  connection.onInitialized(contained('initialized', undefined, async () => {
    if (canConfigure) ignoreGone(() => connection.client.register(DidChangeConfigurationNotification.type, { section: ['netpath', 'files'] }));
    // With the client's workspaceFolders capability the library handles the notification itself (and
    // replaces a handler registered on the connection): listen through it, or added folders go unread.
    if (supportsFolderEvents) connection.workspace.onDidChangeWorkspaceFolders(contained('workspace/didChangeWorkspaceFolders', undefined, changeFolders));
    await loadSettings();
    await indexFolders();
  }));

  const changeFolders = async (event: unknown) => {
    const { added, removed } = folderChanges(event);
    const gone = (uri: string) => removed.some((f) => uri.startsWith(canonicalUri(f.uri) + '/'));
    const removedUris = new Set(removed.map((f) => f.uri));
    folders = [...folders.filter((f) => !removedUris.has(f.uri)), ...added];
    for (const uri of workspace.uris()) if (gone(uri)) workspace.setDisk(uri, undefined);
    for (const uri of [...skippedFiles.keys()]) if (gone(uri)) skippedFiles.delete(uri);
    for (const f of added) {
      for (const path of await findManifests(fileURLToPath(f.uri), isExcluded)) {
        const text = await readManifest(path);
        if (text !== undefined) workspace.setDisk(pathToFileURL(path).toString(), text);
      }
    }
    schedule();
  };
  // Clients without the workspaceFolders capability may still send the notification; with it, the library
  // takes the notification over (see onInitialized), so this handler only serves the others.
  connection.onNotification('workspace/didChangeWorkspaceFolders', contained('workspace/didChangeWorkspaceFolders', undefined, (p: unknown) => changeFolders((p as { event?: unknown } | null)?.event)));

  connection.onDidChangeConfiguration(contained('workspace/didChangeConfiguration', undefined, async () => {
    if ((await loadSettings()) && !indexing) await rescanFolders();
    schedule();
  }));

  connection.onDidChangeWatchedFiles(contained('workspace/didChangeWatchedFiles', undefined, async (p: unknown) => {
    for (const c of fileEvents(p)) {
      const path = c.uri.startsWith('file:') ? fileURLToPath(c.uri) : undefined;
      if (!path || !isManifestName(path) || /\/node_modules\//.test(path)) continue;
      const rel = relToFolder(path);
      if (rel === undefined || isExcluded(rel)) continue;
      if (c.type === 3 /* Deleted */) skippedFiles.delete(canonicalUri(c.uri));
      workspace.setDisk(c.uri, c.type === 3 /* Deleted */ ? undefined : await readManifest(path));
    }
    schedule();
  }));

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
  // Each is contained: a failure is logged and answered with "nothing here", never an end of the server.
  connection.onHover(contained('textDocument/hover', null, (p) => (settings.hover.enabled ? hover(current(p.textDocument.uri), p) : null)));
  connection.onCodeLens(contained('textDocument/codeLens', [], (p) => (settings.codeLens.enabled ? codeLenses(current(p.textDocument.uri), p) : [])));
  connection.onDefinition(contained('textDocument/definition', null, (p) => definition(current(p.textDocument.uri), p)));
  connection.onReferences(contained('textDocument/references', null, (p) => references(current(p.textDocument.uri), p)));
  connection.onCodeAction(contained('textDocument/codeAction', null, (p) => codeActions(current(p.textDocument.uri), p)));
  onRequest('netpath/networkTree', contained('netpath/networkTree', { namespaces: [] }, () => networkTree(current())));
  onRequest('netpath/profileDraft', contained('netpath/profileDraft', { text: '' }, () => ({ text: profileDraft(current().model) })));
  onRequest('netpath/traceTargets', contained('netpath/traceTargets', { targets: [], sources: [] }, (p) => traceTargets(current(p.uri), p)));
  onRequest('netpath/trace', contained('netpath/trace', { error: 'the trace could not be computed (see the kube-netpath output)' }, (p) => trace(current(), p)));

  documents.listen(checkedDocumentConnection(connection, (m) => connection.console.warn(m)));
  return { workspace, indexed };
}
