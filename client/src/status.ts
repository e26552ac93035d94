// Client layer: the status bar item and the small menu its click opens (Problems, the output, the cluster profile,
// the rule reference). May import vscode and shared/; must not import the server or the model.
import * as vscode from 'vscode';
import type { StatusParams } from '../../shared/protocol';
import { OPEN_RULE_COMMAND } from '../../shared/rules';

export const STATUS_MENU_COMMAND = 'netpath.statusMenu';
const PROFILE = 'netpath.cluster.yaml';

/** Every field commented out: saving it changes nothing until a line is uncommented (CL-1, CL-5). */
const PROFILE_TEMPLATE = `# kube-netpath cluster profile: what the manifests do not say. Every field is optional; the values below
# are the built-in defaults (a k3s-like cluster with flannel/VXLAN). Uncomment a line to change it.
# clusterDomain: cluster.local
# serviceCIDR: 10.43.0.0/16
# podCIDR: 10.42.0.0/16
# nodePortRange: 30000-32767
# dnsServiceIP: 10.43.0.10
# kubeletMaxPods: 110
# Declaring nodes replaces the assumed ones (node1, node2 and as many more as the pods need):
# nodes:
#   - { name: node1, internalIP: 10.0.0.1, podCIDR: 10.42.0.0/24 }
#   - { name: node2, internalIP: 10.0.0.2, podCIDR: 10.42.1.0/24 }
# externalHosts:
#   - { name: node3, ip: 10.0.0.3 }
# routes: []              # e.g. { host: node3, to: 10.43.0.0/16, via: 10.0.0.1 }
# ingressController: { namespace: ingress-nginx, exposure: hostPort }
`;

export function createStatusItem(): vscode.StatusBarItem {
  const item = vscode.window.createStatusBarItem('netpath.status', vscode.StatusBarAlignment.Left, 10);
  item.name = 'kube-netpath';
  item.text = '$(sync~spin) netpath';
  item.tooltip = 'kube-netpath: indexing manifests';
  item.command = STATUS_MENU_COMMAND;
  item.show();
  return item;
}

/** Counts, with an error icon when the manifests have errors (a warning icon for warnings alone). */
export function showStatus(item: vscode.StatusBarItem, s: StatusParams): void {
  if (s.state === 'indexing') {
    item.text = `$(sync~spin) netpath: indexing ${s.files} files`;
    return;
  }
  const problems = [s.errors > 0 ? `$(error) ${s.errors}` : '', s.warnings > 0 ? `$(warning) ${s.warnings}` : ''].filter(Boolean).join(' ');
  item.text = `$(type-hierarchy) netpath: ${s.pods} pods · ${s.services} svc${problems ? ` · ${problems}` : ''}`;
  item.tooltip = `kube-netpath: ${s.files} files, ${s.resources} resources, ${s.pods} pods, ${s.services} Services; ${s.errors} errors, ${s.warnings} warnings; analysed in ${s.analysisMs} ms. Click for Problems, output and the cluster profile.`;
}

async function profileUri(): Promise<vscode.Uri | undefined> {
  // Only at a workspace folder's root, where the server reads it (CL-1).
  const [found] = await vscode.workspace.findFiles(PROFILE, undefined, 1);
  return found;
}

export function registerStatusMenu(): vscode.Disposable {
  return vscode.commands.registerCommand(STATUS_MENU_COMMAND, async () => {
    const profile = await profileUri();
    const root = vscode.workspace.workspaceFolders?.[0]?.uri;
    type Item = vscode.QuickPickItem & { run: () => Thenable<unknown> };
    const items: Item[] = [
      { label: '$(warning) Show Problems', description: 'every diagnostic of the workspace', run: () => vscode.commands.executeCommand('workbench.actions.view.problems') },
      { label: '$(output) Show output', description: 'the kube-netpath log', run: () => vscode.commands.executeCommand('netpath.showOutput') },
    ];
    if (profile) items.push({ label: '$(gear) Open cluster profile', description: vscode.workspace.asRelativePath(profile), run: () => vscode.window.showTextDocument(profile) });
    else if (root) {
      items.push({
        label: '$(new-file) Create cluster profile',
        description: `${PROFILE} (none yet: the built-in defaults are in use)`,
        // An unsaved editor at the root: nothing is written until the user saves.
        run: async () => {
          const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(root, PROFILE).with({ scheme: 'untitled' }));
          const editor = await vscode.window.showTextDocument(doc);
          if (doc.getText() === '') await editor.edit((e) => e.insert(new vscode.Position(0, 0), PROFILE_TEMPLATE));
        },
      });
    }
    items.push({ label: '$(book) Open a rule', description: 'docs/rules.md', run: () => vscode.commands.executeCommand(OPEN_RULE_COMMAND) });
    const picked = await vscode.window.showQuickPick(items, { title: 'kube-netpath' });
    await picked?.run();
  });
}
