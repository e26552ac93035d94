// CLI layer: files and folders -> a built model. Must not import vscode or LSP; the model only through model/index.ts.
// The only place the CLI reads the file system.
import { lstatSync, readdirSync, statSync, realpathSync } from 'node:fs';
import {
  applyKustomize,
  buildModel,
  normalizePath,
  computeLineStarts,
  parseFile,
  parseProfile,
  PROFILE_FILE,
  type KustomizeOptions,
  type Model,
  type ParsedFile,
} from '../model/index';
import { UsageError } from './errors';
import { ALWAYS_SKIPPED, isManifestName } from '../disk/find-manifests';
import { MAX_FILE_BYTES, readManifestFileSync, type SkippedFile } from '../disk/read-manifest';

export interface Loaded {
  model: Model;
  /** Line starts of every file the model may point into (manifests and the profile), by file as named. */
  lineStarts: Map<string, number[]>;
  /** The manifest files, as named in the output (paths as given on the command line). */
  files: string[];
  /** The profile file used, if any. */
  profileFile: string | null;
  /** Kustomization files rendered as roots (IN-1), sorted. */
  kustomizeRoots: string[];
}

/** Folders never scanned: dependencies and VCS/editor metadata are not manifests. */
/** Manifests, less the cluster profile, which is read on its own (`--cluster`). */
function isManifest(name: string): boolean {
  return isManifestName(name) && name !== PROFILE_FILE;
}

function describe(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    case 'ELOOP':
      return 'too many levels of symbolic links';
    default:
      return err instanceof Error ? (err.message.split('\n')[0] ?? 'unreadable') : 'unreadable';
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
        // Not followed, as in the language server's scan: a link in a cloned repository may lead anywhere.
        st = lstatSync(full);
      } catch {
        continue; // gone since the folder was listed
      }
      if (st.isDirectory()) {
        if (!ALWAYS_SKIPPED.has(name)) walk(full);
      } else if (isManifest(name) && !seen.has(full)) {
        // Links, FIFOs and devices are listed: reading refuses them with a diagnostic (readManifest.ts).
        seen.add(full);
        files.push(full);
      }
    }
  };
  // One spelling per file (`dir/.` and `dir/x/..` are `dir`), the one kustomize references resolve to.
  for (const p of paths.map(normalizePath)) {
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

/** Reads a text file the user named (`--cluster`); anything but UTF-8 text in a regular file is a usage error (exit 2). */
export function readText(file: string): string {
  const read = readManifestFileSync(file, { followLinks: true });
  if (read === undefined) {
    try {
      statSync(file);
    } catch (e) {
      throw new UsageError(`cannot read ${file}: ${describe(e)}`);
    }
    throw new UsageError(`cannot read ${file}: unreadable`);
  }
  if ('skipped' in read) throw new UsageError(`cannot read ${file}: ${read.skipped.message.replace(/^Not read: /, '').replace(/ \(IN-\d\)$/, '')}`);
  return read.text;
}

/** A manifest that was not read stands in the model as a file with one diagnostic saying why (IN-1, IN-2). */
function skippedFile(file: string, skipped: SkippedFile, maxBytes: number): ParsedFile {
  const message =
    skipped.code === 'file-too-large'
      ? skipped.message.replace(/ \(IN-1\)$/, ` Raise the limit with --max-file-mb ${Math.ceil((skipped.bytes ?? maxBytes) / 1024 / 1024)} to read it. (IN-1)`)
      : skipped.message;
  return {
    file,
    resources: [],
    diagnostics: [
      { code: skipped.code, severity: skipped.severity, rule: skipped.code === 'file-not-text' ? 'IN-2' : 'IN-1', message, file, span: { start: 0, end: 0 } },
    ],
    lineStarts: [0],
    template: false,
  };
}

/** Reads PATHs and the profile, parses and builds the model (everything the commands answer from). */
export function loadWorkspace(paths: readonly string[], clusterOption: string | undefined, maxBytes = MAX_FILE_BYTES): Loaded {
  const { files, firstFolder } = collectFiles(paths);
  const explicit = new Set(paths);
  const profileFile = clusterOption ?? defaultProfileFile(firstFolder);
  const lineStarts = new Map<string, number[]>();
  let profileText: string | undefined;
  if (profileFile !== null) {
    profileText = readText(profileFile);
    lineStarts.set(profileFile, computeLineStarts(profileText));
  }
  const parsed: ParsedFile[] = [];
  const manifests: string[] = [];
  const texts = new Map<string, string>();
  for (const file of files) {
    if (file === profileFile) continue;
    // A file named on the command line is followed if it is a link; files found in folders are not.
    const read = readManifestFileSync(file, { maxBytes, followLinks: explicit.has(file) });
    if (read === undefined) throw new UsageError(`cannot read ${file}: no such file or directory (it vanished while being read)`);
    const pf = 'skipped' in read ? skippedFile(file, read.skipped, maxBytes) : parseFile(file, read.text);
    if (!('skipped' in read)) texts.set(file, read.text);
    parsed.push(pf);
    manifests.push(file);
    lineStarts.set(file, pf.lineStarts);
  }
  const { profile, diagnostics } = parseProfile(profileFile ?? PROFILE_FILE, profileText);
  // IN-1: the profile's `kustomize.roots` narrows the model to those roots.
  const { files: modelled, roots } = renderKustomizations(parsed, texts, lineStarts, manifests, maxBytes, { roots: profile.kustomizeRoots ?? [] });
  return { model: buildModel(modelled, profile, diagnostics), lineStarts, files: manifests, profileFile, kustomizeRoots: roots };
}

/** Rounds of reading what kustomizations ask for outside the given paths (`../../base`): each round goes one folder level further. */
const MAX_KUSTOMIZE_ROUNDS = 64;

/**
 * IN-1: renders the kustomization roots among the files. Files a kustomization names outside the given
 * folders (`../base`, generator inputs) are read from disk as kustomize would, then it renders again.
 */
function renderKustomizations(
  parsed: ParsedFile[],
  texts: Map<string, string>,
  lineStarts: Map<string, number[]>,
  manifests: string[],
  maxBytes: number,
  options: KustomizeOptions,
): { files: ParsedFile[]; roots: string[] } {
  const tried = new Set<string>();
  let outcome = applyKustomize(parsed, { texts }, options);
  for (let round = 0; round < MAX_KUSTOMIZE_ROUNDS && outcome.wanted.length; round++) {
    let added = false;
    for (const file of outcome.wanted) {
      if (tried.has(file) || texts.has(file)) continue;
      tried.add(file);
      try {
        if (!statSync(file).isFile()) continue;
      } catch {
        continue; // not there: the renderer says so where it is asked for
      }
      const read = readManifestFileSync(file, { maxBytes, followLinks: true });
      if (read === undefined || 'skipped' in read) continue;
      texts.set(file, read.text);
      lineStarts.set(file, computeLineStarts(read.text));
      if (isManifestName(file)) {
        parsed.push(parseFile(file, read.text));
        manifests.push(file);
      }
      added = true;
    }
    if (!added) break;
    outcome = applyKustomize(parsed, { texts }, options);
  }
  return { files: outcome.files, roots: outcome.roots };
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
