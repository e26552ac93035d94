// Client layer: the Network view in the explorer — namespaces → Services, Ingresses, NetworkPolicies and workloads,
// as the server's netpath/networkTree answers them. A click opens the manifest line; Services and Ingress rules
// have a Trace action. May import vscode and shared/; must not import the server or the model.
import * as vscode from 'vscode';
import type { NetworkItem, NetworkTreeResult } from '../../shared/protocol';

export const NETWORK_VIEW = 'netpath.network';
export const TRACE_ITEM_COMMAND = 'netpath.network.trace';
export const REFRESH_COMMAND = 'netpath.network.refresh';

const ICONS: Record<NetworkItem['kind'], string> = {
  namespace: 'symbol-namespace',
  group: 'folder',
  service: 'symbol-interface',
  ingress: 'globe',
  ingressRule: 'link',
  policy: 'shield',
  workload: 'server-process',
  pod: 'circle-small-filled',
  more: 'ellipsis',
};

class NetworkTree implements vscode.TreeDataProvider<NetworkItem> {
  private readonly changed = new vscode.EventEmitter<NetworkItem | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private roots: Promise<NetworkItem[]> | undefined;

  constructor(private readonly fetch: () => Promise<NetworkTreeResult>) {}

  /** The next getChildren asks the server again (after an analysis). */
  refresh(): void {
    this.roots = undefined;
    this.changed.fire(undefined);
  }

  getChildren(item?: NetworkItem): vscode.ProviderResult<NetworkItem[]> {
    if (item) return item.children ?? [];
    this.roots ??= this.fetch().then(
      (r) => r.namespaces,
      () => [],
    );
    return this.roots;
  }

  getTreeItem(item: NetworkItem): vscode.TreeItem {
    const t = new vscode.TreeItem(
      item.label,
      item.children?.length
        ? item.kind === 'namespace'
          ? vscode.TreeItemCollapsibleState.Expanded
          : vscode.TreeItemCollapsibleState.Collapsed
        : vscode.TreeItemCollapsibleState.None,
    );
    if (item.description) t.description = item.description;
    if (item.tooltip) t.tooltip = item.tooltip;
    t.iconPath = new vscode.ThemeIcon(ICONS[item.kind]);
    // `traceable` shows the inline Trace action (package.json, view/item/context).
    t.contextValue = item.traceTo ? `${item.kind}.traceable` : item.kind;
    const loc = item.location;
    if (loc) {
      const r = loc.range;
      const selection = new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
      t.command = {
        title: 'Open',
        command: 'vscode.open',
        arguments: [vscode.Uri.parse(loc.uri), { selection, preview: true } satisfies vscode.TextDocumentShowOptions],
      };
    }
    return t;
  }
}

/** Registers the view and its commands; `refresh` is called after each analysis, and refetches only when visible. */
export function registerNetworkView(fetch: () => Promise<NetworkTreeResult>): { disposables: vscode.Disposable[]; refresh: () => void } {
  const tree = new NetworkTree(fetch);
  const view = vscode.window.createTreeView(NETWORK_VIEW, { treeDataProvider: tree, showCollapseAll: true });
  let stale = false;
  const refresh = (): void => {
    if (view.visible) tree.refresh();
    else stale = true;
  };
  return {
    refresh,
    disposables: [
      view,
      view.onDidChangeVisibility((e) => {
        if (e.visible && stale) {
          stale = false;
          tree.refresh();
        }
      }),
      vscode.commands.registerCommand(REFRESH_COMMAND, () => tree.refresh()),
      vscode.commands.registerCommand(TRACE_ITEM_COMMAND, (item?: NetworkItem) => {
        if (item?.traceTo) return vscode.commands.executeCommand('netpath.traceTraffic', { to: item.traceTo });
        return undefined;
      }),
    ],
  };
}
