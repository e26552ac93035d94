// Server layer: the model's diagnostics as LSP diagnostics, grouped by file. May import the model and LSP types;
// must not import vscode. Codes, messages and ranges are the model's: the CLI prints the same ones.
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import type { ModelDiagnostic, Severity } from '../model/index';
import type { Snapshot } from '../workspace';
import { offsetToPosition } from '../model/index';
import { sameItemsBy } from '../model/core/same-items';
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

/** How a message names a file: the server shows a path in the workspace; without one (tests) the URI stays. */
export type DisplayPath = (uri: string) => string;

/**
 * A message names other files by the model's file ids, which are URIs in the server (the CLI's are the paths the
 * user typed). Each `file://` id the snapshot holds becomes its display path; a URI may contain `;`, `,` or `)`,
 * so the longest known id starting there wins rather than a guess at where the URI ends.
 */
function withDisplayPaths(snap: Snapshot, message: string, displayPath: DisplayPath | undefined): string {
  if (!displayPath || !message.includes('file://')) return message;
  return message.replace(/file:\/\/\S+/g, (candidate) => {
    for (let end = candidate.length; end > 'file://'.length; end--) {
      const uri = candidate.slice(0, end);
      if (snap.texts.has(uri)) return displayPath(uri) + candidate.slice(end);
    }
    return candidate;
  });
}

/**
 * Links a code to its rule's section of docs/rules.md (`codeDescription`): clicking the code in the Problems
 * view or the hover opens the rule. Without the document (the CLI, a test) the rule is still in the message.
 */
export function toDiagnostic(
  snap: Snapshot,
  d: ModelDiagnostic,
  starts: readonly number[] = lineStarts(snap, d.file),
  rules?: RulesDocument,
  displayPath?: DisplayPath,
): Diagnostic {
  const href = ruleHref(rules, d.rule);
  return {
    range: { start: offsetToPosition(starts, d.span.start), end: offsetToPosition(starts, d.span.end) },
    severity: SEVERITY[d.severity],
    code: d.code,
    ...(href ? { codeDescription: { href } } : {}),
    source: 'kube-netpath',
    // A message quotes manifest text; a megabyte-long name must not make a megabyte-long diagnostic.
    message: clip(withDisplayPaths(snap, d.rule ? `${d.message} (${d.rule})` : d.message, displayPath), MAX_MESSAGE),
  };
}

/** One file's diagnostics as converted for a snapshot, with what they were converted from. */
export interface ConvertedFile {
  /** The file's text the ranges were computed on. */
  readonly text: string | undefined;
  readonly sources: readonly ModelDiagnostic[];
  readonly diagnostics: Diagnostic[];
  /** Whether a message names another file: its display depends on which files the snapshot holds. */
  readonly namesFiles: boolean;
}

/**
 * Every file of the snapshot that has diagnostics; files without any are left out (the server clears them). A file
 * whose text and model diagnostics (alike in every field a conversion reads, in the same order) are those `previous`
 * was converted from keeps that conversion, and the publisher then knows it was sent: at 10,000 Services an edit
 * changes a few of 8,000 diagnostics, and converting and serializing them all again was ~70 ms of each publish
 * (issue 13). Alike, not the same objects: the addressing, Ingress and hostPort checks make theirs on every build.
 */
export function diagnosticsByUri(
  snap: Snapshot,
  rules?: RulesDocument,
  displayPath?: DisplayPath,
  previous?: ReadonlyMap<string, ConvertedFile>,
): Map<string, ConvertedFile> {
  const sources = new Map<string, ModelDiagnostic[]>();
  for (const d of snap.model.diagnostics) {
    // Diagnostics about a file the workspace does not hold (a settings-made profile) have no place to go.
    if (!snap.texts.has(d.file)) continue;
    const list = sources.get(d.file);
    if (list) list.push(d);
    else sources.set(d.file, [d]);
  }
  const out = new Map<string, ConvertedFile>();
  for (const [file, list] of sources) {
    const text = snap.texts.get(file);
    const before = previous?.get(file);
    if (before && !before.namesFiles && before.text === text && sameShown(before.sources, list)) {
      out.set(file, before);
      continue;
    }
    // Line starts looked up once per file, not per diagnostic: the lookup canonicalizes the URI (a
    // fileURLToPath/pathToFileURL round trip), which was most of the cost on every publish.
    const starts = lineStarts(snap, file);
    out.set(file, {
      text,
      sources: list,
      diagnostics: list.map((d) => toDiagnostic(snap, d, starts, rules, displayPath)),
      namesFiles: displayPath !== undefined && list.some((d) => d.message.includes('file://')),
    });
  }
  return out;
}

/** Whether two lists convert alike: the same fields toDiagnostic reads, item by item. */
function sameShown(a: readonly ModelDiagnostic[], b: readonly ModelDiagnostic[]): boolean {
  return sameItemsBy(
    a,
    b,
    (x, y) =>
      x.span.start === y.span.start &&
      x.span.end === y.span.end &&
      x.severity === y.severity &&
      x.code === y.code &&
      x.rule === y.rule &&
      x.message === y.message,
  );
}
