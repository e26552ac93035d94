// Server layer (LSP): keeps the workspace's files on disk in the Workspace — the first index, file-watcher events,
// folders added and removed, `files.exclude` changes, and the files kustomizations read besides manifests. Must
// not import vscode or the client; finding and reading files is the disk layer's (shared with the CLI).
import { fileURLToPath, pathToFileURL } from 'node:url';
import { resolve as resolvePath, sep } from 'node:path';
import type { FileEvent, WorkspaceFolder, WorkspaceFoldersChangeEvent } from 'vscode-languageserver/node';
import { canonicalUri, type Snapshot, type Workspace } from '../workspace';
import { findManifests, isManifestName } from '../disk/find-manifests';
import { readManifestFile, type SkippedFile } from '../disk/read-manifest';

/** A hostile kustomization naming endless files stops being followed after this many. */
const MAX_KUSTOMIZE_INPUTS = 10_000;
/** Files read at once during the first index: thousands of sequential awaits cost more than the I/O itself. */
const READ_BATCH = 64;

export interface IndexProgress {
  total(files: number): void;
  report(done: number, total: number): void;
}

export class DiskIndexer {
  /** Manifests on disk that were not read (too large, not text, not a regular file), by URI. */
  readonly skipped = new Map<string, SkippedFile>();
  private folders: WorkspaceFolder[] = [];
  /** The folders' paths, resolved once per change of folders (each ends with the path separator). */
  private roots: string[] = [];
  private readonly triedKustomizeInputs = new Set<string>();

  constructor(
    private readonly workspace: Workspace,
    private isExcluded: (rel: string) => boolean = () => false,
  ) {}

  setFolders(folders: WorkspaceFolder[]): void {
    this.folders = folders;
    this.roots = folders.flatMap((f) => {
      try {
        return [`${resolvePath(fileURLToPath(f.uri))}${sep}`];
      } catch {
        return []; // not a local folder
      }
    });
  }

  /**
   * How a message names another file (IN-5's 'already defined in …'): its path inside the workspace folder that
   * holds it, as the Problems view and the explorer show it; a file outside every folder by its full path.
   */
  readonly displayPath = (uri: string): string => {
    let path: string;
    try {
      path = resolvePath(fileURLToPath(uri));
    } catch {
      return uri; // not a local file
    }
    const root = this.roots.find((r) => path.startsWith(r));
    return root ? path.slice(root.length) : path;
  };

  setExcluded(isExcluded: (rel: string) => boolean): void {
    this.isExcluded = isExcluded;
  }

  /** The first index: every manifest of every folder. */
  async indexAll(progress?: IndexProgress): Promise<void> {
    const paths: string[] = [];
    for (const f of this.folders) paths.push(...(await findManifests(fileURLToPath(f.uri), this.isExcluded)));
    progress?.total(paths.length);
    for (let i = 0; i < paths.length; i += READ_BATCH) {
      const batch = paths.slice(i, i + READ_BATCH);
      const texts = await Promise.all(batch.map((p) => this.read(p)));
      batch.forEach((p, j) => {
        const text = texts[j];
        if (text !== undefined) this.workspace.setDisk(pathToFileURL(p).toString(), text);
      });
      progress?.report(i + batch.length, paths.length);
    }
  }

  /**
   * After `files.exclude` changed: forget the manifests it now hides and read the ones it no longer hides.
   * Open documents stay in the model whatever the setting (their overlay wins).
   */
  async rescan(): Promise<void> {
    const wanted = new Set<string>();
    for (const f of this.folders)
      for (const p of await findManifests(fileURLToPath(f.uri), this.isExcluded)) wanted.add(canonicalUri(pathToFileURL(p).toString()));
    for (const uri of this.workspace.uris()) if (!wanted.has(uri)) this.workspace.setDisk(uri, undefined);
    for (const uri of [...this.skipped.keys()]) if (!wanted.has(uri)) this.skipped.delete(uri); // now excluded: no longer ours to report
    for (const uri of wanted) {
      if (this.workspace.has(uri)) continue;
      const text = await this.read(fileURLToPath(uri));
      if (text !== undefined) this.workspace.setDisk(uri, text);
    }
  }

  async changeFolders({ added, removed }: WorkspaceFoldersChangeEvent): Promise<void> {
    const gone = (uri: string) => removed.some((f) => uri.startsWith(canonicalUri(f.uri) + '/'));
    const removedUris = new Set(removed.map((f) => f.uri));
    this.setFolders([...this.folders.filter((f) => !removedUris.has(f.uri)), ...added]);
    for (const uri of this.workspace.uris()) if (gone(uri)) this.workspace.setDisk(uri, undefined);
    for (const uri of [...this.skipped.keys()]) if (gone(uri)) this.skipped.delete(uri);
    for (const f of added) {
      for (const path of await findManifests(fileURLToPath(f.uri), this.isExcluded)) {
        const text = await this.read(path);
        if (text !== undefined) this.workspace.setDisk(pathToFileURL(path).toString(), text);
      }
    }
  }

  /** The file watcher's events, for manifests inside the folders and not excluded. */
  async filesChanged(events: readonly FileEvent[]): Promise<void> {
    for (const c of events) {
      const path = c.uri.startsWith('file:') ? fileURLToPath(c.uri) : undefined;
      if (!path || !isManifestName(path) || /\/node_modules\//.test(path)) continue;
      const rel = this.relToFolder(path);
      if (rel === undefined || this.isExcluded(rel)) continue;
      const deleted = c.type === 3; /* FileChangeType.Deleted */
      if (deleted) this.skipped.delete(canonicalUri(c.uri));
      this.workspace.setDisk(c.uri, deleted ? undefined : await this.read(path));
    }
  }

  /**
   * IN-1: files a kustomization reads that the scan does not (a generator's `.env` or `.properties`) are read
   * once each and given to the model as kustomize inputs only. Only files inside the workspace's folders: a
   * cloned repository's kustomization must not make the server read the user's other files (kustomize's own
   * default load restrictor keeps generator inputs inside the root, too). True when one was added (analyse again).
   */
  async readKustomizeInputs(snap: Snapshot): Promise<boolean> {
    const fresh = snap.kustomizeWanted.filter((u) => u.startsWith('file:') && !isManifestName(u) && !this.triedKustomizeInputs.has(u) && this.inside(u));
    let added = false;
    for (const uri of fresh) {
      if (this.triedKustomizeInputs.size >= MAX_KUSTOMIZE_INPUTS) break;
      this.triedKustomizeInputs.add(uri);
      let read;
      try {
        read = await readManifestFile(fileURLToPath(uri));
      } catch {
        continue;
      }
      if (read && 'text' in read) {
        this.workspace.setAuxiliary(uri, read.text);
        added = true;
      }
    }
    return added;
  }

  private inside(uri: string): boolean {
    try {
      const path = resolvePath(fileURLToPath(uri));
      return this.roots.some((root) => path.startsWith(root));
    } catch {
      return false; // not a local file URI
    }
  }

  private relToFolder(path: string): string | undefined {
    for (const f of this.folders) {
      const root = fileURLToPath(f.uri);
      if (path === root || path.startsWith(root + '/')) return path.slice(root.length + 1);
    }
    return undefined;
  }

  /** A manifest's text, or undefined with the reason kept in `skipped`. */
  private async read(path: string): Promise<string | undefined> {
    const uri = canonicalUri(pathToFileURL(path).toString());
    this.skipped.delete(uri);
    const read = await readManifestFile(path);
    if (read && 'skipped' in read) {
      this.skipped.set(uri, read.skipped);
      return undefined;
    }
    return read?.text;
  }
}
