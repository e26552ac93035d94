// Server layer (LSP): sends what an analysis found — diagnostics per file (only those that changed), the status
// bar's counts and the model-changed signal. Must not import vscode or the client.
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver/node';
import type { NetpathSettings, Notifications } from '../../../shared/protocol';
import type { Snapshot } from '../workspace';
import type { SkippedFile } from '../disk/read-manifest';
import { diagnosticsByUri, toDiagnostic, type ConvertedFile, type DisplayPath } from '../features/diagnostics';
import { ruleHref, type RulesDocument } from '../features/ruleLinks';
import { environmentsStatus } from '../features/environments';
import { unsimulatedSummary, type ParsedFile } from '../model/index';

export interface PublisherChannel {
  sendDiagnostics(uri: string, diagnostics: Diagnostic[]): void;
  notify<M extends keyof Notifications>(method: M, params: Notifications[M]): void;
  info(message: string): void;
}

/**
 * IN-1: every manifest counts, so one the server did not read says why (read-manifest.ts decides, with the
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

export class Publisher {
  /** What was last sent per file, and serialized, to send only changes. */
  private published = new Map<string, { list: Diagnostic[]; key: string }>();
  /** The last publish's conversions, which the next one keeps for files whose diagnostics convert alike (diagnosticsByUri). */
  private converted = new Map<string, ConvertedFile>();
  /** Documents edited since the last publish: they always get a publish, so a client sees its edit was analysed. */
  private readonly touched = new Set<string>();
  private lastUnsimulated: string | null = null;

  constructor(
    private readonly channel: PublisherChannel,
    private readonly rules: RulesDocument | undefined,
    /** Manifests on disk that were not read (the disk indexer keeps them): one diagnostic each, instead of silence. */
    private readonly skipped: ReadonlyMap<string, SkippedFile>,
    /** How a message names another file (the disk indexer's path in the workspace folder). */
    private readonly displayPath?: DisplayPath,
  ) {}

  /** A document was edited: its next publish is sent even if its diagnostics did not change. */
  touch(uri: string): void {
    this.touched.add(uri);
  }

  /**
   * Before the first analysis (the workspace is still being read): an open document's own diagnostics, those
   * its text alone decides (parseFile's: IN-2, IN-3). The first publish then sends the document's full set
   * (it was touched), so what the rest of the workspace decides follows as soon as it is analysed.
   */
  early(uri: string, file: ParsedFile, settings: NetpathSettings, snap: Snapshot): void {
    if (!settings.diagnostics.enabled) return;
    this.channel.sendDiagnostics(
      uri,
      file.diagnostics.filter((d) => d.file === file.file).map((d) => toDiagnostic(snap, d, file.lineStarts, this.rules, this.displayPath)),
    );
  }

  publish(snap: Snapshot, settings: NetpathSettings, isInModel: (uri: string) => boolean): void {
    const converted = settings.diagnostics.enabled ? diagnosticsByUri(snap, this.rules, this.displayPath, this.converted) : new Map<string, ConvertedFile>();
    const byUri = new Map<string, Diagnostic[]>();
    for (const [uri, file] of converted) byUri.set(uri, file.diagnostics);
    if (settings.diagnostics.enabled) {
      for (const [uri, skipped] of this.skipped) if (!isInModel(uri)) byUri.set(uri, [skippedDiagnostic(skipped, this.rules)]);
    }
    // Only files whose diagnostics changed are sent: on a workspace of thousands of files an edit touches few,
    // and one notification per file per keystroke would swamp the client. A kept conversion is the list that
    // was sent: its serialization is not made again.
    const next = new Map<string, { list: Diagnostic[]; key: string }>();
    for (const [uri, diagnostics] of byUri) {
      const last = this.published.get(uri);
      if (last?.list === diagnostics) {
        next.set(uri, last);
        if (this.touched.has(uri)) this.channel.sendDiagnostics(uri, diagnostics);
        continue;
      }
      const key = JSON.stringify(diagnostics);
      next.set(uri, { list: diagnostics, key });
      if (last?.key !== key || this.touched.has(uri)) this.channel.sendDiagnostics(uri, diagnostics);
    }
    for (const uri of this.published.keys()) if (!next.has(uri)) this.channel.sendDiagnostics(uri, []);
    for (const uri of this.touched) if (!next.has(uri) && !this.published.has(uri)) this.channel.sendDiagnostics(uri, []);
    this.touched.clear();
    this.published = next;
    this.converted = converted;
    this.status(snap);
  }

  private status(snap: Snapshot): void {
    const m = snap.model;
    // IN-6: once per workspace state, which kinds were read but not simulated (the CLI's check says the same).
    const unsimulated = unsimulatedSummary(m.resources);
    if (unsimulated && unsimulated !== this.lastUnsimulated) this.channel.info(`kube-netpath: ${unsimulated}`);
    this.lastUnsimulated = unsimulated;
    let errors = 0;
    let warnings = 0;
    for (const d of m.diagnostics) {
      if (d.severity === 'error') errors++;
      else if (d.severity === 'warning') warnings++;
    }
    this.channel.notify('netpath/status', {
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
    this.channel.notify('netpath/modelChanged', { version: snap.version });
  }
}
