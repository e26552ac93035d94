// Model layer (pure): STUB, to be written (SVC-1..9, IP-4, IP-5). Must not import vscode, LSP, node:* or fs.
import type { BuildContext } from './context';

export function resolveServices(_ctx: BuildContext): void {
  // not yet implemented
}
