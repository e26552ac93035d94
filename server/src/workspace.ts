// Server layer (LSP glue): the workspace's manifests (disk + open-document overlay) and the current model snapshot.
// May import the model and node:url; must not import vscode, the client, or the LSP connection (server.ts wires
// this to LSP events, so this class is usable from tests and the bench as it is).
import { fileURLToPath, pathToFileURL } from 'node:url';
import { basename } from 'node:path';
import {
  applyKustomizeSteps,
  KustomizeCache,
  buildModelSteps,
  createBuildMemo,
  runToEnd,
  parseFileSteps,
  parseProfile,
  profileFromSettings,
  PROFILE_FILE,
  type KustomizationFacts,
  type Model,
  type ParsedFile,
  type Resource,
} from './model/index';

/** One immutable analysis result. Features read only this: a hover never waits for an analysis. */
export interface Snapshot {
  version: number;
  model: Model;
  /** Parsed file by URI (line starts for offset ↔ position, resources per file). */
  files: Map<string, ParsedFile>;
  /** Text the snapshot was built from, by URI (an open document may have moved on since). */
  texts: Map<string, string>;
  profileUri: string | undefined;
  analysisMs: number;
  /** Files kustomizations asked for that the workspace does not hold (generator inputs such as `.env`), by URI. */
  kustomizeWanted: string[];
  /** Every kustomization file by URI: whether it is a root, which roots use it, what it renders (IN-1). */
  kustomizations: ReadonlyMap<string, KustomizationFacts>;
  /** Entries of `kustomize.roots` (the setting, else the profile's) that name no root. */
  kustomizeUnmatched: string[];
}

/** Canonical URI key: VS Code and Node spell some characters differently (`%3A`, drive letters). */
export function canonicalUri(uri: string): string {
  if (!uri.startsWith('file:')) return uri;
  try {
    return pathToFileURL(fileURLToPath(uri)).toString();
  } catch {
    return uri;
  }
}

export function isProfileUri(uri: string): boolean {
  return basename(uri.startsWith('file:') ? fileURLToPath(uri) : uri) === PROFILE_FILE;
}

/** Files parsed per analysis step when many changed (the first analysis): a few ms at most (the scheduler slices by time). */
const PARSES_PER_STEP = 4;
/** Files whose last parse is kept, looked up between two yields of an analysis. */
const KEPT_PER_STEP = 2048;

export class Workspace {
  private readonly disk = new Map<string, string>();
  private readonly overlay = new Map<string, string>();
  /** Files only kustomizations read (generator inputs, IN-1): never parsed as manifests. */
  private readonly auxiliary = new Map<string, string>();
  /** Parse cache: a file is re-parsed only when its text changed (what makes re-analysis incremental). */
  private readonly parsed = new Map<string, { text: string; parsed: ParsedFile }>();
  /** URIs (of disk or overlay) that are profile files: known when set, not worked out per file on every build. */
  private readonly profileUris = new Set<string>();
  /** What each build leaves for the next (expanded workloads), see BuildMemo. */
  private readonly memo = createBuildMemo();
  private profileParse: { uri: string; text: string | undefined; result: ReturnType<typeof parseProfile> } | undefined;
  private version = 0;
  private dirty = true;
  private current: Snapshot;
  /** Profile fields from the `netpath.cluster.*` settings (CL-1: used when there is no netpath.cluster.yaml). */
  private settingsProfile: Record<string, unknown> | undefined;
  private kustomizeRoots: string[] = [];
  private readonly kustomizeCache = new KustomizeCache();
  private settingsKey = '';

  constructor(private readonly now: () => number = () => performance.now()) {
    this.current = runToEnd(this.buildSteps());
  }

  get snapshot(): Snapshot {
    return this.current;
  }

  get isDirty(): boolean {
    return this.dirty;
  }

  /** Whether the file belongs to the model (manifests and the profile). */
  has(uri: string): boolean {
    const key = canonicalUri(uri);
    return this.disk.has(key) || this.overlay.has(key);
  }

  /** A file's text on disk (undefined: gone). */
  setDisk(uri: string, text: string | undefined): void {
    this.set(this.disk, uri, text);
  }

