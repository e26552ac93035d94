// Model layer (pure): STUB, to be written (CL-2, CL-3). Must not import vscode, LSP, node:* or fs.
import type { BuildContext } from './context';

export function resolveNodes(_ctx: BuildContext): void {
  // not yet implemented
}
