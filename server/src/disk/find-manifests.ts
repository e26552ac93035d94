// Disk layer (Node side, shared by the language server and the CLI): finds the manifest files under a folder. May import node:fs/node:path;
// must not import vscode, the client, or LSP types (it only deals in paths, so it is testable on its own).
import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { compileGlob, type CompiledGlob } from './glob';

const MANIFEST = /\.ya?ml$/i;
/** Never worth reading: dependencies and VCS metadata (thousands of YAML files that are not manifests). */
export const ALWAYS_SKIPPED: ReadonlySet<string> = new Set(['node_modules', '.git', '.hg', '.svn']);

/** Whether a file name is a manifest the model reads (`*.yaml`, `*.yml`). Shared by the server and the CLI. */
export function isManifestName(name: string): boolean {
  return MANIFEST.test(name);
}

/**
 * `files.exclude`-style map → predicate over relative '/' paths. Only `true` entries exclude (`when`
 * clauses are ignored). A pattern that cannot be used (the map comes from the workspace's own settings,
 * so it may be hostile) is left out and passed to `onBadPattern`, never thrown.
 */
export function excludeMatcher(
  exclude: Record<string, unknown> | undefined,
  onBadPattern?: (pattern: string, why: string) => void,
): (relPath: string) => boolean {
  const globs: CompiledGlob[] = [];
  for (const [pattern, on] of Object.entries(exclude ?? {})) {
    if (on !== true) continue;
    const g = compileGlob(pattern);
    if ('error' in g) onBadPattern?.(pattern, g.error);
    else globs.push(g);
  }
  return (p) => globs.some((g) => g.matches(p));
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
      } else if (isManifestName(e.name)) {
        // Symbolic links, FIFOs and devices are listed too: readManifest.ts refuses them with a diagnostic,
        // the same as the watcher and the CLI, rather than passing over them in silence.
        out.push(full);
      }
    }
  };
  await walk(root);
  return out.sort();
}
