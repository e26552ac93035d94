// Client layer: the extension's entry point. May import vscode, vscode-languageclient and shared/; must not import
// server/ or the model (the server runs in its own process and answers over LSP).
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { SERVER_EXEC_ARGV } from '../../shared/serverProcess';
import type { Notifications, Requests, TraceEndpoint } from '../../shared/protocol';
import type { TraceRequest } from '../../shared/webview';
import { TracePanel } from './panel';
import { registerOpenRule } from './rules';
import { registerNetworkView } from './networkView';
import { createEnvironmentItem, createStatusItem, offerProfileOnce, registerEnvironmentPick, registerStatusMenu, showEnvironments, showStatus } from './status';
import { OPEN_RULE_COMMAND } from '../../shared/rules';

let client: LanguageClient | undefined;

/** Typed wrapper: only methods of shared/protocol.ts, with their own params and results. */
function request<M extends keyof Requests>(method: M, params: Requests[M]['params']): Promise<Requests[M]['result']> {
  if (!client) return Promise.reject(new Error('kube-netpath language server is not running'));
  return client.sendRequest(method, params) as Promise<Requests[M]['result']>;
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('kube-netpath');
  context.subscriptions.push(output);

  const status = createStatusItem();
  const environment = createEnvironmentItem();
  let environments: Notifications['netpath/status']['environments'];
  context.subscriptions.push(status, environment);

  const serverModule = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: [...SERVER_EXEC_ARGV] } },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: [...SERVER_EXEC_ARGV, '--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'yaml' },
      { scheme: 'untitled', language: 'yaml' },
    ],
    synchronize: {
      configurationSection: 'netpath',
      // Files that are not open change on disk too (git checkout): the server re-reads them.
      fileEvents: vscode.workspace.createFileSystemWatcher('**/*.{yaml,yml}'),
    },
    outputChannel: output,
    // Hovers link rule ids with `command:netpath.openRule` links: trusted for that one command and no other.
    markdown: { isTrusted: { enabledCommands: [OPEN_RULE_COMMAND] } },
  };
  client = new LanguageClient('netpath', 'kube-netpath', serverOptions, clientOptions);

  const runTrace = (r: TraceRequest) => request('netpath/trace', r);
  const profileDraft = async () => (await request('netpath/profileDraft', {})).text;
  const network = registerNetworkView(() => request('netpath/networkTree', {}));
  context.subscriptions.push(...network.disposables);
  context.subscriptions.push(
    TracePanel.registerSerializer(context.extensionUri, runTrace, output),
    vscode.commands.registerCommand('netpath.showOutput', () => output.show(true)),
    registerOpenRule(context.extensionUri),
    registerStatusMenu(profileDraft),
    registerEnvironmentPick(() => environments),
    vscode.commands.registerCommand('netpath.traceTraffic', (arg?: Partial<TraceRequest>) => traceTraffic(context, runTrace, output, arg)),
  );

  let offered = false;
  client.onNotification('netpath/status', (s: Notifications['netpath/status']) => {
    showStatus(status, s);
    if (s.state === 'ready') environments = s.environments;
    showEnvironments(environment, s);
    if (s.state === 'ready') network.refresh();
    // After the first full analysis, so the draft holds what the model assumed for these manifests.
    if (s.state === 'ready' && !offered) {
      offered = true;
      void offerProfileOnce(context.workspaceState, profileDraft);
    }
  });
  client.onNotification('netpath/modelChanged', () => {
    void TracePanel.refresh();
    network.refresh();
  });

  output.appendLine(`kube-netpath activating (workspace trusted: ${vscode.workspace.isTrusted})`);
  await client.start();
  context.subscriptions.push({ dispose: () => void client?.stop() });
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}

/**
 * "Trace traffic": from a code lens (argument with `to`, maybe `from`), from the cursor's Service/Ingress rule,
 * or by quick picks of target then source. Then the panel.
 */
async function traceTraffic(
  context: vscode.ExtensionContext,
  runTrace: (r: TraceRequest) => Promise<Requests['netpath/trace']['result']>,
  output: vscode.OutputChannel,
  arg?: Partial<TraceRequest>,
): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  const onYaml = editor && editor.document.languageId === 'yaml';
  const targets = await request('netpath/traceTargets', {
    ...(onYaml ? { uri: editor.document.uri.toString(), position: { line: editor.selection.active.line, character: editor.selection.active.character } } : {}),
  });

  let to = typeof arg?.to === 'string' ? arg.to : targets.target?.ref;
  if (!to) {
    const picked = await pick(targets.targets, 'Trace traffic to…', undefined);
    if (!picked) return;
    to = picked.ref;
  }
  let from = typeof arg?.from === 'string' ? arg.from : undefined;
  if (!from) {
    const picked = await pick(targets.sources, `Trace traffic to ${to} from…`, targets.defaultSource);
    if (!picked) return;
    from = picked.ref;
  }
  const req: TraceRequest = { from, to, ...(typeof arg?.port === 'string' ? { port: arg.port } : {}) };
  output.appendLine(`trace ${req.from} → ${req.to}`);
  await TracePanel.show(context.extensionUri, runTrace, output, req);
}

async function pick(items: TraceEndpoint[], title: string, preferred: TraceEndpoint | undefined): Promise<TraceEndpoint | undefined> {
  if (items.length === 0) {
    void vscode.window.showWarningMessage('kube-netpath: no pods, Services or nodes found in the workspace manifests.');
    return undefined;
  }
  // The sensible default first, so Enter takes it.
  const ordered = preferred ? [preferred, ...items.filter((i) => i.ref !== preferred.ref)] : items;
  const chosen = await vscode.window.showQuickPick(
    ordered.map((e) => ({ label: e.label, description: e.description ?? e.ref, detail: e.kind, endpoint: e })),
    { title, matchOnDescription: true, placeHolder: preferred ? `Enter for ${preferred.label}` : 'Type to filter' },
  );
  return chosen?.endpoint;
}
