// Client layer: the `netpath.openRule` command — opens the extension's copy of docs/rules.md at a rule's heading.
// May import vscode and shared/; must not import the server or the model. Its argument comes from hover links and
// the trace panel (untrusted input): only ids of shared/rules.ts are opened, anything else is refused.
import * as vscode from 'vscode';
import { isRuleId, OPEN_RULE_COMMAND, RULE_IDS, type RuleId } from '../../shared/rules';

/**
 * Opens the rule as text at its heading, scrolled to the top. (The markdown preview cannot be sent to a heading
 * by a public command; the text editor can, the same way in VS Code and code-server.)
 */
export async function openRule(extensionUri: vscode.Uri, id: RuleId): Promise<void> {
  const uri = vscode.Uri.joinPath(extensionUri, 'docs', 'rules.md');
  const doc = await vscode.workspace.openTextDocument(uri);
  const heading = `### ${id}`;
  let line = 0;
  for (let i = 0; i < doc.lineCount; i++) {
    if (doc.lineAt(i).text.trimEnd() === heading) {
      line = i;
      break;
    }
  }
  const at = new vscode.Range(line, 0, line, heading.length);
  const editor = await vscode.window.showTextDocument(doc, { selection: at, preview: true, viewColumn: vscode.ViewColumn.Active });
  editor.revealRange(at, vscode.TextEditorRevealType.AtTop);
}

export function registerOpenRule(extensionUri: vscode.Uri): vscode.Disposable {
  return vscode.commands.registerCommand(OPEN_RULE_COMMAND, async (arg?: unknown) => {
    if (arg === undefined) {
      // From the command palette: pick a rule.
      const picked = await vscode.window.showQuickPick([...RULE_IDS], { title: 'Open kube-netpath rule' });
      if (isRuleId(picked)) await openRule(extensionUri, picked);
      return;
    }
    if (!isRuleId(arg)) return; // a link or message naming no rule opens nothing
    await openRule(extensionUri, arg);
  });
}