  /** A file a kustomization reads that is not a manifest (`.env`, `.properties`); undefined: gone. */
  setAuxiliary(uri: string, text: string | undefined): void {
    const key = canonicalUri(uri);
    if (text === undefined ? !this.auxiliary.has(key) : this.auxiliary.get(key) === text) return;
    if (text === undefined) this.auxiliary.delete(key);
    else this.auxiliary.set(key, text);
    this.dirty = true;
  }

  /** An open document's text, which wins over disk (undefined: closed). */
  setOpen(uri: string, text: string | undefined): void {
    this.set(this.overlay, uri, text);
  }

  private set(layer: Map<string, string>, uri: string, text: string | undefined): void {
    const key = canonicalUri(uri);
    if (text === undefined) layer.delete(key);
    else layer.set(key, text);
    this.noteProfile(key);
    this.dirty = true;
  }

  /** isProfileUri converts the URI to a path: ~1.5 µs, 3 ms per build when it was asked of all 1913 files. */
  private noteProfile(key: string): void {
    if ((this.disk.has(key) || this.overlay.has(key)) && isProfileUri(key)) this.profileUris.add(key);
    else this.profileUris.delete(key);
  }

  /**
   * IN-1: the `netpath.kustomize.roots` setting — the roots (environments) the model holds. Non-empty, it
   * wins over the profile's `kustomize.roots`: it is this editor's pick.
   */
  setKustomizeRoots(roots: readonly string[]): void {
    const key = JSON.stringify(roots);
    if (key !== JSON.stringify(this.kustomizeRoots)) {
      this.kustomizeRoots = [...roots];
      this.dirty = true;
    }
  }

  setSettingsProfile(fields: Record<string, unknown> | undefined): void {
    const key = JSON.stringify(fields ?? null);
    if (key !== this.settingsKey) {
      this.settingsKey = key;
      this.settingsProfile = fields;
      this.dirty = true;
    }
  }

  /** Every URI whose text the model uses (the open overlay wins over disk). */
  uris(): string[] {
    return [...new Set([...this.disk.keys(), ...this.overlay.keys()])].sort();
  }

  /** Rebuilds the snapshot if anything changed since the last one, at once. */
  analyze(): Snapshot {
    return runToEnd(this.analysisSteps());
  }

  /**
   * The same as analyze(), a step at a time (between the model's stages, see buildModelSteps): the
   * server answers requests in between and drops the rest of an analysis an edit has made stale
   * (then calls abandon()).
   */
  *analysisSteps(): Generator<void, Snapshot, void> {
    if (!this.dirty) return this.current;
    this.current = yield* this.buildSteps();
    return this.current;
  }

  /** Parses `text` as the manifest `uri`, re-using the pieces of its last parse, and keeps it for the next analysis. */
  private parse(uri: string, text: string): ParsedFile {
    return runToEnd(this.parseSteps(uri, text));
  }

  /** parse a step at a time (parseFileSteps): a file of thousands of documents is not one step of an analysis. */
  private *parseSteps(uri: string, text: string): Generator<void, ParsedFile, void> {
    const cached = this.parsed.get(uri);
    if (cached && cached.text === text) return cached.parsed;
    const parsed = yield* parseFileSteps(uri, text, cached?.parsed);
    this.parsed.set(uri, { text, parsed });
    return parsed;
  }

  /**
   * A manifest parsed now, through the cache the next analysis re-uses: during the first index an open
   * document's own diagnostics (IN-2, IN-3: what the file alone decides) are published before the workspace is
   * analysed. Undefined for the profile and for files the workspace does not hold.
   */
  parseNow(uri: string): ParsedFile | undefined {
    const key = canonicalUri(uri);
    const text = this.overlay.get(key) ?? this.disk.get(key);
    if (text === undefined || this.profileUris.has(key)) return undefined;
    return this.parse(key, text);
  }

  /** The profile file, parsed again only when its text changes (the model never modifies a profile). */
  private profileOf(uri: string, text: string | undefined): ReturnType<typeof parseProfile> {
    const c = this.profileParse;
    if (c && c.uri === uri && c.text === text) return c.result;
    const result = parseProfile(uri, text);
    this.profileParse = { uri, text, result };
    return result;
  }

