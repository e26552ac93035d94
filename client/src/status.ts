// Client layer: the status bar item and the small menu its click opens (Problems, the output, the cluster profile,
// the rule reference). May import vscode and shared/; must not import the server or the model.
import * as vscode from 'vscode';
import { PICK_ENVIRONMENT_COMMAND, type StatusParams } from '../../shared/protocol';
import { OPEN_RULE_COMMAND } from '../../shared/rules';

export const STATUS_MENU_COMMAND = 'netpath.statusMenu';
const PROFILE = 'netpath.cluster.yaml';

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

/** The server's draft of the profile (what the model assumed), or '' when the server cannot answer. */
export type ProfileDraft = () => Promise<string>;

/**
 * Opens an unsaved `netpath.cluster.yaml` at the first folder's root holding what the model assumed: nothing is
 * written until the user saves (CL-1, CL-5).
 */
async function createProfile(root: vscode.Uri, draft: ProfileDraft): Promise<void> {
  const text = await draft().catch(() => '');
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(root, PROFILE).with({ scheme: 'untitled' }));
  const editor = await vscode.window.showTextDocument(doc);
  if (doc.getText() === '' && text) await editor.edit((e) => e.insert(new vscode.Position(0, 0), text));
}

const OFFER_KEY = 'netpath.profileOffered';

/**
 * Once per workspace, when it has no profile: offers to write one from what the model assumed, so the user
 * knows the nodes and addresses are assumptions and can make them exact. Dismissing it is final.
 */
export async function offerProfileOnce(state: vscode.Memento, draft: ProfileDraft): Promise<void> {
  const root = vscode.workspace.workspaceFolders?.[0]?.uri;
  if (!root || state.get<boolean>(OFFER_KEY) || (await profileUri())) return;
  await state.update(OFFER_KEY, true);
  const create = 'Create netpath.cluster.yaml';
  const picked = await vscode.window.showInformationMessage(
    `kube-netpath found no ${PROFILE}: node names, node and pod addresses and the ingress controller are assumed (k3s-like defaults). Create a profile from these assumptions to make them match your cluster?`,
    create,
    'Not now',
  );
  if (picked === create) await createProfile(root, draft);
}

export function registerStatusMenu(draft: ProfileDraft): vscode.Disposable {
  return vscode.commands.registerCommand(STATUS_MENU_COMMAND, async () => {
    const profile = await profileUri();
    const root = vscode.workspace.workspaceFolders?.[0]?.uri;
    type Item = vscode.QuickPickItem & { run: () => Thenable<unknown> };
    const items: Item[] = [
      {
        label: '$(warning) Show Problems',
        description: 'every diagnostic of the workspace',
        run: () => vscode.commands.executeCommand('workbench.actions.view.problems'),
      },
      { label: '$(output) Show output', description: 'the kube-netpath log', run: () => vscode.commands.executeCommand('netpath.showOutput') },
    ];
    if (profile)
      items.push({
        label: '$(gear) Open cluster profile',
        description: vscode.workspace.asRelativePath(profile),
        run: () => vscode.window.showTextDocument(profile),
      });
    else if (root) {
      items.push({
        label: '$(new-file) Create cluster profile',
        description: `${PROFILE} from what the model assumed (none yet: the built-in defaults are in use)`,
        run: () => createProfile(root, draft),
      });
    }
    items.push({ label: '$(book) Open a rule', description: 'docs/rules.md', run: () => vscode.commands.executeCommand(OPEN_RULE_COMMAND) });
    const picked = await vscode.window.showQuickPick(items, { title: 'kube-netpath' });
    await picked?.run();
  });
}

type Environments = NonNullable<StatusParams['environments']>;

/** The environment item (IN-1): shown only in a workspace with kustomization roots; click to pick. */
export function createEnvironmentItem(): vscode.StatusBarItem {
  const item = vscode.window.createStatusBarItem('netpath.environment', vscode.StatusBarAlignment.Left, 9);
  item.name = 'kube-netpath environment';
  item.command = PICK_ENVIRONMENT_COMMAND;
  return item;
}

export function showEnvironments(item: vscode.StatusBarItem, s: StatusParams): void {
  const env = s.environments;
  if (s.state !== 'ready') return;
  if (!env || env.all.length === 0) {
    item.hide();
    return;
  }
  const shown = env.modelled.length === env.all.length ? 'all environments' : env.modelled.join(', ');
  item.text = `$(layers) ${shown.length > 40 ? `${env.modelled.length} of ${env.all.length} environments` : shown}`;
  const unmatched = env.unmatched.length ? ` netpath.kustomize.roots names no root for: ${env.unmatched.join(', ')}.` : '';
  item.tooltip = `kube-netpath models the kustomize roots ${env.modelled.join(', ')} (of ${env.all.join(', ')}).${unmatched} Click to pick.`;
  item.show();
}

/**
 * Picks the environments (kustomize roots) the model holds: writes `netpath.kustomize.roots` for this
 * workspace; all of them (or none) clears it, so the untouched default stays.
 */
export function registerEnvironmentPick(last: () => Environments | undefined): vscode.Disposable {
  return vscode.commands.registerCommand(PICK_ENVIRONMENT_COMMAND, async () => {
    const env = last();
    if (!env || env.all.length === 0) {
      void vscode.window.showInformationMessage('kube-netpath: this workspace has no kustomization roots to pick from.');
      return;
    }
    const items = env.all.map((name) => ({ label: name, picked: env.modelled.includes(name) }));
    const picked = await vscode.window.showQuickPick(items, {
      title: 'kube-netpath: environments in the model',
      canPickMany: true,
      placeHolder: 'Kustomize roots whose objects the model holds',
    });
    if (!picked) return;
    const names = picked.length === 0 || picked.length === env.all.length ? undefined : picked.map((p) => p.label);
    await vscode.workspace.getConfiguration('netpath').update('kustomize.roots', names, vscode.ConfigurationTarget.Workspace);
  });
}
