// Server layer (LSP), front thread: the process's end of the client's channel when the analysis runs on a worker
// thread (main.ts). Every message goes through to the analysis thread and back unchanged, except hovers it can
// answer itself from the answers the analysis thread sent (answer-store.ts): those never wait for an analysis,
// nor for a garbage collection of the analysis thread's heap (issue 13). Must not import vscode.
import { Message, TextDocuments, type MessageReader, type MessageWriter, type NotificationHandler, type RequestMessage } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { checkedDocumentConnection } from './protocol-guards';
import { AnswerStore } from './answer-store';
import { ANSWERS_METHOD, type AnswersMessage } from './answer-messages';

/** The analysis thread as the front sees it (a worker_threads Worker). */
export interface AnalysisThread {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
}

/** Document notifications, seen by the front's copy of the open documents before they go through. */
const DOCUMENT_SYNC = ['textDocument/didOpen', 'textDocument/didChange', 'textDocument/didClose', 'textDocument/didSave', 'textDocument/willSave'];

/**
 * The open documents as the analysis thread's TextDocuments has them: the same class, fed the same notifications
 * through the same checks (protocol-guards.ts), so that both agree on every document's text and version.
 */
function openDocuments(): { documents: TextDocuments<TextDocument>; dispatch(method: string, params: unknown): void } {
  const documents = new TextDocuments(TextDocument);
  const handlers = new Map<string, NotificationHandler<never>>();
  const on =
    (method: string) =>
    (h: NotificationHandler<never>): { dispose(): void } => {
      handlers.set(method, h);
      return { dispose: () => handlers.delete(method) };
    };
  documents.listen(
    checkedDocumentConnection(
      {
        onDidOpenTextDocument: on('textDocument/didOpen'),
        onDidChangeTextDocument: on('textDocument/didChange'),
        onDidCloseTextDocument: on('textDocument/didClose'),
        onWillSaveTextDocument: on('textDocument/willSave'),
        onWillSaveTextDocumentWaitUntil: () => ({ dispose: () => undefined }),
        onDidSaveTextDocument: on('textDocument/didSave'),
      },
      () => undefined, // the analysis thread reports a malformed notification
    ),
  );
  return {
    documents,
    dispatch: (method, params) => handlers.get(method)?.(params as never),
  };
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A hover request's document and position, when well formed (else the analysis thread answers, as it always did). */
function hoverTarget(m: RequestMessage): { uri: string; position: { line: number; character: number } } | undefined {
  const p = m.params;
  if (!isObj(p) || !isObj(p.textDocument) || typeof p.textDocument.uri !== 'string' || !isObj(p.position)) return undefined;
  const { line, character } = p.position;
  if (!Number.isInteger(line) || !Number.isInteger(character) || (line as number) < 0 || (character as number) < 0) return undefined;
  return { uri: p.textDocument.uri, position: { line: line as number, character: character as number } };
}

export interface FrontDoor {
  /** How many hovers the front answered itself (the rest went to the analysis thread). */
  readonly answered: number;
  /** Whether the client asked for a shutdown (the exit code when it then closes the channel, as the library's). */
  readonly shutdownAsked: boolean;
}

/**
 * Connects the client's channel (`reader`, `writer`) to the analysis thread. `log` reports what the front drops
 * (a malformed document notification: the analysis thread drops and reports it too).
 */
export function openFrontDoor(reader: MessageReader, writer: MessageWriter, analysis: AnalysisThread, log: (message: string) => void): FrontDoor {
  const store = new AnswerStore();
  const { documents, dispatch } = openDocuments();
  let answered = 0;
  let shutdownAsked = false;
  const write = (message: Message): void => void writer.write(message).catch(() => undefined); // the client is gone

  reader.listen((message) => {
    if (Message.isNotification(message) && DOCUMENT_SYNC.includes(message.method)) {
      try {
        dispatch(message.method, message.params);
      } catch {
        // TextDocuments threw (a change without a version): the analysis thread's copy throws on it too
      }
    } else if (Message.isRequest(message) && message.method === 'shutdown') shutdownAsked = true;
    else if (Message.isRequest(message) && message.method === 'textDocument/hover') {
      const target = hoverTarget(message);
      const hover = target && store.hover(target.uri, target.position, documents.get(target.uri));
      if (hover !== undefined) {
        answered++;
        return write({ jsonrpc: '2.0', id: message.id, result: hover } as Message);
      }
    }
    analysis.postMessage(message);
  });
  reader.onError((e) => log(`kube-netpath: a message from the client could not be read: ${e instanceof Error ? e.message : String(e)}`));

  analysis.on('message', (message) => {
    if (isObj(message) && message.method === ANSWERS_METHOD && message.id === undefined) return store.take(message.params as AnswersMessage);
    write(message as Message);
  });
  return {
    get answered() {
      return answered;
    },
    get shutdownAsked() {
      return shutdownAsked;
    },
  };
}
