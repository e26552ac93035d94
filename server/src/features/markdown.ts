// Server layer: markdown that manifest text cannot break out of. Must not import vscode.
// Names, values and messages in hovers come from the workspace, which is untrusted: a backtick would close
// inline code, and `[x](https://…)` or `![x](https://…)` would render as a live link or a remote image.

/** Longest quoted manifest string kept in a hover (a real name is at most 253 characters). */
export const MAX_QUOTED = 256;
/** Longest hover sent: a 1 MB name once made a 4 MB hover. */
export const MAX_HOVER = 32 * 1024;

/** Cuts `s` to `max` characters, saying how much was left out. */
export function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max)}… (${s.length - max} more characters)`;
}

/**
 * Markdown inline code holding `s` verbatim: the fence is one backtick longer than the longest run of
 * backticks inside (CommonMark), padded with spaces where `s` starts or ends with one. Line breaks become
 * spaces (inline code is one line).
 */
export function code(s: string | number): string {
  const t = clip(String(s), MAX_QUOTED).replace(/[\r\n]+/g, ' ');
  let longest = 0;
  for (const run of t.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = '`'.repeat(longest + 1);
  const pad = t.startsWith('`') || t.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${t}${pad}${fence}`;
}

/** Plain text shown as itself in markdown: every ASCII punctuation character that markdown reads is escaped. */
export function escapeMarkdown(s: string): string {
  return s.replace(/[\\`*_{}[\]()<>#+\-.!|~&"']/g, '\\$&');
}

/** The whole hover, cut at MAX_HOVER characters (at a line break where there is one). */
export function capHover(markdown: string): string {
  if (markdown.length <= MAX_HOVER) return markdown;
  const cut = markdown.lastIndexOf('\n', MAX_HOVER);
  return `${markdown.slice(0, cut > 0 ? cut : MAX_HOVER)}\n\n*… hover cut at ${MAX_HOVER} characters*`;
}

/** `1 pod`, `3 pods`, `2 Ingresses`. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
