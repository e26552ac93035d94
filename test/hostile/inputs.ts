// Hostile-input test support (Node): the inputs an attacker could commit, written out on disk. Must not import
// vscode or LSP.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const SERVICE = (name: string): string =>
  `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n  selector:\n    app: ${name}\n  ports:\n  - port: 80\n`;

/** 27 bytes that once expanded without end: an anchor whose node holds aliases to itself. */
export const cyclicAlias = 'clusterDomain: &a [*a, *a]\n';

/**
 * "Billion laughs": `levels` anchors, each a list of nine aliases to the one before; 9^levels nodes once
 * expanded, a few hundred bytes written. `head` goes before it (a manifest's apiVersion/kind/metadata).
 */
export function aliasBomb(key: string, levels: number, head = ''): string {
  const lines = [`${head}l0: &l0 [x, x, x, x, x, x, x, x, x]`];
  for (let i = 1; i <= levels; i++)
    lines.push(
      `l${i}: &l${i} [${Array(9)
        .fill(`*l${i - 1}`)
        .join(', ')}]`,
    );
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

/**
 * A selector-less Service `default/big` with `n` endpoints in EndpointSlices of 100 (EP-3), spread over node1
 * and node2, and a client Pod `default/client`.
 */
export function bigService(n: number): string {
  const docs = [
    'apiVersion: v1\nkind: Service\nmetadata:\n  name: big\nspec:\n  ports:\n  - name: http\n    port: 80\n',
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: client\nspec:\n  containers:\n  - name: c\n    image: busybox\n',
  ];
  for (let k = 0; k * 100 < n; k++) {
    const eps = Array.from(
      { length: Math.min(100, n - k * 100) },
      (_, j) => `- addresses: ["10.${200 + (k >> 8)}.${k & 255}.${j + 1}"]\n  nodeName: node${1 + (j % 2)}\n`,
    ).join('');
    docs.push(
      `apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: big-${k}\n  labels:\n    kubernetes.io/service-name: big\naddressType: IPv4\nports:\n- name: http\n  port: 8080\nendpoints:\n${eps}`,
    );
  }
  return docs.join('---\n');
}
