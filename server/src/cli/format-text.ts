// CLI layer: plain-text layout helpers for 80-column terminals. Must not import vscode, LSP or the model.

export const WIDTH = 80;

/** Left-aligned columns; the last column is not padded. Columns wider than needed are not truncated. */
export function table(rows: readonly (readonly string[])[], gap = 2): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd((widths[i] ?? 0) + gap)))
      .join('')
      .trimEnd(),
  );
}

/** Word-wraps `text` to `width`, prefixing every line with `indent`. Long words are kept whole. */
export function wrap(text: string, indent: string, width = WIDTH): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && indent.length + line.length + 1 + word.length > width) {
      lines.push(indent + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(indent + line);
  return lines;
}

/** `a, b, c` or a placeholder for an empty list. */
export function list(items: readonly string[], empty = '(none)'): string {
  return items.length ? items.join(', ') : empty;
}
