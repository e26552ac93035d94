// CLI layer: files and folders -> a built model. Must not import vscode or LSP; the model only through model/index.ts.
// The only place the CLI reads the file system.
import { readdirSync, readFileSync, statSync, realpathSync } from 'node:fs';
import { buildModel, computeLineStarts, parseFile, parseProfile, PROFILE_FILE, type Model, type ParsedFile } from '../model/index';
import { UsageError } from './errors';
import { ALWAYS_SKIPPED, isManifestName } from '../workspaceScan';

export interface Loaded {
  model: Model;
  /** Line starts of every file the model may point into (manifests and the profile), by file as named. */
  lineStarts: Map<string, number[]>;
  /** The manifest files, as named in the output (paths as given on the command line). */
  files: string[];
  /** The profile file used, if any. */
  profileFile: string | null;
}

/** Folders never scanned: dependencies and VCS/editor metadata are not manifests. */
/** Manifests, less the cluster profile, which is read on its own (`--cluster`). */
function isManifest(name: string): boolean {
  return isManifestName(name) && name !== PROFILE_FILE;
}

function describe(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  switch (code) {
    case 'ENOENT': return 'no such file or directory';
    case 'EACCES': case 'EPERM': return 'permission denied';
    case 'EISDIR': return 'is a directory';
    case 'ELOOP': return 'too many levels of symbolic links';
    default: return err instanceof Error ? err.message.split('\n')[0] ?? 'unreadable' : 'unreadable';
  }
}

/** Joins a folder as the user wrote it with a relative name, keeping the user's spelling (`./x/`). */
function joinGiven(dir: string, name: string): string {
  return dir.endsWith('/') || dir.endsWith('\\') ? dir + name : `${dir}/${name}`;
}

/** Expands PATH arguments to manifest files, in a stable order (sorted per folder). */
export function collectFiles(paths: readonly string[]): { files: string[]; firstFolder: string | null } {
  const files: string[] = [];
  const seen = new Set<string>();
  let firstFolder: string | null = null;
  const visitedDirs = new Set<string>();
  const walk = (dir: string): void => {
    // Symlinked folders could loop; remember the real paths already walked.
    let real: string;
    try {
      real = realpathSync(dir);
    } catch (e) {
      throw new UsageError(`cannot read ${dir}: ${describe(e)}`);
    }
    if (visitedDirs.has(real)) return;
    visitedDirs.add(real);
    let entries: string[];
    try {
      entries = readdirSync(dir).sort();
    } catch (e) {
      throw new UsageError(`cannot read ${dir}: ${describe(e)}`);
    }
    for (const name of entries) {
      const full = joinGiven(dir, name);
      let st;
      try {
        st = statSync(full);
      } catch {
        continue; // a dangling symlink inside a folder is not the user's input: skip it
      }
      if (st.isDirectory()) {
        if (!ALWAYS_SKIPPED.has(name)) walk(full);
      } else if (st.isFile() && isManifest(name) && !seen.has(full)) {
        seen.add(full);
        files.push(full);
      }
    }
  };
  for (const p of paths) {
    let st;
    try {
      st = statSync(p);
    } catch (e) {
      throw new UsageError(`cannot read ${p}: ${describe(e)}`);
    }
    if (st.isDirectory()) {
      firstFolder ??= p;
      walk(p);
    } else if (st.isFile()) {
      // A file named explicitly is read whatever its extension: the user asked for it.
      if (!seen.has(p)) {
        seen.add(p);
        files.push(p);
      }
    } else {
      throw new UsageError(`cannot read ${p}: not a regular file or folder`);
    }
  }
  return { files, firstFolder };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Reads a text file; a NUL byte or invalid UTF-8 means binary, which is a usage error (exit 2). */
export function readText(file: string): string {
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${describe(e)}`);
  }
  if (buf.subarray(0, 8192).includes(0)) throw new UsageError(`cannot read ${file}: binary file, not YAML`);
  try {
    return utf8.decode(buf);
  } catch {
    throw new UsageError(`cannot read ${file}: binary file (not valid UTF-8), not YAML`);
  }
}

/** Reads PATHs and the profile, parses and builds the model (everything the commands answer from). */
export function loadWorkspace(paths: readonly string[], clusterOption: string | undefined): Loaded {
  const { files, firstFolder } = collectFiles(paths);
  const profileFile = clusterOption ?? defaultProfileFile(firstFolder);
  const lineStarts = new Map<string, number[]>();
  let profileText: string | undefined;
  if (profileFile !== null) {
    profileText = readText(profileFile);
    lineStarts.set(profileFile, computeLineStarts(profileText));
  }
  const parsed: ParsedFile[] = [];
  const manifests: string[] = [];
  for (const file of files) {
    if (file === profileFile) continue;
    const pf = parseFile(file, readText(file));
    parsed.push(pf);
    manifests.push(file);
    lineStarts.set(file, pf.lineStarts);
  }
  const { profile, diagnostics } = parseProfile(profileFile ?? PROFILE_FILE, profileText);
  return { model: buildModel(parsed, profile, diagnostics), lineStarts, files: manifests, profileFile };
}

function defaultProfileFile(folder: string | null): string | null {
  if (folder === null) return null;
  const candidate = joinGiven(folder, PROFILE_FILE);
  try {
    return statSync(candidate).isFile() ? candidate : null;
  } catch {
    return null;
  }
}
