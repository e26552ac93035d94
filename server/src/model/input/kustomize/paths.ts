// Model layer (pure): '/'-separated paths and file URIs as kustomize resolves them. No node:path (the
// model does no I/O and must treat `file:///` URIs from the editor and CLI paths alike).

/** The folder of a file: everything before the last '/' ('.' for a bare name). */
export function dirOf(file: string): string {
  const i = file.lastIndexOf('/');
  if (i < 0) return '.';
  if (i === 0) return '/';
  // `file:///x` keeps its scheme slashes.
  if (/^[a-z][a-z0-9+.-]*:\/\/$/i.test(file.slice(0, i + 1))) return file.slice(0, i + 1);
  return file.slice(0, i);
}

export function baseName(file: string): string {
  return file.slice(file.lastIndexOf('/') + 1);
}

const SCHEME = /^([a-z][a-z0-9+.-]*:\/\/[^/]*)(.*)$/i;

/**
 * Joins a relative reference to a folder and folds `.` and `..`, keeping the folder's own spelling
 * (`./deploy` + `../base/x.yaml` stays relative, a URI stays a URI with its segments percent-encoded).
 */
export function joinPath(dir: string, ref: string): string {
  const m = SCHEME.exec(dir);
  const prefix = m ? m[1]! : '';
  const rest = m ? m[2]! : dir;
  const refSegs = ref.replace(/\\/g, '/').split('/');
  const absoluteRef = ref.startsWith('/');
  const segs = absoluteRef ? [''] : rest.split('/');
  for (const s of refSegs) segs.push(m ? encodeSegment(s) : s);
  return prefix + normalizeSegments(segs);
}

function encodeSegment(s: string): string {
  if (s === '.' || s === '..' || s === '') return s;
  // The spelling Node's pathToFileURL gives and VS Code accepts for ordinary names.
  return encodeURIComponent(decodeSafe(s)).replace(/%40/g, '@').replace(/%2B/g, '+').replace(/%3D/g, '=').replace(/%2C/g, ',').replace(/%3A/g, ':');
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * A path as the renderer spells the paths it joins: `.` and doubled or trailing `/` dropped, `..` folded (a leading
 * `./` kept). Callers give the renderer files under this spelling, or a file reached two ways is read twice.
 */
export function normalizePath(path: string): string {
  const m = SCHEME.exec(path);
  return m ? m[1]! + normalizeSegments(m[2]!.split('/')) : normalizeSegments(path.replace(/\\/g, '/').split('/'));
}

function normalizeSegments(segs: string[]): string {
  const out: string[] = [];
  segs.forEach((s, i) => {
    if (s === '' && i > 0) return; // doubled or trailing '/'
    if (s === '.') {
      if (out.length === 0) out.push('.');
      return;
    }
    if (s === '..') {
      const top = out[out.length - 1];
      if (top !== undefined && top !== '..' && top !== '.' && top !== '') out.pop();
      else if (top === '.') out[out.length - 1] = '..';
      else if (top !== '') out.push('..'); // above the root of an absolute path: stays at the root
      return;
    }
    out.push(s);
  });
  if (out.length === 1 && out[0] === '') return '/';
  return out.join('/') || '.';
}

/** References kustomize fetches over the network (`github.com/...`, `https://`, `git@`): never read here. */
export function isRemote(ref: string): boolean {
  return (
    /^(https?:|git@|ssh:|git::|s3:|gs:)/i.test(ref) ||
    /^(github\.com|gitlab\.com|bitbucket\.org)\//i.test(ref) ||
    /[?&](ref|version|submodules|timeout)=/.test(ref) ||
    /\.git(\/\/|$)/.test(ref)
  );
}

/** Names of a kustomization file in a folder, in the order kustomize looks for them. */
export const KUSTOMIZATION_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'] as const;

export function isKustomizationFile(file: string): boolean {
  return (KUSTOMIZATION_NAMES as readonly string[]).includes(baseName(file));
}

/**
 * kustomize's default load restrictor (LoadRestrictionsRootOnly): a *file* a kustomization reads (a resource file,
 * a patch, a generator input) must be in or below the kustomization's folder; folders (other kustomizations) may
 * be anywhere.
 */
export function isWithin(dir: string, path: string): boolean {
  if (dir === '.') return path !== '..' && !path.startsWith('../') && !path.startsWith('/');
  return path.startsWith(dir.endsWith('/') ? dir : `${dir}/`);
}
