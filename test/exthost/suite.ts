// Extension-host test layer: runs INSIDE VS Code's extension host (desktop VS Code via @vscode/test-electron, or
// code-server's via the `extensionTestsPath` payload). May import vscode and node:*; must not import the server,
// the client's modules or the model: it drives the extension through the public vscode API only.
// No mocha here (one less dependency): a few sequential checks, each waiting on a condition, and a summary line.
import * as vscode from 'vscode';
import { writeFileSync } from 'node:fs';
import assert from 'node:assert/strict';

type Check = [name: string, fn: () => Promise<void>];

/** Resolves with the first truthy value of `fn`, retrying until `timeoutMs` (the server indexes asynchronously). */
async function eventually<T>(fn: () => Promise<T | undefined | false>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function folderFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the suite needs a workspace folder (test/editor/workspace)');
  return vscode.Uri.joinPath(folder.uri, name);
}

function hoverText(hovers: vscode.Hover[]): string {
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
}

const checks: Check[] = [
  [
    'the extension activates',
    async () => {
      const ext = vscode.extensions.getExtension('kube-netpath.kube-netpath');
      assert.ok(ext, 'extension kube-netpath.kube-netpath is installed');
      await vscode.window.showTextDocument(folderFile('service.yaml'));
      await ext.activate();
      assert.ok((await vscode.commands.getCommands(true)).includes('netpath.traceTraffic'));
    },
  ],
  [
    'hover on the Service name answers its DNS name and ClusterIP',
    async () => {
      const uri = folderFile('service.yaml');
      const doc = await vscode.workspace.openTextDocument(uri);
      const pos = doc.positionAt(doc.getText().indexOf('name: storefront') + 7);
      const text = await eventually(async () => {
        const t = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, pos));
        return t.includes('10.43.0.20') && t;
      }, 'a hover with the ClusterIP');
      assert.match(text, /storefront\.shop\.svc\.cluster\.local/);
    },
  ],
  [
    'code lenses above the Service',
    async () => {
      const uri = folderFile('service.yaml');
      const lenses = await eventually(async () => {
        const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
        return l.some((x) => x.command?.title === 'Trace traffic') && l;
      }, 'the Trace traffic lens');
      assert.ok(lenses.some((l) => /^10\.43\.0\.20 · \d+ endpoints?$/.test(l.command?.title ?? '')));
    },
  ],
  [
    'netpath.openRule opens the shipped docs/rules.md at the rule; an unknown id opens nothing',
    async () => {
      await vscode.commands.executeCommand('netpath.openRule', 'SVC-2');
      const editor = await eventually(async () => {
        const e = vscode.window.activeTextEditor;
        return e?.document.uri.path.endsWith('/docs/rules.md') && e;
      }, 'docs/rules.md in the active editor');
      assert.equal(editor.document.lineAt(editor.selection.active.line).text, '### SVC-2');
      await vscode.window.showTextDocument(folderFile('service.yaml'));
      await vscode.commands.executeCommand('netpath.openRule', '../../package.json');
      await new Promise((r) => setTimeout(r, 500));
      assert.ok(vscode.window.activeTextEditor?.document.uri.path.endsWith('/service.yaml'), 'still on service.yaml');
    },
  ],
  [
    'Trace traffic with explicit refs opens the panel',
    async () => {
      await vscode.commands.executeCommand('netpath.traceTraffic', { from: 'deploy:shop/shopper', to: 'svc:shop/storefront' });
      await eventually(
        async () => vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputWebview && t.label.startsWith('Trace:'))),
        'the Trace panel tab',
      );
    },
  ],
];

/** Entry point VS Code calls for `extensionTestsPath`. Rejects when a check failed (non-zero exit for runTests). */
export async function run(): Promise<void> {
  const results: { name: string; ok: boolean; error?: string }[] = [];
  for (const [name, fn] of checks) {
    try {
      await fn();
      results.push({ name, ok: true });
      console.log(`ok - ${name}`);
    } catch (e) {
      results.push({ name, ok: false, error: e instanceof Error ? e.message : String(e) });
      console.log(`not ok - ${name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  const failed = results.filter((r) => !r.ok).length;
  const summary = `${results.length - failed} passed, ${failed} failed`;
  console.log(summary);
  // The code-server runner has no process exit code to read: it waits for this file instead.
  const out = process.env.NETPATH_EXTHOST_RESULT;
  if (out) writeFileSync(out, JSON.stringify({ results, summary }, null, 2));
  if (failed) throw new Error(summary);
}
