// Client layer: the one "Trace traffic" webview panel. May import vscode, node:crypto and shared/; must not import
// the server or the model. Data goes to the webview only by postMessage (shared/webview.ts).
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { FromWebview, PanelState, ToWebview, TraceRequest } from '../../shared/webview';
import { checkedCopyText, checkedOpenLocation, checkedSvg, isFromWebview } from '../../shared/webview';
import type { TraceResponse } from '../../shared/protocol';
import { buildPanelHtml } from './panelHtml';
import { isRuleId, OPEN_RULE_COMMAND } from '../../shared/rules';

export const PANEL_VIEW_TYPE = 'netpath.trace';

export type RunTrace = (request: TraceRequest) => Promise<TraceResponse>;

/** Whether `uri` names a file inside one of the workspace's folders (a malformed URI does not). */
function inWorkspace(uri: string): boolean {
  try {
    return vscode.workspace.getWorkspaceFolder(vscode.Uri.parse(uri, true)) !== undefined;
  } catch {
    return false;
  }
}

export class TracePanel {
  private static current: TracePanel | undefined;
  private request: TraceRequest | undefined;
  /** The shown trace in the CLI's text format (from the server), for "Copy as text". */
  private text: string | undefined;
  private ready = false;
  /** Messages sent before the script said `ready` are queued, or the first trace would be lost. */
  private queue: ToWebview[] = [];
  private readonly disposables: vscode.Disposable[] = [];

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
    private readonly runTrace: RunTrace,
    private readonly log: vscode.OutputChannel,
  ) {
    panel.webview.options = TracePanel.webviewOptions(extensionUri);
    panel.webview.html = this.html();
    panel.onDidDispose(() => this.dispose(), null, this.disposables);
    // A hidden webview is torn down (no retainContextWhenHidden, to save memory): queue until it says `ready` again.
    panel.onDidChangeViewState(
      () => {
        if (!panel.visible) this.ready = false;
      },
      null,
      this.disposables,
    );
    panel.webview.onDidReceiveMessage((m: unknown) => this.onMessage(m), null, this.disposables);
  }

  static webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
    return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media')] };
  }

  /** Shows the panel (creating it once) and runs the trace in it. */
  static async show(extensionUri: vscode.Uri, runTrace: RunTrace, log: vscode.OutputChannel, request: TraceRequest): Promise<void> {
    if (!TracePanel.current) {
      const panel = vscode.window.createWebviewPanel(
        PANEL_VIEW_TYPE,
        'Trace traffic',
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false },
        { ...TracePanel.webviewOptions(extensionUri), retainContextWhenHidden: false },
      );
      TracePanel.current = new TracePanel(panel, extensionUri, runTrace, log);
    } else {
      TracePanel.current.panel.reveal(undefined, false);
    }
    await TracePanel.current.run(request);
  }

  /** After the manifests changed: the open panel re-runs what it shows. */
  static async refresh(): Promise<void> {
    const p = TracePanel.current;
    if (p?.request) await p.run(p.request, false);
  }

  static registerSerializer(extensionUri: vscode.Uri, runTrace: RunTrace, log: vscode.OutputChannel): vscode.Disposable {
    return vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown) {
        const restored = new TracePanel(panel, extensionUri, runTrace, log);
        TracePanel.current?.panel.dispose();
        TracePanel.current = restored;
        const s = state as Partial<PanelState> | undefined;
        // The webview restores its last picture from its own state; re-running brings it up to date.
        if (s?.request && typeof s.request.from === 'string' && typeof s.request.to === 'string') {
          await restored.run(s.request, false);
        }
      },
    });
  }

  private html(): string {
    const webview = this.panel.webview;
    return buildPanelHtml({
      cspSource: webview.cspSource,
      nonce: randomBytes(16).toString('base64'),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', 'dist', 'panel.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', 'panel.css')).toString(),
    });
  }

  private async run(request: TraceRequest, showLoading = true): Promise<void> {
    this.request = request;
    if (showLoading) this.post({ type: 'loading', request });
    this.panel.title = `Trace: ${request.from} → ${request.to}`;
    let response: TraceResponse;
    try {
      response = await this.runTrace(request);
    } catch (e) {
      response = { error: e instanceof Error ? e.message : String(e) };
    }
    if (this.request !== request) return; // a newer request superseded this one
    this.text = 'trace' in response ? response.text : undefined;
    if ('error' in response) {
      this.log.appendLine(`trace ${request.from} → ${request.to}: ${response.error}`);
      this.post({ type: 'error', request, message: response.error });
    } else {
      this.post({ type: 'trace', request, trace: response.trace });
    }
  }

  private post(message: ToWebview): void {
    if (!this.ready) {
      this.queue.push(message);
      return;
    }
    void this.panel.webview.postMessage(message);
  }

  private onMessage(message: unknown): void {
    if (!isFromWebview(message)) return; // the webview is untrusted input like any other
    const m: FromWebview = message;
    switch (m.type) {
      case 'ready': {
        // Also sent again after the webview was hidden and reloaded: it shows its saved state, which may be
        // older than the manifests, so an empty queue means "re-run what it shows".
        this.ready = true;
        const q = this.queue;
        this.queue = [];
        for (const msg of q) void this.panel.webview.postMessage(msg);
        if (q.length === 0 && this.request) void this.run(this.request, false);
        break;
      }
      case 'open': {
        const location = checkedOpenLocation(m.location, inWorkspace);
        if (!location) return;
        const pos = new vscode.Position(location.line, location.character);
        void vscode.window.showTextDocument(vscode.Uri.parse(location.uri, true), {
          selection: new vscode.Range(pos, pos),
          viewColumn: vscode.ViewColumn.One,
        });
        break;
      }
      case 'rerun':
        if (typeof m.request?.from === 'string' && typeof m.request.to === 'string') void this.run(m.request);
        break;
      case 'openRule':
        if (isRuleId(m.rule)) void vscode.commands.executeCommand(OPEN_RULE_COMMAND, m.rule);
        break;
      case 'copy': {
        const text = checkedCopyText(m.text);
        if (text) void vscode.env.clipboard.writeText(text).then(() => this.post({ type: 'notice', message: `Copied ${text}` }));
        break;
      }
      case 'copyTrace':
        // The text is the server's (the CLI's formatter), never the webview's: a message cannot choose what is copied.
        if (this.text !== undefined) {
          const text = this.text;
          void vscode.env.clipboard
            .writeText(text)
            .then(() => this.post({ type: 'notice', message: `Copied the trace as text (${text.split('\n').length} lines)` }));
        }
        break;
      case 'saveSvg': {
        const svg = checkedSvg(m.svg);
        if (svg) void this.saveSvg(svg);
        else this.post({ type: 'notice', message: 'Not saved: the picture was not a plain SVG' });
        break;
      }
    }
  }

  /** Asks where to save the picture (in the workspace by default) and writes it there. */
  private async saveSvg(svg: string): Promise<void> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const name = `trace-${(this.request?.to ?? 'path').replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 80)}.svg`;
    const target = await vscode.window.showSaveDialog({
      title: 'Save the trace picture as SVG',
      filters: { 'SVG image': ['svg'] },
      ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, name) } : {}),
    });
    if (!target) return;
    try {
      await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(svg));
      this.post({ type: 'notice', message: `Saved ${vscode.workspace.asRelativePath(target)}` });
    } catch (e) {
      this.post({ type: 'notice', message: `Not saved: ${e instanceof Error ? e.message : String(e)}` });
    }
  }

  private dispose(): void {
    if (TracePanel.current === this) TracePanel.current = undefined;
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
