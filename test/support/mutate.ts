// Test support: deterministic mutations of manifest text (cut, duplicated, re-indented and swapped lines,
// hostile values), for the fuzz and fast-YAML tests. Must not import vscode or LSP.

/** A small deterministic generator (xorshift32): same mutations every run, so a failure reproduces. */
export function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x100000000;
  };
}

export const HOSTILE = [
  '<img src=x onerror=alert(1)>',
  '"; rm -rf /',
  '{{ .Values }}',
  '*a',
  '&a [*a, *a]',
  '\u0000',
  '\u202e',
  'x'.repeat(5000),
  '- - -',
  '? complex',
  '!!binary AAAA',
  '0x1F',
  '.inf',
  '~',
  '[',
  '{',
];

export function mutate(text: string, r: () => number): string {
  const lines = text.split('\n');
  const pick = () => Math.floor(r() * lines.length);
  const ops = 1 + Math.floor(r() * 4);
  for (let k = 0; k < ops; k++) {
    const i = pick();
    const op = Math.floor(r() * 6);
    if (op === 0) lines.splice(i, 1 + Math.floor(r() * 3));
    else if (op === 1) lines.splice(i, 0, lines[pick()] ?? '');
    else if (op === 2) lines[i] = (lines[i] ?? '').replace(/:\s.*$/, `: ${HOSTILE[Math.floor(r() * HOSTILE.length)]}`);
    else if (op === 3) lines[i] = `${' '.repeat(Math.floor(r() * 6))}${(lines[i] ?? '').trimStart()}`;
    else if (op === 4) [lines[i], lines[pick()]] = [lines[pick()] ?? '', lines[i] ?? ''];
    else lines[i] = (lines[i] ?? '').slice(0, Math.floor(r() * (lines[i]?.length ?? 0)));
  }
  return lines.join('\n');
}
