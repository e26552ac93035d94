// Model layer (pure): offsets <-> line/character. Must not import vscode, LSP, node:* or fs.

/** Zero-based line and UTF-16 character, as in LSP. */
export interface Position {
  line: number;
  character: number;
}

export function computeLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
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
