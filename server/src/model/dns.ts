// Model layer (pure): STUB, to be written (DNS-1..5). Must not import vscode, LSP, node:* or fs.
import type { BuildContext } from './context';

export function resolveDns(_ctx: BuildContext): void {
  // not yet implemented
}
