// Model layer (pure): STUB, to be written (EP-1..4). Must not import vscode, LSP, node:* or fs.
import type { BuildContext } from './context';

export function resolveEndpoints(_ctx: BuildContext): void {
  // not yet implemented
}
