// Model layer (pure): STUB, to be written (§10 diagnostics that need the whole model). Must not import vscode, LSP, node:* or fs.
import type { BuildContext } from './context';

export function crossChecks(_ctx: BuildContext): void {
  // not yet implemented
}
