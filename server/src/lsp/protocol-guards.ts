// Server layer (LSP glue): checks the shape of notifications before anything acts on them. Must not import vscode
// or the client. A client is trusted to speak LSP, but a malformed message (a non-string `text`, `changes: null`)
// used to reach the model and end the server; here it is dropped and logged instead.
import type {
  DidChangeTextDocumentParams,
  DidCloseTextDocumentParams,
  DidOpenTextDocumentParams,
  DidSaveTextDocumentParams,
  FileEvent,
  NotificationHandler,
  RequestHandler,
  TextDocuments,
  TextEdit,
  WillSaveTextDocumentParams,
  WorkspaceFolder,
  WorkspaceFoldersChangeEvent,
} from 'vscode-languageserver/node';

/** What `TextDocuments.listen` takes (the library does not export the interface by name). */
type TextDocumentConnection = Parameters<TextDocuments<{ uri: string }>['listen']>[0];

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isUri = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 8192;
const isPos = (v: unknown): boolean =>
  isObj(v) && Number.isInteger(v.line) && Number.isInteger(v.character) && (v.line as number) >= 0 && (v.character as number) >= 0;
const isRange = (v: unknown): boolean => isObj(v) && isPos(v.start) && isPos(v.end);

export function isOpenParams(p: unknown): p is DidOpenTextDocumentParams {
  return isObj(p) && isObj(p.textDocument) && isUri(p.textDocument.uri) && typeof p.textDocument.text === 'string';
}

export function isChangeParams(p: unknown): p is DidChangeTextDocumentParams {
  if (!isObj(p) || !isObj(p.textDocument) || !isUri(p.textDocument.uri) || !Array.isArray(p.contentChanges)) return false;
  return p.contentChanges.every((c: unknown) => isObj(c) && typeof c.text === 'string' && (c.range === undefined || isRange(c.range)));
}

function hasDocumentUri(p: unknown): p is { textDocument: { uri: string } } {
  return isObj(p) && isObj(p.textDocument) && isUri(p.textDocument.uri);
}

/** File events with a usable URI; the rest are dropped. `changes` that is not a list gives none. */
export function fileEvents(p: unknown): FileEvent[] {
  if (!isObj(p) || !Array.isArray(p.changes)) return [];
  return p.changes.filter((c: unknown): c is FileEvent => isObj(c) && isUri(c.uri) && (c.type === 1 || c.type === 2 || c.type === 3));
}

function folders(v: unknown): WorkspaceFolder[] {
  return Array.isArray(v)
    ? v
        .filter((f: unknown): f is WorkspaceFolder => isObj(f) && isUri(f.uri) && f.uri.startsWith('file:'))
        .map((f) => ({ uri: f.uri, name: typeof f.name === 'string' ? f.name : f.uri }))
    : [];
}

/** A folder change event with only well-formed folders; a malformed event changes nothing. */
export function folderChanges(e: unknown): WorkspaceFoldersChangeEvent {
  return isObj(e) ? { added: folders(e.added), removed: folders(e.removed) } : { added: [], removed: [] };
}

/**
 * The part of the connection that `TextDocuments.listen` uses, with every notification checked first:
 * `TextDocuments` stores whatever `text` it is given and would hand a number to the model.
 */
export function checkedDocumentConnection(connection: TextDocumentConnection, log: (message: string) => void): TextDocumentConnection {
  const checked =
    <P>(method: string, ok: (p: unknown) => boolean, handler: NotificationHandler<P>): NotificationHandler<P> =>
    (p: P) => {
      if (ok(p)) handler(p);
      else log(`kube-netpath: ignored a malformed ${method} notification`);
    };
  return {
    onDidOpenTextDocument: (h: NotificationHandler<DidOpenTextDocumentParams>) =>
      connection.onDidOpenTextDocument(checked('textDocument/didOpen', isOpenParams, h)),
    onDidChangeTextDocument: (h: NotificationHandler<DidChangeTextDocumentParams>) =>
      connection.onDidChangeTextDocument(checked('textDocument/didChange', isChangeParams, h)),
    onDidCloseTextDocument: (h: NotificationHandler<DidCloseTextDocumentParams>) =>
      connection.onDidCloseTextDocument(checked('textDocument/didClose', hasDocumentUri, h)),
    onWillSaveTextDocument: (h: NotificationHandler<WillSaveTextDocumentParams>) =>
      connection.onWillSaveTextDocument(checked('textDocument/willSave', hasDocumentUri, h)),
    onWillSaveTextDocumentWaitUntil: (h: RequestHandler<WillSaveTextDocumentParams, TextEdit[] | undefined | null, void>) =>
      connection.onWillSaveTextDocumentWaitUntil(h),
    onDidSaveTextDocument: (h: NotificationHandler<DidSaveTextDocumentParams>) =>
      connection.onDidSaveTextDocument(checked('textDocument/didSave', hasDocumentUri, h)),
  };
}
