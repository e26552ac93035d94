// Model layer (pure): STUB, to be written (NP-1..6). Must not import vscode, LSP, node:* or fs.
import type { BuildContext } from './context';

export function resolveNetworkPolicies(_ctx: BuildContext): void {
  // not yet implemented
}
