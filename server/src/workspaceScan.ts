// Server layer (LSP glue, Node side): finds the workspace's manifest files on disk. May import node:fs/node:path;
// must not import vscode, the client, or LSP types (it only deals in paths, so it is testable on its own).
import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

const MANIFEST = /\.ya?ml$/i;
/** Never worth reading: dependencies and VCS metadata (thousands of YAML files that are not manifests). */
export const ALWAYS_SKIPPED: ReadonlySet<string> = new Set(['node_modules', '.git', '.hg', '.svn']);

/** Whether a file name is a manifest the model reads (`*.yaml`, `*.yml`). Shared by the server and the CLI. */
export function isManifestName(name: string): boolean {
  return MANIFEST.test(name);
}

/**
 * Converts a VS Code glob (`files.exclude` key) to a RegExp over '/'-separated paths relative to the folder.
 * Supports `**`, `*`, `?`, `{a,b}` and `[...]`, which is what files.exclude patterns use.
 */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  let inGroup = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        // `**/` matches zero or more folders; a trailing `**` matches everything below.
        const slash = glob[i + 2] === '/';
        re += slash ? '(?:.*/)?' : '.*';
        i += slash ? 2 : 1;
      } else {
        re += '[^/]*';
      }
    } else if (c === '?') re += '[^/]';
    else if (c === '{') {
      inGroup++;
      re += '(?:';
    } else if (c === '}' && inGroup > 0) {
      inGroup--;
      re += ')';
    } else if (c === ',' && inGroup > 0) re += '|';
    else if (c === '[') {
      const close = glob.indexOf(']', i + 1);
      if (close < 0) re += '\\[';
      else {
        re += '[' + glob.slice(i + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\') + ']';
        i = close;
      }
    } else re += c.replace(/[.+^$()|\\]/g, '\\$&');
  }
  // A pattern without a slash-anchored prefix still matches at the folder's root only, as in VS Code,
  // but a folder match excludes everything below it.
  return new RegExp(`^${re}(?:/.*)?$`);
}

/** `files.exclude`-style map → predicate over relative '/' paths. Only `true` entries exclude (`when` clauses are ignored). */
export function excludeMatcher(exclude: Record<string, unknown> | undefined): (relPath: string) => boolean {
  const res = Object.entries(exclude ?? {})
    .filter(([, v]) => v === true)
    .map(([k]) => globToRegExp(k));
  return (p) => res.some((r) => r.test(p));
}

/** Every `*.yaml`/`*.yml` under `root`, sorted, skipping node_modules, .git and excluded paths. */
export async function findManifests(root: string, isExcluded: (relPath: string) => boolean, limit = 50_000): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return; // unreadable folders are skipped, like the explorer does
    }
    for (const e of entries) {
      if (out.length >= limit) return;
      const full = join(dir, e.name);
      const rel = relative(root, full).split(sep).join('/');
      if (isExcluded(rel)) continue;
      if (e.isDirectory()) {
        if (!ALWAYS_SKIPPED.has(e.name)) await walk(full);
      } else if (e.isFile() && isManifestName(e.name)) {
        out.push(full);
      }
    }
  };
  await walk(root);
  return out.sort();
}
