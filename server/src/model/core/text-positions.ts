// Model layer (pure): offsets <-> line/character. Must not import vscode, LSP, node:* or fs.

/** Zero-based line and UTF-16 character, as in LSP. */
export interface Position {
  line: number;
  character: number;
}

/** Line starts after `\n`, `\r\n` and a lone `\r`: the three line breaks of YAML 1.2, LSP and VS Code. */
export function computeLineStarts(text: string): number[] {
  const starts = [0];
  if (!hasLoneCR(text)) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    return starts;
  }
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
  }
  return starts;
}

const LONE_CR = /\r(?!\n)/;
function hasLoneCR(text: string): boolean {
  return text.includes('\r') && LONE_CR.test(text);
}

/**
 * The text with each lone `\r` turned into `\n`. YAML 1.2 (and Go's reader, which kubectl uses) breaks
 * lines at a lone CR, as old Mac files have them; the `yaml` library does not, and read a file that
 * starts with a comment as one long comment, losing every object in it. One character for one: every
 * offset stays where it was, so spans still point into the text the editor shows.
 */
export function normalizeLineBreaks(text: string): string {
  return hasLoneCR(text) ? text.replace(/\r(?!\n)/g, '\n') : text;
}

export function offsetToPosition(lineStarts: readonly number[], offset: number): Position {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((lineStarts[mid] ?? 0) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo, character: offset - (lineStarts[lo] ?? 0) };
}

export function positionToOffset(lineStarts: readonly number[], pos: Position): number {
  const start = lineStarts[Math.min(Math.max(pos.line, 0), lineStarts.length - 1)] ?? 0;
  return start + Math.max(pos.character, 0);
}
