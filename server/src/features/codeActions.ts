// Server layer: quick fixes, straight from the model's `fixes` on its diagnostics (e.g. a targetPort name typo →
// the existing port name). May import the model and LSP types; must not import vscode.
import { CodeActionKind, type CodeAction, type CodeActionParams, type TextEdit } from 'vscode-languageserver';
import type { Snapshot } from '../workspace';
import { canonicalUri } from '../workspace';
import { toDiagnostic, type DisplayPath } from './diagnostics';
import { toOffset, toRange } from './convert';

export function codeActions(snap: Snapshot, p: CodeActionParams, displayPath?: DisplayPath): CodeAction[] {
  const uri = canonicalUri(p.textDocument.uri);
  const start = toOffset(snap, uri, p.range.start);
  const end = toOffset(snap, uri, p.range.end);
  const out: CodeAction[] = [];
  for (const d of snap.model.diagnostics) {
    if (d.file !== uri || !d.fixes?.length) continue;
    if (d.span.end < start || d.span.start > end) continue;
    const diagnostic = toDiagnostic(snap, d, undefined, undefined, displayPath);
    d.fixes.forEach((fix, i) => {
      const changes: Record<string, TextEdit[]> = {};
      for (const e of fix.edits) (changes[e.file] ??= []).push({ range: toRange(snap, e.file, e.span), newText: e.newText });
      out.push({
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        isPreferred: i === 0 && d.fixes?.length === 1,
        edit: { changes },
      });
    });
  }
  return out;
}
