// CLI layer: the escaping of human output. Pure (no I/O, no process): the language server uses it too, for the
// trace text the panel copies, so that both faces give the same text. Must not import vscode, LSP or node:*.

/**
 * Control characters (C0 but tab and newline, DEL, C1) and Unicode bidi overrides. Names and values in
 * manifests reach the terminal in human output: an ESC there would be a command to the terminal (OSC 52
 * writes the clipboard, OSC 0 the window title), a CR or a bidi override would hide text.
 */
const UNSAFE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** The text with every unsafe character shown as a `\uXXXX` escape, as `--json` would show it. */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
