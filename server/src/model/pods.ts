// Model layer (pure): STUB, to be written (WL-1..6, IP-1..3). Must not import vscode, LSP, node:* or fs.
import type { BuildContext } from './context';

export function resolvePods(_ctx: BuildContext): void {
  // not yet implemented
}