  /** An analysis was dropped half-way: the next one must start again from the texts. */
  abandon(): void {
    this.dirty = true;
  }

  private *buildSteps(): Generator<void, Snapshot, void> {
    // Time spent working, not waiting between steps: what `analysisMs` reports.
    let busy = 0;
    let t0 = this.now();
    /** A step boundary: the time until the next step is waiting, not work. */
    const now = this.now;
    function* pause(): Generator<void, void, void> {
      busy += now() - t0;
      yield;
      t0 = now();
    }
    /** Runs `steps`, each yield a step boundary. */
    function* timed<T>(steps: Generator<void, T, void>): Generator<void, T, void> {
      for (;;) {
        const r = steps.next();
        if (r.done) return r.value;
        yield* pause();
      }
    }
    let parsedNow = 0;
    let keptNow = 0;
    this.dirty = false;
    const texts = new Map<string, string>();
    for (const [k, v] of this.disk) texts.set(k, v);
    for (const [k, v] of this.overlay) texts.set(k, v);

    const files = new Map<string, ParsedFile>();
    let profileUri: string | undefined;
    let profileText: string | undefined;
    for (const [uri, text] of texts) {
      if (this.profileUris.has(uri)) {
        // The shortest path wins: the workspace root's profile over nested ones (CL-1).
        if (!profileUri || uri.length < profileUri.length) {
          profileUri = uri;
          profileText = text;
        }
        continue;
      }
      const cached = this.parsed.get(uri);
      if (cached && cached.text === text) {
        files.set(uri, cached.parsed);
        // Ten thousand files looked up are a step's worth too.
        if (++keptNow % KEPT_PER_STEP === 0) yield* pause();
      } else {
        files.set(uri, yield* timed(this.parseSteps(uri, text)));
        // Parsing thousands of files (the first analysis) is split into steps too, so requests are answered meanwhile.
        if (++parsedNow % PARSES_PER_STEP === 0) yield* pause();
      }
    }
    for (const uri of this.parsed.keys()) if (!files.has(uri)) this.parsed.delete(uri);
    // The edited file's parse (tens of ms for a large one) and kustomize's start are two steps, not one.
    yield* pause();

    const { profile, diagnostics } = profileUri ? this.profileOf(profileUri, profileText) : profileFromSettings(this.settingsProfile);
    // IN-1: kustomization roots rendered; the files they read are modelled only through them.
    const view = this.auxiliary.size ? new Map([...this.auxiliary, ...texts]) : texts;
    const roots = this.kustomizeRoots.length ? this.kustomizeRoots : (profile.kustomizeRoots ?? []);
    // IN-1: the cache keeps each root's rendering while the texts it read are unchanged (an edit of a base
    // re-renders only the roots that read it).
    const kustomized = yield* timed(
      applyKustomizeSteps([...files.values()], { texts: view, parsed: (uri) => files.get(uri) }, { roots, cache: this.kustomizeCache }),
    );
    if (kustomized.roots.length) {
      // A base or patch file shows, in the editor, the objects rendered from it (the first root's first).
      const rendered = new Map<string, Resource[]>();
      for (const f of kustomized.files) {
        if (!kustomized.roots.includes(f.file)) continue;
        for (const r of f.resources) {
          const list = rendered.get(r.file);
          if (list) list.push(r);
          else rendered.set(r.file, [r]);
        }
      }
      for (const uri of kustomized.consumed) {
        const pf = files.get(uri);
        if (pf) files.set(uri, { ...pf, resources: rendered.get(uri) ?? [] });
      }
    }
    yield* pause();
    const model = yield* timed(buildModelSteps(kustomized.files, profile, profileUri ? diagnostics : [], this.memo));
    busy += this.now() - t0;
    return {
      version: ++this.version,
      model,
      files,
      texts,
      profileUri,
      analysisMs: Math.round(busy * 10) / 10,
      kustomizeWanted: kustomized.wanted,
      kustomizations: kustomized.kustomizations,
      kustomizeUnmatched: kustomized.unmatched,
    };
  }
}
