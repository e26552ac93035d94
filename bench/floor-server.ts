// Bench layer (Node script, bundled to dist/bench/floor-server.js): the parse-only "floor" language server that
// `npm run bench` measures kube-netpath against (issue 13). It does the honest minimum any YAML language server
// must do, and nothing of Kubernetes:
// - at start, walks the workspace folders (the same disk walk as kube-netpath's) and reads every manifest,
//   keeping the texts (a request on a file not open is answered without going back to the disk);
// - on didOpen/didChange, parses only that document with the `yaml` package, keeps its parse while it is open
//   and publishes its parse errors;
// - hover: the key under the cursor; code lens: one lens per YAML document; both from the document's parse (an
//   open document's, else the file parsed for the request: the least a server without an index must do).
// Speaks LSP over stdio. May import vscode-languageserver, yaml and the disk layer; must not import the model.
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createConnection, DiagnosticSeverity, TextDocuments, TextDocumentSyncKind, type Diagnostic, type Hover } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { isMap, isScalar, LineCounter, parseAllDocuments, visit, type Document } from 'yaml';
import { findManifests } from '../server/src/disk/find-manifests';
import { readManifestFile } from '../server/src/disk/read-manifest';

interface Parsed {
  docs: Document.Parsed[];
  lines: LineCounter;
}

const connection = createConnection(process.stdin, process.stdout);
const documents = new TextDocuments(TextDocument);
/** Open documents' parses. */
const parsed = new Map<string, Parsed>();
/** Every manifest's text, by URI, as read at start. */
const texts = new Map<string, string>();
let folders: string[] = [];

function parse(text: string): Parsed {
  const lines = new LineCounter();
  return { docs: parseAllDocuments(text, { lineCounter: lines }) as Document.Parsed[], lines };
}

function position(p: Parsed, offset: number): { line: number; character: number } {
  const { line, col } = p.lines.linePos(offset);
  return { line: line - 1, character: col - 1 };
}

function offsetOf(p: Parsed, line: number, character: number): number {
  return (p.lines.lineStarts[line] ?? 0) + character;
}

/** The document's parse errors and warnings, as LSP diagnostics. */
function diagnostics(p: Parsed): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const d of p.docs)
    for (const [list, severity] of [
      [d.errors, DiagnosticSeverity.Error],
      [d.warnings, DiagnosticSeverity.Warning],
    ] as const)
      for (const e of list) out.push({ range: { start: position(p, e.pos[0]), end: position(p, e.pos[1]) }, severity, message: e.message, source: 'floor' });
  return out;
}

function reparse(doc: TextDocument): void {
  const p = parse(doc.getText());
  parsed.set(doc.uri, p);
  void connection.sendDiagnostics({ uri: doc.uri, diagnostics: diagnostics(p) });
}

documents.onDidChangeContent(({ document }) => reparse(document));
documents.onDidClose(({ document }) => parsed.delete(document.uri));

/** The parse of an open document, or of the file's text read at start. */
function parsedFile(uri: string): Parsed | undefined {
  const open = parsed.get(uri);
  if (open) return open;
  const text = texts.get(uri);
  return text === undefined ? undefined : parse(text);
}

connection.onInitialize((params) => {
  folders = (params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: 'root' }] : [])).map((f) => fileURLToPath(f.uri));
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      hoverProvider: true,
      codeLensProvider: { resolveProvider: false },
    },
    serverInfo: { name: 'netpath-bench-floor' },
  };
});

connection.onInitialized(async () => {
  const paths: string[] = [];
  for (const f of folders) paths.push(...(await findManifests(f, () => false)));
  for (const path of paths) {
    const uri = pathToFileURL(path).toString();
    const read = await readManifestFile(path);
    if (read && 'text' in read) texts.set(uri, read.text);
  }
  void connection.sendNotification('floor/indexed', { files: texts.size });
});

connection.onHover((p): Hover | null => {
  const file = parsedFile(p.textDocument.uri);
  if (!file) return null;
  const offset = offsetOf(file, p.position.line, p.position.character);
  for (const doc of file.docs) {
    if (!doc.range || offset < doc.range[0] || offset > doc.range[2]) continue;
    let key: string | undefined;
    visit(doc, {
      Pair(_, pair) {
        const k = pair.key;
        if (!isScalar(k) || !k.range) return undefined;
        const end = isScalar(pair.value) && pair.value.range ? pair.value.range[1] : k.range[1];
        if (offset >= k.range[0] && offset <= end) {
          key = String(k.value);
          return isMap(pair.value) ? undefined : visit.BREAK;
        }
        return undefined;
      },
    });
    return key === undefined ? null : { contents: { kind: 'markdown', value: `\`${key}\`` } };
  }
  return null;
});

connection.onCodeLens((p) => {
  const file = parsedFile(p.textDocument.uri);
  if (!file) return [];
  return file.docs.map((d, i) => {
    const at = position(file, d.range?.[0] ?? 0);
    return { range: { start: at, end: at }, command: { title: `document ${i + 1}`, command: '' } };
  });
});

documents.listen(connection);
connection.listen();
