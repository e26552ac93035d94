// Server layer: the model's diagnostics as LSP diagnostics, grouped by file. May import the model and LSP types;
// must not import vscode. Codes, messages and ranges are the model's: the CLI prints the same ones.
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import type { ModelDiagnostic, Severity } from '../model/index';
import type { Snapshot } from '../workspace';
import { offsetToPosition } from '../model/index';
import { lineStarts } from './convert';
import { ruleHref, type RulesDocument } from './ruleLinks';
import { clip } from './markdown';

/** Longest diagnostic message sent (real ones are a few hundred characters). */
const MAX_MESSAGE = 4000;

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

/**
 * Links a code to its rule's section of docs/rules.md (`codeDescription`): clicking the code in the Problems
 * view or the hover opens the rule. Without the document (the CLI, a test) the rule is still in the message.
 */
export function toDiagnostic(snap: Snapshot, d: ModelDiagnostic, starts: readonly number[] = lineStarts(snap, d.file), rules?: RulesDocument): Diagnostic {
  const href = ruleHref(rules, d.rule);
  return {
    range: { start: offsetToPosition(starts, d.span.start), end: offsetToPosition(starts, d.span.end) },
    severity: SEVERITY[d.severity],
    code: d.code,
    ...(href ? { codeDescription: { href } } : {}),
    source: 'kube-netpath',
    // A message quotes manifest text; a megabyte-long name must not make a megabyte-long diagnostic.
    message: clip(d.rule ? `${d.message} (${d.rule})` : d.message, MAX_MESSAGE),
  };
}

/** Every file of the snapshot that has diagnostics; files without any are left out (the server clears them). */
export function diagnosticsByUri(snap: Snapshot, rules?: RulesDocument): Map<string, Diagnostic[]> {
  const out = new Map<string, Diagnostic[]>();
  // Line starts looked up once per file, not per diagnostic: the lookup canonicalizes the URI (a
  // fileURLToPath/pathToFileURL round trip), which was most of the cost on every publish.
  const startsByFile = new Map<string, readonly number[]>();
  for (const d of snap.model.diagnostics) {
    // Diagnostics about a file the workspace does not hold (a settings-made profile) have no place to go.
    if (!snap.texts.has(d.file)) continue;
    let list = out.get(d.file);
    if (!list) out.set(d.file, (list = []));
    let starts = startsByFile.get(d.file);
    if (!starts) startsByFile.set(d.file, (starts = lineStarts(snap, d.file)));
    list.push(toDiagnostic(snap, d, starts, rules));
  }
  return out;
}
