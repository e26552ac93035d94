// Model layer (pure): STUB, to be written (CL-4). Must not import vscode, LSP, node:* or fs.
import type { BuildContext } from './context';

export function resolveNamespaces(_ctx: BuildContext): void {
  // not yet implemented
}
