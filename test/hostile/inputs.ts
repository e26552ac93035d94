// Hostile-input test support (Node): the inputs an attacker could commit, written out on disk. Must not import
// vscode or LSP.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const SERVICE = (name: string): string => `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n  selector:\n    app: ${name}\n  ports:\n  - port: 80\n`;

/** 27 bytes that once expanded without end: an anchor whose node holds aliases to itself. */
export const cyclicAlias = 'clusterDomain: &a [*a, *a]\n';

/**
 * "Billion laughs": `levels` anchors, each a list of nine aliases to the one before; 9^levels nodes once
 * expanded, a few hundred bytes written. `head` goes before it (a manifest's apiVersion/kind/metadata).
 */
export function aliasBomb(key: string, levels: number, head = ''): string {
  const lines = [`${head}l0: &l0 [x, x, x, x, x, x, x, x, x]`];
  for (let i = 1; i <= levels; i++) lines.push(`l${i}: &l${i} [${Array(9).fill(`*l${i - 1}`).join(', ')}]`);
  lines.push(`${key}: *l${levels}`);
  return `${lines.join('\n')}\n`;
}

/** A ConfigMap whose list holds `n` aliases to one anchored scalar (each alias once cost a walk of the document). */
export function manyAliases(n: number): string {
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: many\ndata:\n  anchor: &v value\nlist:\n${'- *v\n'.repeat(n)}`;
}

/** A fresh folder holding `files` (path -> text or bytes). */
export function workspace(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), 'netpath-hostile-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}
