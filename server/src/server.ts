// Server layer (LSP glue): the language server's capabilities and wiring. May import vscode-languageserver,
// node:fs, the model (through workspace/features) and shared/; must not import vscode or the client.
// Everything beyond translation lives in the model; each feature is one file under features/, each part of the
// server's machinery one file under lsp/ (settings, the analysis scheduler, the disk indexer, the publisher).
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import {
  CodeActionKind,
  type Diagnostic,
  DidChangeConfigurationNotification,
  TextDocumentSyncKind,
  TextDocuments,
  type Connection,
  type InitializeParams,
  type InitializeResult,
  type Hover,
  type HoverParams,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { NetpathSettings, Notifications, Requests } from '../../shared/protocol';
import { canonicalUri, Workspace, type Snapshot } from './workspace';
import { checkedDocumentConnection, fileEvents, folderChanges } from './lsp/protocol-guards';
import { DEFAULT_SETTINGS, readSettings, settingsProfile } from './lsp/settings';
import { AnalysisScheduler, nodeClock } from './lsp/analysis-scheduler';
import { DiskIndexer } from './lsp/disk-indexer';
import { Publisher } from './lsp/publisher';
import { viewAt } from './lsp/snapshot-view';
import { AnswerFeed } from './lsp/answer-feed';
import type { AnswersMessage } from './lsp/answer-messages';
import { toOffset } from './features/convert';
import { hover } from './features/hover';
import { codeLenses } from './features/codeLens';
import { profileDraft } from './features/profileDraft';
import { networkTree } from './features/networkTree';
import { definition } from './features/definition';
import { references } from './features/references';
import { codeActions } from './features/codeActions';
import { traceTargets } from './features/traceTargets';
import { trace } from './features/trace';
import { rulesDocument, type RulesDocument } from './features/ruleLinks';

export interface ServerHandle {
  workspace: Workspace;
  /** Resolves when the first index of the workspace folders has finished (tests and the bench wait on it). */
  indexed: Promise<void>;
}

export interface ServerOptions {
  /** Path of docs/rules.md (the copy shipped beside dist/server.js): diagnostics link their rule there. */
  rulesDocument?: string;
  /**
   * How many times input came in from the client so far, where the transport lets main.ts count it (see nodeClock).
   * Absent elsewhere: an analysis then gives every slice boundary three turns of the event loop.
   */
  inputsRead?: () => number;
  /**
   * Where the answers for a front thread go (main.ts, lsp/front-door.ts), when there is one: the hovers it may
   * give while an analysis runs (lsp/answer-feed.ts).
   */
  feedAnswers?: (message: AnswersMessage) => void;
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
  const documents = new TextDocuments(TextDocument);
  const workspace = new Workspace();
  let settings: NetpathSettings = DEFAULT_SETTINGS;
  let canConfigure = false;
  let canProgress = false;
  let supportsFolderEvents = false;
  /** `files.exclude` as last read (JSON), to notice when it changes; undefined before the first read. */
  let excludeKey: string | undefined;
  let indexing = true;
  /** Ends the first index's progress report, once its analysis is done. */
  let endIndexProgress: () => void = () => undefined;
  let resolveIndexed: () => void = () => undefined;
  const indexed = new Promise<void>((r) => (resolveIndexed = r));

  // A send fails once the client has gone (the connection is disposed): nothing to tell anyone then, and an
  // unhandled rejection must not be what ends the process. (A disposed connection throws at once; a closing one
  // rejects later.)
  const ignoreGone = (send: () => Promise<unknown>): void => {
    try {
      void send().catch(() => undefined);
    } catch {
      // the client is gone
    }
  };
  const notify = <M extends keyof Notifications>(method: M, params: Notifications[M]) => ignoreGone(() => connection.sendNotification(method, params));
  const onRequest = <M extends keyof Requests>(method: M, handler: (p: Requests[M]['params']) => Requests[M]['result'] | Promise<Requests[M]['result']>) =>
    connection.onRequest(method, handler);

  /** Logs a failure that was contained (a handler, an analysis): the server goes on with its last good model. */
  const logFailure = (what: string, e: unknown): void => {
    const detail = e instanceof Error ? (e.stack ?? e.message) : String(e);
    connection.console.error(`kube-netpath: ${what} failed; keeping the last good model. ${detail.slice(0, 2000)}`);
  };
  /** Handlers that have finished (an analysis lets their answers go out before it goes on, see nodeClock). */
  let handled = 0;
  const inputsRead = options.inputsRead ?? (() => 0);
  /** Wraps a handler so that a throw (or a rejected promise) is logged and answered with `fallback`. */
  const contained =
    <P, R>(what: string, fallback: R, handler: (p: P) => R | Promise<R>) =>
    async (p: P): Promise<R> => {
      try {
        return await handler(p);
      } catch (e) {
        logFailure(what, e);
        return fallback;
      } finally {
        handled++;
      }
    };

  const disk = new DiskIndexer(workspace);
  const publisher = new Publisher(
    {
      sendDiagnostics: (uri: string, diagnostics: Diagnostic[]) => ignoreGone(() => connection.sendDiagnostics({ uri, diagnostics })),
      notify,
      info: (message) => connection.console.info(message),
    },
    loadRules(options.rulesDocument),
    disk.skipped,
    disk.displayPath,
  );
  const publish = (snap: Snapshot): void => {
    publisher.publish(snap, settings, (uri) => workspace.has(uri));
    void disk.readKustomizeInputs(snap).then(
      (added) => added && scheduler.schedule(),
      (e: unknown) => logFailure('reading kustomize inputs', e),
    );
  };
  const feed = options.feedAnswers ? new AnswerFeed(options.feedAnswers, () => settings.hover.enabled) : undefined;
  /** The front's answers are of `snap` now; those it had are re-made, between other work (lsp/answer-feed.ts). */
  const renewAnswers = (snap: Snapshot): void => {
    if (!feed) return;
    feed.renew(snap);
    feed.refresh(
      () => scheduler.isRunning || scheduler.isPending || workspace.isDirty || workspace.snapshot !== snap,
      (run) => void setImmediate(run),
      () => performance.now(),
    );
  };
  const scheduler = new AnalysisScheduler(
    workspace,
    nodeClock(() => handled + inputsRead(), options.inputsRead !== undefined),
    {
      debounceMs: () => settings.debounceMs,
      analysed: (snap) => {
        endIndexProgress();
        // The front drops its answers of the last snapshot before anything tells the client of this one (one port, in order).
        renewAnswers(snap);
        if (!indexing) publish(snap);
      },
      failed: logFailure,
    },
  );

  /** Whether the snapshot was built from another text of the open document `uri` than the editor's now. */
  const behind = (snap: Snapshot, uri: string): boolean => {
    const doc = documents.get(uri);
    return doc !== undefined && snap.texts.get(canonicalUri(uri)) !== doc.getText();
  };
  /**
   * The snapshot for a request on `uri` (none: any snapshot will do): the last one, unless it was built from an
   * older text of that document; then the analysis under way or due, awaited (other requests are answered
   * meanwhile, issue 13). Typing that outruns a few analyses in a row gets one analysed now.
   */
  const current = async (uri?: string): Promise<Snapshot> => {
    for (let round = 0; round < 4; round++) {
      const snap = workspace.snapshot;
      if (!uri || !behind(snap, uri)) return snap;
      await scheduler.settled();
    }
    // Typing kept outrunning the analyses: this one is analysed now, to the end.
    return uri && behind(workspace.snapshot, uri) ? scheduler.flush() : workspace.snapshot;
  };
  /** A hover on an object the last edit did not touch is answered from the last snapshot at once (snapshot-view.ts). */
  const hoverNow = async (p: HoverParams): Promise<Hover | null> => {
    const uri = p.textDocument.uri;
    const view = viewAt(workspace.snapshot, uri, documents.get(uri), p.position);
    if (!view) {
      const snap = await current(uri);
      const answer = hover(snap, p);
      feed?.asked(snap, uri, toOffset(snap, uri, p.position));
      return answer;
    }
    const answer = hover(view.snap, { ...p, position: view.position });
    feed?.asked(view.snap, uri, toOffset(view.snap, uri, view.position));
    if (!answer?.range) return answer;
    const range = view.toCurrent(answer.range);
    return range ? { ...answer, range } : { contents: answer.contents };
  };

  /** Reads the settings; true when `files.exclude` changed since the last read. */
  const loadSettings = async (): Promise<boolean> => {
    if (!canConfigure) return false;
    const read = await readSettings(connection);
    settings = read.settings;
    disk.setExcluded(read.isExcluded);
    const excludeChanged = excludeKey !== undefined && excludeKey !== read.excludeKey;
    excludeKey = read.excludeKey;
    workspace.setSettingsProfile(settingsProfile(settings));
    workspace.setKustomizeRoots(settings.kustomize.roots);
    return excludeChanged;
  };

  const indexFolders = async () => {
    const progress = canProgress ? await connection.window.createWorkDoneProgress() : undefined;
    progress?.begin('kube-netpath: indexing manifests', 0, undefined, false);
    await disk.indexAll({
      total: (files) => notify('netpath/status', { state: 'indexing', files, resources: 0, pods: 0, services: 0, errors: 0, warnings: 0, analysisMs: 0 }),
      report: (done, total) => progress?.report(Math.round((done / total) * 100), `${done}/${total} files`),
    });
    indexing = false;
    progress?.report(100, 'analysing');
    // The first analysis runs in steps like any other (requests are answered meanwhile); it publishes when it
    // ends. An empty workspace (nothing changed) still says it is ready.
    const changed = workspace.isDirty;
    endIndexProgress = () => {
      endIndexProgress = () => undefined;
      progress?.done(); // before the analysis's 'ready' status
    };
    const snap = await scheduler.settled(true);
    endIndexProgress();
    if (!changed) publish(snap);
    resolveIndexed();
  };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    canConfigure = params.capabilities.workspace?.configuration === true;
    canProgress = params.capabilities.window?.workDoneProgress === true;
    supportsFolderEvents = params.capabilities.workspace?.workspaceFolders === true;
    disk.setFolders(params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: 'root' }] : []));
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

  const changeFolders = async (event: unknown) => {
    await disk.changeFolders(folderChanges(event));
    scheduler.schedule();
  };

  connection.onInitialized(
    contained('initialized', undefined, async () => {
      if (canConfigure) ignoreGone(() => connection.client.register(DidChangeConfigurationNotification.type, { section: ['netpath', 'files'] }));
      // With the client's workspaceFolders capability the library handles the notification itself (and
      // replaces a handler registered on the connection): listen through it, or added folders go unread.
      if (supportsFolderEvents) connection.workspace.onDidChangeWorkspaceFolders(contained('workspace/didChangeWorkspaceFolders', undefined, changeFolders));
      await loadSettings();
      await indexFolders();
    }),
  );

  // Clients without the workspaceFolders capability may still send the notification; with it, the library
  // takes the notification over (see onInitialized), so this handler only serves the others.
  connection.onNotification(
    'workspace/didChangeWorkspaceFolders',
    contained('workspace/didChangeWorkspaceFolders', undefined, (p: unknown) => changeFolders((p as { event?: unknown } | null)?.event)),
  );

  connection.onDidChangeConfiguration(
    contained('workspace/didChangeConfiguration', undefined, async () => {
      if ((await loadSettings()) && !indexing) await disk.rescan();
      renewAnswers(workspace.snapshot); // the hover setting may have changed
      scheduler.schedule();
    }),
  );

  connection.onDidChangeWatchedFiles(
    contained('workspace/didChangeWatchedFiles', undefined, async (p: unknown) => {
      await disk.filesChanged(fileEvents(p));
      scheduler.schedule();
    }),
  );

  documents.onDidChangeContent(({ document }) => {
    publisher.touch(canonicalUri(document.uri));
    workspace.setOpen(document.uri, document.getText());
    // While the workspace is read, an analysis would be of a part of it: the open document's own diagnostics
    // go out at once instead, and the analysis at the end of the index covers the rest (issue 13).
    if (!indexing) return scheduler.schedule();
    const parsed = workspace.parseNow(document.uri);
    if (parsed) publisher.early(canonicalUri(document.uri), parsed, settings, workspace.snapshot);
  });
  documents.onDidClose(({ document }) => {
    workspace.setOpen(document.uri, undefined);
    if (!indexing) scheduler.schedule();
  });

  // Routing table: one line per request. Features are pure functions of (snapshot, params[, settings]).
  // Each is contained: a failure is logged and answered with "nothing here", never an end of the server.
  connection.onHover(contained('textDocument/hover', null, (p) => (settings.hover.enabled ? hoverNow(p) : null)));
  connection.onCodeLens(
    contained('textDocument/codeLens', [], async (p) => (settings.codeLens.enabled ? codeLenses(await current(p.textDocument.uri), p) : [])),
  );
  connection.onDefinition(contained('textDocument/definition', null, async (p) => definition(await current(p.textDocument.uri), p)));
  connection.onReferences(contained('textDocument/references', null, async (p) => references(await current(p.textDocument.uri), p)));
  connection.onCodeAction(contained('textDocument/codeAction', null, async (p) => codeActions(await current(p.textDocument.uri), p, disk.displayPath)));
  onRequest(
    'netpath/networkTree',
    contained('netpath/networkTree', { namespaces: [] }, async () => networkTree(await current())),
  );
  onRequest(
    'netpath/profileDraft',
    contained('netpath/profileDraft', { text: '' }, async () => ({ text: profileDraft((await current()).model) })),
  );
  onRequest(
    'netpath/traceTargets',
    contained('netpath/traceTargets', { targets: [], sources: [] }, async (p) => traceTargets(await current(p.uri), p)),
  );
  onRequest(
    'netpath/trace',
    contained('netpath/trace', { error: 'the trace could not be computed (see the kube-netpath output)' }, async (p) => trace(await current(), p)),
  );

  documents.listen(checkedDocumentConnection(connection, (m) => connection.console.warn(m)));
  return { workspace, indexed };
}
