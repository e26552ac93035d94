// Model layer (pure): renders one kustomization folder as `kubectl kustomize` v5 does (IN-1): resources,
// generators, components, then the builtin transformers in kustomize's order. The caller gives a read-only
// view of the files (path -> text); nothing here reads the disk. Bad input is a diagnostic, never a throw.
import type { EntrySpans, Json, JsonMap, ModelDiagnostic, ParsedFile, Span, SpanIndex } from '../../types';
import { parseFile, readYamlDocuments } from '../parse-manifests';
import { isClusterScoped } from '../../core/identity';
import { baseName, dirOf, isRemote, isWithin, joinPath, KUSTOMIZATION_NAMES } from './paths';
import { isMap } from '../../core/typed-fields';
import { type KObject, Origins, fixedSpans, str, metadataOf, kindOf, groupOf, nameOf, namespaceOf, ownMetadata, setName, setNamespace } from './objects';
import {
  COMMON_ANNOTATIONS,
  COMMON_LABELS,
  REPLICA_KINDS,
  TEMPLATE_LABELS,
  addPairs,
  nameReferencesFrom,
  visitPath,
  type FieldSpec,
  type NameReference,
  type Writable,
} from './fieldspecs';
import { strategicMerge, type MergeTrace } from './merge';
import { applyOp, type PatchOp } from './jsonpatch';
import { hashInput, hashOfInput, parseEnvFile, parseLiteral, secretValue } from './generators';
import { getAtPath, setAtPath, sourcePart, type ReplaceOptions } from './replacements';

export interface KustomizeView {
  /** Text of every file the caller can read, by path or URI. */
  texts: ReadonlyMap<string, string>;
  /** Parsed manifests by the same keys, when the caller keeps a parse cache. */
  parsed?: (file: string) => ParsedFile | undefined;
}

/** Nesting deeper than any real repository (kustomize has no limit; a hostile one must not hang us). */
const MAX_DEPTH = 40;
/** Objects one workspace may render in all: far above real overlays, far below what would freeze the server. */
const MAX_OBJECTS = 200_000;

/** A kustomization file read: its fields and where each is written. */
interface Kustomization {
  file: string;
  dir: string;
  body: JsonMap;
  spans: SpanIndex;
  isComponent: boolean;
}

/** Where a transformer that renamed or moved an object is written (for go-to-definition and hovers). */
export interface SetBy {
  field: 'namespace' | 'namePrefix' | 'nameSuffix';
  file: string;
  span: Span;
}

export interface RenderedObject extends KObject {
  setBy: SetBy[];
  /** Patches applied to it (a patch file's document, an inline patch's text), for go-to-definition. */
  patchedBy: { file: string; span: Span }[];
}

const RULE = 'IN-1';

/** Which (Cluster)RoleBinding subjects a namespace transformer moves (kustomize's `setRoleBindingSubjects`). */
type SubjectMode = 'defaultOnly' | 'allServiceAccounts' | 'none';

/** Everything one root (or memoized folder) rendered through: what its result depends on, and what it said. */
export interface Trail {
  /** Kustomization folders it rendered through (its own, bases, components). */
  dirs: Set<string>;
  /** Every path it looked at, with the text it found (undefined: not in the view). */
  reads: Map<string, string | undefined>;
  /** Files it read as kustomize inputs. */
  consumed: Set<string>;
  /** Paths it asked for that the view does not hold. */
  wanted: Set<string>;
  /** Its render diagnostics by key (file, span, message). */
  diagnostics: Map<string, ModelDiagnostic>;
}

/** The first readable document of a file and the file's spans (a kustomization file is its first document). */
function firstDocument({ read, spans }: { read: readonly { value: Json }[]; spans: SpanIndex }): { value: Json | undefined; spans: SpanIndex } {
  return { value: read[0]?.value, spans };
}

/** A patch's documents and where they were written. */
interface PatchContent {
  file: string;
  docs: { value: Json }[];
  /** Where each field was written (an inline patch: every field on its `patch:` text). */
  spans: SpanIndex;
  /** The spans of the text the documents were parsed from, when not `spans`: which containers are the patch's. */
  owns?: SpanIndex;
}

function newTrail(): Trail {
  return { dirs: new Set(), reads: new Map(), consumed: new Set(), wanted: new Set(), diagnostics: new Map() };
}

export class Renderer {
  readonly origins = new Origins();
  readonly diagnostics: ModelDiagnostic[] = [];
  /** Paths looked for and not in the view (the CLI reads them from disk and renders again). */
  readonly wanted = new Set<string>();
  /** Every file a kustomization read (they are modelled only through the roots that render them). */
  readonly read = new Set<string>();
  /** Kustomization folders rendered. */
  readonly visited = new Set<string>();
  private readonly memo = new Map<string, { objects: RenderedObject[]; trail: Trail }>();
  /** The trails of the root and folders being rendered (innermost last): everything each one reads and says. */
  private readonly trails: Trail[] = [];
  private readonly stack: string[] = [];
  private readonly loaded = new Map<string, Kustomization | undefined>();
  private readonly said = new Set<string>();
  private readonly hashes = new Map<string, string>();
  private readonly dataHashes = new WeakMap<JsonMap, string>();
  private objects = 0;

  constructor(private readonly view: KustomizeView) {}

  /** The kustomization file of a folder, if the view has one. */
  kustomizationIn(dir: string): string | undefined {
    for (const n of KUSTOMIZATION_NAMES) {
      const f = joinPath(dir, n);
      if (this.text(f) !== undefined) return f;
    }
    for (const n of KUSTOMIZATION_NAMES) this.want(joinPath(dir, n));
    return undefined;
  }

  /** A file's text from the view, noted in every trail (a root's result depends on it, present or not). */
  private text(path: string): string | undefined {
    const t = this.view.texts.get(path);
    for (const trail of this.trails) trail.reads.set(path, t);
    return t;
  }

  /** A path asked for and not in the view (the CLI reads it and renders again). */
  private want(path: string): void {
    this.wanted.add(path);
    for (const trail of this.trails) trail.wanted.add(path);
  }

  /** A file a kustomization read: modelled only through the roots that render it. */
  private consume(path: string): void {
    this.read.add(path);
    for (const trail of this.trails) trail.consumed.add(path);
  }

  /**
   * The folders a kustomization names under `resources`, `bases` and `components` (for finding roots). `memo` keeps
   * them per file with the text they were read from, for the next renderer (an edit elsewhere reads no kustomization).
   */
  referencedFolders(kfile: string, memo?: Map<string, { text: string; folders: readonly string[] }>): readonly string[] {
    const text = this.text(kfile);
    const kept = memo?.get(kfile);
    if (text !== undefined && kept?.text === text) {
      this.consume(kfile); // as load() does
      return kept.folders;
    }
    const k = this.load(kfile);
    const folders: string[] = [];
    for (const field of ['resources', 'bases', 'components']) {
      const list = k?.body[field];
      if (!Array.isArray(list)) continue;
      for (const item of list) if (typeof item === 'string' && !isRemote(item)) folders.push(joinPath(k!.dir, item));
    }
    if (text !== undefined) memo?.set(kfile, { text, folders });
    return folders;
  }

  /** Reads a kustomization file (undefined when it is not a map); each file is parsed once per renderer (never mutated). */
  load(file: string): Kustomization | undefined {
    const text = this.text(file);
    if (text === undefined) return undefined;
    this.consume(file);
    if (this.loaded.has(file)) return this.loaded.get(file);
    // Syntax errors are the file's own parse diagnostics, reported once by whoever parses it as a manifest. The
    // caller's parse of this very text is used when it has one (one piece: the first document is the file's).
    const chunks = this.view.parsed?.(file)?.chunks;
    const parsed = chunks?.length === 1 && chunks[0]!.text === text ? chunks[0]!.kustomization : undefined;
    const { value: body, spans } = parsed ?? firstDocument(readYamlDocuments(file, text, []));
    const k = isMap(body) ? { file, dir: dirOf(file), body, spans, isComponent: body.kind === 'Component' } : undefined;
    this.loaded.set(file, k);
    return k;
  }

  /** A file outside the kustomization's folder: refused, as `kubectl kustomize` refuses it, and never read. */
  private restricted(k: Kustomization, path: string, span: Span): boolean {
    if (isWithin(k.dir, path)) return false;
    this.report(
      k.file,
      span,
      `kustomize: security; file '${path}' is not in or below '${k.dir}': \`kubectl kustomize\` refuses to read files outside the kustomization's folder (its default load restrictor).`,
    );
    return true;
  }

  report(file: string, span: Span, message: string, severity: ModelDiagnostic['severity'] = 'error', code = 'kustomize-error'): void {
    const key = `${file}|${span.start}|${span.end}|${message}`;
    const d: ModelDiagnostic = { code, severity, rule: RULE, message, file, span };
    for (const trail of this.trails) if (!trail.diagnostics.has(key)) trail.diagnostics.set(key, d);
    if (this.said.has(key)) return;
    this.said.add(key);
    this.diagnostics.push(d);
  }

  /** Renders a root folder: its objects with generated names hashed and references rewritten. */
  renderRoot(kfile: string): RenderedObject[] {
    return this.renderRootReaching(kfile).objects;
  }

  /** A root's objects and its trail: the kustomization folders it renders through, what it read and said. */
  renderRootReaching(kfile: string): { objects: RenderedObject[]; dirs: ReadonlySet<string>; trail: Trail } {
    const trail = newTrail();
    this.trails.push(trail);
    try {
      return { objects: this.renderRootObjects(kfile), dirs: trail.dirs, trail };
    } finally {
      this.trails.pop();
    }
  }

  /** The objects a folder's kustomization renders on its own (memoized by any root that named it), if one did. */
  renderedFolder(dir: string): readonly RenderedObject[] | undefined {
    return this.memo.get(dir)?.objects;
  }

  private reached(dirs: Iterable<string>): void {
    for (const d of dirs) for (const trail of this.trails) trail.dirs.add(d);
  }

  /** A memoized folder's trail, replayed into the trails of those rendering it now. */
  private replay(t: Trail): void {
    this.reached(t.dirs);
    for (const trail of this.trails) {
      for (const [p, text] of t.reads) trail.reads.set(p, text);
      for (const p of t.wanted) trail.wanted.add(p);
      for (const p of t.consumed) trail.consumed.add(p);
      for (const [key, d] of t.diagnostics) if (!trail.diagnostics.has(key)) trail.diagnostics.set(key, d);
    }
  }

  private renderRootObjects(kfile: string): RenderedObject[] {
    const k = this.load(kfile);
    if (!k) return [];
    // The root's objects are its own: folders' memoized results were cloned on the way in.
    const objs = this.renderKustomization(k, 0);
    for (const o of objs) {
      if (!o.hashSuffix) continue;
      setName(this.origins, o, `${nameOf(o)}-${this.nameHash(o.body)}`);
    }
    fixNameReferences(objs, this.origins);
    return objs;
  }

  /**
   * kustomize's generated-name hash; roots over one base hash the same content, so each content is hashed once.
   * A ConfigMap whose `data` map is shared (no root changed it: copy-on-write) has the hash of that map.
   */
  private nameHash(body: JsonMap): string {
    const data = body.kind === 'ConfigMap' && body.binaryData === undefined && isMap(body.data) ? body.data : undefined;
    const known = data && this.dataHashes.get(data);
    if (known) return known;
    const key = hashInput(body);
    let h = this.hashes.get(key);
    if (h === undefined) this.hashes.set(key, (h = hashOfInput(key)));
    if (data) this.dataHashes.set(data, h);
    return h;
  }

  /** A folder's object for one more root: its body shared until the root changes it (copy-on-write). */
  private clone(o: RenderedObject): RenderedObject {
    return {
      ...o,
      key: this.origins.newKey(),
      names: [...o.names],
      namespaces: [...o.namespaces],
      setBy: [...o.setBy],
      patchedBy: [...o.patchedBy],
    };
  }

  /** A folder named in `resources`: its kustomization rendered (memoized: the result does not depend on who asks). */
  private renderFolder(dir: string, from: { file: string; span: Span }, depth: number): RenderedObject[] {
    const kfile = this.kustomizationIn(dir);
    if (!kfile) {
      this.report(from.file, from.span, `kustomize: "${dir}" is neither a file nor a folder with a kustomization.yaml; \`kubectl kustomize\` refuses this.`);
      return [];
    }
    if (this.stack.includes(dir)) {
      this.report(
        from.file,
        from.span,
        `kustomize: cycle: ${[...this.stack.slice(this.stack.indexOf(dir)), dir].map(baseName).join(' -> ')} (${dir} includes itself); \`kubectl kustomize\` refuses this.`,
      );
      return [];
    }
    const done = this.memo.get(dir);
    if (done) {
      this.replay(done.trail);
      return done.objects.map((o) => this.clone(o));
    }
    if (depth > MAX_DEPTH) {
      this.report(from.file, from.span, `kustomize: kustomizations nest more than ${MAX_DEPTH} deep here; not rendered further.`);
      return [];
    }
    const k = this.load(kfile);
    if (!k) return [];
    if (k.isComponent)
      this.report(
        from.file,
        from.span,
        `kustomize: ${dir} is a Component; list it under \`components:\`, not \`resources:\` (\`kubectl kustomize\` refuses this).`,
      );
    // The folder's own trail, from its kustomization file on (the outer trails have noted the file already).
    const trail = newTrail();
    trail.reads.set(kfile, this.view.texts.get(kfile));
    trail.consumed.add(kfile);
    this.trails.push(trail);
    let out: RenderedObject[];
    try {
      out = this.renderKustomization(k, depth);
    } finally {
      this.trails.pop();
    }
    this.replay(trail);
    this.memo.set(dir, { objects: out, trail });
    return out.map((o) => this.clone(o));
  }

  private renderKustomization(k: Kustomization, depth: number): RenderedObject[] {
    this.visited.add(k.dir);
    this.reached([k.dir]);
    this.stack.push(k.dir);
    try {
      const objs: RenderedObject[] = [];
      this.accumulate(k, objs, depth);
      return objs;
    } finally {
      this.stack.pop();
    }
  }

  /** kustomize's accumulateTarget: resources, generators, components, transformers, on `objs` in place. */
  private accumulate(k: Kustomization, objs: RenderedObject[], depth: number): void {
    const b = k.body;
    this.unsupported(k);
    for (const field of ['resources', 'bases'] as const) {
      this.eachString(k, field, (ref, span) => {
        if (isRemote(ref)) {
          this.report(
            k.file,
            span,
            `kustomize: remote resource "${ref}" is not fetched; its objects are not in the model.`,
            'warning',
            'kustomize-not-rendered',
          );
          return;
        }
        const path = joinPath(k.dir, ref);
        if (this.text(path) !== undefined) {
          if (this.restricted(k, path, span)) return;
          objs.push(...this.objectsOfFile(path, k.file, span));
        } else {
          // Neither a file nor a folder the view holds: the CLI reads it as a file and renders again.
          if (!this.kustomizationIn(path)) this.want(path);
          objs.push(...this.renderFolder(path, { file: k.file, span }, depth + 1));
        }
      });
    }
    this.generate(k, objs);
    this.eachString(k, 'components', (ref, span) => {
      if (isRemote(ref)) {
        this.report(k.file, span, `kustomize: remote component "${ref}" is not fetched; it is not applied.`, 'warning', 'kustomize-not-rendered');
        return;
      }
      const dir = joinPath(k.dir, ref);
      const kfile = this.kustomizationIn(dir);
      if (!kfile) {
        this.report(k.file, span, `kustomize: component "${ref}" has no kustomization.yaml; \`kubectl kustomize\` refuses this.`);
        return;
      }
      if (this.stack.includes(dir)) {
        this.report(k.file, span, `kustomize: cycle: component ${dir} includes itself; \`kubectl kustomize\` refuses this.`);
        return;
      }
      const c = this.load(kfile);
      if (!c) return;
      if (!c.isComponent) {
        this.report(
          k.file,
          span,
          `kustomize: "${ref}" is a ${str(c.body.kind) ?? 'Kustomization'}, not a Component; \`kubectl kustomize\` refuses it under \`components:\`.`,
        );
        return;
      }
      if (depth + 1 > MAX_DEPTH) return;
      this.visited.add(c.dir);
      this.reached([c.dir]);
      this.stack.push(c.dir);
      try {
        this.accumulate(c, objs, depth + 1);
      } finally {
        this.stack.pop();
      }
    });
    this.transform(k, objs, b);
  }

  /** Fields this renderer does not apply: each a diagnostic on its key, the rest rendered. */
  private unsupported(k: Kustomization): void {
    const notes: Record<string, string> = {
      helmCharts: 'Helm charts are not inflated (IN-4); render them with `kubectl kustomize --enable-helm` to see their objects',
      helmChartInflationGenerator: 'Helm charts are not inflated (IN-4)',
      generators: 'generator configs and KRM functions are not run',
      validators: 'validators are not run',
      vars: 'vars are not substituted',
      openapi: 'custom OpenAPI schemas are not read; strategic merge uses the built-in Kubernetes merge keys',
      configurations: 'custom transformer configurations are not read; the builtin field specs apply',
      crds: 'CRD schemas are not read',
    };
    for (const [field, why] of Object.entries(notes)) {
      if (k.body[field] === undefined || k.body[field] === null) continue;
      const span = k.spans.entry(k.body, field)?.key ?? { start: 0, end: 0 };
      this.report(k.file, span, `kustomize: \`${field}\`: ${why}; the model may differ from the cluster here.`, 'warning', 'kustomize-not-rendered');
    }
  }

  private eachString(k: Kustomization, field: string, f: (value: string, span: Span) => void): void {
    const list = k.body[field];
    if (list === undefined || list === null) return;
    if (!Array.isArray(list)) {
      this.report(k.file, k.spans.entry(k.body, field)?.value ?? { start: 0, end: 0 }, `kustomize: \`${field}\` must be a list.`);
      return;
    }
    list.forEach((item, i) => {
      const span = k.spans.entry(list, i)?.value ?? { start: 0, end: 0 };
      if (typeof item === 'string') f(item, span);
      else if (field === 'patchesStrategicMerge' && isMap(item))
        return; // inline patches are handled by the caller
      else this.report(k.file, span, `kustomize: \`${field}\` items must be strings.`);
    });
  }

  /** The objects of one manifest file, copied so that transformers may change them. */
  private objectsOfFile(file: string, from: string, span: Span): RenderedObject[] {
    this.consume(file);
    const pf = this.parsedFile(file);
    if (!pf) return [];
    if (this.objects + pf.resources.length > MAX_OBJECTS) {
      this.report(from, span, `kustomize: more than ${MAX_OBJECTS} objects rendered in all; the rest is left out.`);
      return [];
    }
    this.objects += pf.resources.length;
    return pf.resources.map((r) => {
      const md = metadataOf(r.body);
      // The parsed body itself, shared by every root that reads the file: transformers copy what they change.
      this.origins.register(r.body, r.file, r.spans);
      const o: RenderedObject = {
        body: r.body,
        key: this.origins.newKey(),
        file: r.file,
        span: r.span,
        docIndex: r.docIndex,
        names: [r.name],
        namespaces: [str(md?.namespace) ?? ''],
        setBy: [],
        patchedBy: [],
      };
      // A `generateName` object keeps the name the parser made up for it.
      if (str(md?.name) === undefined) ownMetadata(this.origins, o).name = r.name;
      return o;
    });
  }

  private parsedFile(file: string): ParsedFile | undefined {
    const text = this.text(file);
    const cached = this.view.parsed?.(file);
    if (cached) return cached;
    return text === undefined ? undefined : parseFile(file, text);
  }

  // ---- generators -------------------------------------------------------------------------------

  private generate(k: Kustomization, objs: RenderedObject[]): void {
    const options = isMap(k.body.generatorOptions) ? k.body.generatorOptions : {};
    for (const kind of ['ConfigMap', 'Secret'] as const) {
      const field = kind === 'ConfigMap' ? 'configMapGenerator' : 'secretGenerator';
      const list = k.body[field];
      if (!Array.isArray(list)) continue;
      list.forEach((g, i) => {
        const span = k.spans.entry(list, i)?.value ?? { start: 0, end: 0 };
        if (!isMap(g)) return;
        this.generateOne(k, kind, g, options, span, objs);
      });
    }
  }

  private generateOne(k: Kustomization, kind: 'ConfigMap' | 'Secret', g: JsonMap, global: JsonMap, span: Span, objs: RenderedObject[]): void {
    const name = str(g.name);
    if (!name) {
      this.report(k.file, span, `kustomize: a ${kind} generator needs a \`name\`; \`kubectl kustomize\` refuses this.`);
      return;
    }
    const own = isMap(g.options) ? g.options : {};
    const data: JsonMap = {};
    const put = (key: string, value: string): void => {
      data[key] = kind === 'Secret' ? secretValue(value) : value;
    };
    for (const lit of Array.isArray(g.literals) ? g.literals : []) {
      const p = typeof lit === 'string' ? parseLiteral(lit) : undefined;
      if (p) put(p.key, p.value);
      else this.report(k.file, span, `kustomize: literal ${JSON.stringify(lit)} is not KEY=VALUE; \`kubectl kustomize\` refuses it.`);
    }
    for (const f of Array.isArray(g.files) ? g.files : []) {
      if (typeof f !== 'string') continue;
      const eq = f.indexOf('=');
      const key = eq > 0 ? f.slice(0, eq) : baseName(f);
      const text = this.input(k, eq > 0 ? f.slice(eq + 1) : f, span);
      if (text !== undefined) put(key, text);
    }
    const envs = [...(Array.isArray(g.envs) ? g.envs : []), ...(typeof g.env === 'string' ? [g.env] : [])];
    for (const e of envs) {
      if (typeof e !== 'string') continue;
      const text = this.input(k, e, span);
      if (text === undefined) continue;
      const { pairs, bare } = parseEnvFile(text);
      for (const p of pairs) put(p.key, p.value);
      for (const b of bare)
        this.report(
          k.file,
          span,
          `kustomize: ${e} line ${b.line + 1} ("${b.key}") takes its value from kustomize's own environment, which the model cannot know; left out.`,
          'warning',
        );
    }
    const md: JsonMap = { name };
    const ns = str(g.namespace);
    if (ns) md.namespace = ns;
    const labels = { ...pairsOf(global.labels), ...pairsOf(own.labels) };
    const annotations = { ...pairsOf(global.annotations), ...pairsOf(own.annotations) };
    if (Object.keys(labels).length) md.labels = labels;
    if (Object.keys(annotations).length) md.annotations = annotations;
    const body: JsonMap = { apiVersion: 'v1', kind, metadata: md };
    if (Object.keys(data).length || kind === 'Secret') body.data = data;
    if (kind === 'Secret') body.type = str(g.type) ?? 'Opaque';
    if (own.immutable === true || (own.immutable === undefined && global.immutable === true)) body.immutable = true;
    const disable = own.disableNameSuffixHash ?? global.disableNameSuffixHash;
    const behavior = str(g.behavior) ?? 'create';
    const obj: RenderedObject = {
      body,
      key: this.origins.newKey(),
      file: k.file,
      span,
      docIndex: 0,
      names: [name],
      namespaces: [ns ?? ''],
      setBy: [],
      patchedBy: [],
      hashSuffix: disable !== true,
      behavior,
    };
    // The generated body and metadata are the object's own: transformers change them in place.
    this.origins.made(obj, body);
    this.origins.made(obj, md);
    if (behavior === 'create') {
      if (objs.some((o) => kindOf(o) === kind && o.names.includes(name) && (ns === undefined || o.namespaces.includes(ns)))) {
        this.report(k.file, span, `kustomize: ${kind} "${name}" already exists; use \`behavior: merge\` or \`replace\` (\`kubectl kustomize\` refuses this).`);
        return;
      }
      objs.push(obj);
      return;
    }
    const existing = objs.find((o) => kindOf(o) === kind && o.names.includes(name) && (ns === undefined || o.namespaces.includes(ns)));
    if (!existing || (behavior !== 'merge' && behavior !== 'replace')) {
      this.report(
        k.file,
        span,
        existing
          ? `kustomize: behavior "${behavior}" must be create, merge or replace.`
          : `kustomize: no ${kind} "${name}" to ${behavior}; \`kubectl kustomize\` refuses this.`,
      );
      return;
    }
    const emd = ownMetadata(this.origins, existing);
    // A generated Secret's type is the merging generator's (Opaque unless it says), as kubectl kustomize v5.5 renders it.
    if (kind === 'Secret') existing.body.type = body.type!;
    if (behavior === 'merge') {
      existing.body.data = { ...(isMap(existing.body.data) ? existing.body.data : {}), ...data };
      if (md.labels) emd.labels = { ...(isMap(emd.labels) ? emd.labels : {}), ...labels };
      if (md.annotations) emd.annotations = { ...(isMap(emd.annotations) ? emd.annotations : {}), ...annotations };
    } else {
      existing.body.data = data;
      if (md.labels) emd.labels = labels;
      if (md.annotations) emd.annotations = annotations;
    }
    if (disable !== undefined) existing.hashSuffix = disable !== true;
  }

  /** A generator's input file, relative to the kustomization. */
  private input(k: Kustomization, ref: string, span: Span): string | undefined {
    const path = joinPath(k.dir, ref);
    if (this.restricted(k, path, span)) return undefined;
    const text = this.text(path);
    if (text === undefined) {
      this.want(path);
      this.report(k.file, span, `kustomize: cannot read "${ref}" (${path}); \`kubectl kustomize\` refuses a missing generator input.`);
      return undefined;
    }
    this.consume(path);
    return text;
  }

  // ---- transformers -----------------------------------------------------------------------------

  private transform(k: Kustomization, objs: RenderedObject[], b: JsonMap): void {
    this.patchesStrategicMerge(k, objs);
    this.patches(k, objs);
    const ns = str(b.namespace);
    if (ns) this.applyNamespace(k, objs, ns, k.spans.entry(b, 'namespace'), false);
    for (const field of ['namePrefix', 'nameSuffix'] as const) {
      const affix = str(b[field]);
      if (affix) this.applyAffix(k, objs, field, affix, k.spans.entry(b, field));
    }
    if (isMap(b.commonLabels)) this.addPairs(k, objs, COMMON_LABELS, b.commonLabels);
    if (Array.isArray(b.labels)) {
      for (const l of b.labels) {
        if (!isMap(l)) continue;
        const specs: FieldSpec[] =
          l.includeSelectors === true
            ? [...COMMON_LABELS]
            : [{ path: 'metadata/labels', create: true }, ...(l.includeTemplates === true ? TEMPLATE_LABELS : [])];
        // `fields`: more places for these labels, as field specs (kind, path, create).
        if (isMap(l.pairs)) this.addPairs(k, objs, [...specs, ...fieldSpecsOf(l.fields)], l.pairs);
      }
    }
    if (isMap(b.commonAnnotations)) this.addPairs(k, objs, COMMON_ANNOTATIONS, b.commonAnnotations);
    this.patchesJson6902(k, objs);
    this.replicas(k, objs);
    this.images(k, objs);
    this.replacements(k, objs);
    // kustomize runs the `transformers:` configs after the kustomization's own fields, in their order.
    this.transformers(k, objs);
  }

  /** `namespace:` (or a NamespaceTransformer): every namespaced object moves, Namespace objects are renamed. */
  private applyNamespace(
    k: Kustomization,
    objs: RenderedObject[],
    ns: string,
    entry: EntrySpans | undefined,
    unsetOnly: boolean,
    subjects: SubjectMode = 'defaultOnly',
  ): void {
    const setBy: SetBy = { field: 'namespace', file: k.file, span: entry?.value ?? { start: 0, end: 0 } };
    for (const o of objs) {
      const kind = kindOf(o);
      if (kind === 'RoleBinding' || kind === 'ClusterRoleBinding') this.bindingSubjects(k, o, ns, entry, unsetOnly, subjects);
      if (unsetOnly && namespaceOf(o) !== '') continue;
      if (kind === 'Namespace')
        setName(this.origins, o, ns); // kustomize's namespace field spec renames Namespace objects
      else if (kind === 'APIService')
        visitPath(
          o.body,
          'spec/service/namespace',
          false,
          (p, key) => {
            p[key] = ns;
          },
          this.writer(o),
          (p, key) => p[key] !== undefined,
        );
      if (isClusterScoped(kind)) continue;
      setNamespace(this.origins, o, ns);
      if (entry) this.origins.setField(metadataOf(o.body)!, 'namespace', k.file, entry);
      o.setBy.push(setBy);
    }
  }

  /**
   * kustomize's namespace transformer on (Cluster)RoleBinding subjects (its roleBindingHack): in the default
   * mode (the `namespace:` field, a NamespaceTransformer without `setRoleBindingSubjects`) a subject named
   * `default`, of any kind, gets the namespace; `allServiceAccounts` sets it on every ServiceAccount subject;
   * `none` on none. (A subject naming an account of the kustomization follows it by name reference instead.)
   */
  private bindingSubjects(k: Kustomization, o: RenderedObject, ns: string, entry: EntrySpans | undefined, unsetOnly: boolean, mode: SubjectMode): void {
    const list = o.body.subjects;
    if (mode === 'none' || !Array.isArray(list)) return;
    list.forEach((s, i) => {
      if (!isMap(s) || !(mode === 'defaultOnly' ? s.name === 'default' : s.kind === 'ServiceAccount')) return;
      if (unsetOnly && typeof s.namespace === 'string' && s.namespace !== '') return;
      const mine = this.origins.path(o, ['subjects', i]) as JsonMap;
      mine.namespace = ns;
      if (entry) this.origins.setField(mine, 'namespace', k.file, entry);
    });
  }

  /** `namePrefix:`/`nameSuffix:` (or a PrefixSuffixTransformer): every name but CRDs' and Namespaces'. */
  private applyAffix(k: Kustomization, objs: RenderedObject[], field: 'namePrefix' | 'nameSuffix', affix: string, entry: EntrySpans | undefined): void {
    const setBy: SetBy = { field, file: k.file, span: entry?.value ?? { start: 0, end: 0 } };
    for (const o of objs) {
      const kind = kindOf(o);
      if (kind === 'CustomResourceDefinition' || kind === 'Namespace') continue;
      setName(this.origins, o, field === 'namePrefix' ? affix + nameOf(o) : nameOf(o) + affix);
      o.setBy.push(setBy);
    }
  }

  /** Labels or annotations added where `specs` say; each added key points at the line that adds it. */
  private addPairs(k: Kustomization, objs: RenderedObject[], specs: readonly FieldSpec[], from: JsonMap): void {
    const pairs = pairsOf(from);
    if (Object.keys(pairs).length === 0) return;
    // Each pair's line, looked up once for every place it is added to.
    const lines = new Map<string, EntrySpans | undefined>();
    for (const key of Object.keys(pairs)) lines.set(key, k.spans.entry(from, key));
    const placed = (c: JsonMap, key: string): void => {
      const e = lines.get(key);
      if (e) this.origins.setField(c, key, k.file, e);
    };
    const entries = Object.entries(pairs);
    for (const o of objs) addPairs(o.body, kindOf(o), specs, entries, placed, this.writer(o));
  }

  /** How field-spec walks change `o` (copy-on-write). */
  private writer(o: RenderedObject): Writable {
    return writerOf(this.origins, o);
  }

  /**
   * `transformers:`: builtin transformer configs (`apiVersion: builtin`) from files or inline, applied as the
   * kustomization fields they stand for; anything else (plugins, KRM functions) is a warning on its line.
   */
  private transformers(k: Kustomization, objs: RenderedObject[]): void {
    this.eachString(k, 'transformers', (ref, span) => {
      let file = k.file;
      let text = ref;
      if (!/\n/.test(ref)) {
        if (isRemote(ref)) {
          this.report(k.file, span, `kustomize: remote transformer "${ref}" is not fetched; it is not applied.`, 'warning', 'kustomize-not-rendered');
          return;
        }
        file = joinPath(k.dir, ref);
        if (this.restricted(k, file, span)) return;
        const t = this.text(file);
        if (t === undefined) {
          this.want(file);
          this.report(k.file, span, `kustomize: transformer config "${ref}" not found (${file}); \`kubectl kustomize\` refuses this.`);
          return;
        }
        this.consume(file);
        text = t;
      }
      const diags: ModelDiagnostic[] = [];
      const { read, spans } = readYamlDocuments(file, text, diags);
      if (diags.length && file === k.file) this.report(k.file, span, `kustomize: the inline transformer config is not valid YAML: ${diags[0]!.message}`);
      for (const doc of read) {
        if (!isMap(doc.value)) continue;
        // A config's own lines (in its file), or the kustomization's entry for an inline one.
        const c: Kustomization = { file, dir: k.dir, body: doc.value, spans: file === k.file ? fixedSpans(span) : spans, isComponent: false };
        this.builtinTransformer(c, objs, file === k.file ? span : (spans.whole(doc.value) ?? span));
      }
    });
  }

  private builtinTransformer(c: Kustomization, objs: RenderedObject[], at: Span): void {
    const b = c.body;
    const kind = str(b.kind) ?? '?';
    const keyAt = (key: string): Span => c.spans.entry(b, key)?.key ?? at;
    if (b.apiVersion !== 'builtin') {
      this.report(
        c.file,
        c.spans.entry(b, 'apiVersion')?.value ?? at,
        `kustomize: transformer ${kind} (apiVersion ${String(b.apiVersion)}) is a plugin or KRM function; it is not run, so the model may differ from the cluster here.`,
        'warning',
        'kustomize-not-rendered',
      );
      return;
    }
    // Custom places for a name or namespace are not followed: said, unless they are the usual one.
    const customSpecs = (field: string, usual: string): void => {
      if (b.fieldSpecs === undefined || fieldSpecsOf(b.fieldSpecs).every((f) => f.path === usual && !f.kinds)) return;
      this.report(
        c.file,
        keyAt('fieldSpecs'),
        `kustomize: ${kind}'s \`fieldSpecs\` other than ${usual} are not followed; its builtin ${field} field specs apply.`,
        'warning',
        'kustomize-not-rendered',
      );
    };
    switch (kind) {
      case 'NamespaceTransformer': {
        const md = metadataOf(b);
        const ns = str(md?.namespace);
        if (!ns) return;
        customSpecs('namespace', 'metadata/namespace');
        const mode = b.setRoleBindingSubjects ?? 'defaultOnly';
        if (mode !== 'defaultOnly' && mode !== 'allServiceAccounts' && mode !== 'none') {
          this.report(
            c.file,
            c.spans.entry(b, 'setRoleBindingSubjects')?.value ?? at,
            `kustomize: invalid value ${JSON.stringify(mode)} for setRoleBindingSubjects: must be defaultOnly, none or allServiceAccounts; \`kubectl kustomize\` refuses this.`,
          );
          return;
        }
        this.applyNamespace(c, objs, ns, md ? c.spans.entry(md, 'namespace') : undefined, b.unsetOnly === true, mode);
        return;
      }
      case 'PrefixSuffixTransformer': {
        customSpecs('name', 'metadata/name');
        const prefix = str(b.prefix);
        const suffix = str(b.suffix);
        if (prefix) this.applyAffix(c, objs, 'namePrefix', prefix, c.spans.entry(b, 'prefix'));
        if (suffix) this.applyAffix(c, objs, 'nameSuffix', suffix, c.spans.entry(b, 'suffix'));
        return;
      }
      case 'LabelTransformer':
      case 'AnnotationsTransformer': {
        const field = kind === 'LabelTransformer' ? 'labels' : 'annotations';
        const specs = b.fieldSpecs === undefined ? (kind === 'LabelTransformer' ? COMMON_LABELS : COMMON_ANNOTATIONS) : fieldSpecsOf(b.fieldSpecs);
        if (isMap(b[field])) this.addPairs(c, objs, specs, b[field]);
        return;
      }
      case 'PatchTransformer':
        this.applyPatchEntry(c, objs, b, at);
        return;
      default:
        this.report(
          c.file,
          keyAt('kind'),
          `kustomize: builtin transformer ${kind} is not run here (NamespaceTransformer, PrefixSuffixTransformer, LabelTransformer, AnnotationsTransformer and PatchTransformer are); the model may differ from the cluster.`,
          'warning',
          'kustomize-not-rendered',
        );
    }
  }

  private patchesStrategicMerge(k: Kustomization, objs: RenderedObject[]): void {
    const list = k.body.patchesStrategicMerge;
    if (!Array.isArray(list)) return;
    list.forEach((item, i) => {
      const span = k.spans.entry(list, i)?.value ?? { start: 0, end: 0 };
      if (typeof item !== 'string') return;
      const content = this.patchContent(k, item, span, true);
      for (const doc of content?.docs ?? []) if (isMap(doc.value)) this.applyStrategic(k, objs, doc.value, content!, span, undefined);
    });
  }

  private patches(k: Kustomization, objs: RenderedObject[]): void {
    const list = k.body.patches;
    if (!Array.isArray(list)) return;
    list.forEach((item, i) => {
      if (isMap(item)) this.applyPatchEntry(k, objs, item, k.spans.entry(list, i)?.value ?? { start: 0, end: 0 });
    });
  }

  /** One `patches:` entry (or a PatchTransformer config): `path` or inline `patch`, an optional `target`. */
  private applyPatchEntry(k: Kustomization, objs: RenderedObject[], item: JsonMap, span: Span): void {
    const ref = str(item.path) ?? str(item.patch);
    if (ref === undefined) {
      this.report(k.file, span, 'kustomize: a patch needs `path` or `patch`.');
      return;
    }
    // An inline patch's fields point at its `patch:` text.
    const inline = item.path === undefined ? k.spans.entry(item, 'patch')?.value : undefined;
    const content = this.patchContent(k, ref, span, item.path !== undefined, inline);
    if (!content) return;
    const target = isMap(item.target) ? item.target : undefined;
    for (const doc of content.docs) {
      if (Array.isArray(doc.value)) {
        if (!target) {
          this.report(k.file, span, 'kustomize: a JSON 6902 patch needs a `target`; `kubectl kustomize` refuses this.');
          continue;
        }
        this.applyJson(k, objs, doc.value, target, span, content);
      } else if (isMap(doc.value)) this.applyStrategic(k, objs, doc.value, content, span, target);
    }
  }

  private patchesJson6902(k: Kustomization, objs: RenderedObject[]): void {
    const list = k.body.patchesJson6902;
    if (!Array.isArray(list)) return;
    list.forEach((item, i) => {
      const span = k.spans.entry(list, i)?.value ?? { start: 0, end: 0 };
      if (!isMap(item) || !isMap(item.target)) {
        this.report(k.file, span, 'kustomize: a patchesJson6902 entry needs a `target`.');
        return;
      }
      const ref = str(item.path) ?? str(item.patch);
      const content = ref === undefined ? undefined : this.patchContent(k, ref, span, item.path !== undefined);
      for (const doc of content?.docs ?? []) if (Array.isArray(doc.value)) this.applyJson(k, objs, doc.value, item.target, span, content!);
    });
  }

  /** A patch's documents, from its file (spans in that file) or inline text (spans on the kustomization entry). */
  private patchContent(k: Kustomization, ref: string, span: Span, isPath: boolean, inline: Span = span): PatchContent | undefined {
    let file = k.file;
    let text = ref;
    // patchesStrategicMerge items are file names unless they hold YAML (a newline or a `:`).
    if (isPath && !/\n/.test(ref)) {
      file = joinPath(k.dir, ref);
      if (this.restricted(k, file, span)) return undefined;
      const t = this.text(file);
      if (t === undefined) {
        this.want(file);
        this.report(k.file, span, `kustomize: patch file "${ref}" not found (${file}); \`kubectl kustomize\` refuses this.`);
        return undefined;
      }
      this.consume(file);
      text = t;
    }
    if (file !== k.file) {
      const parsed = this.parsedDocuments(file, text);
      if (parsed) return { file, ...parsed };
    }
    const diags: ModelDiagnostic[] = [];
    const { read, spans } = readYamlDocuments(file, text, diags);
    if (diags.length && file === k.file) this.report(k.file, span, `kustomize: the inline patch is not valid YAML: ${diags[0]!.message}`);
    // An inline patch's fields all point at its `patch:` entry (the block's own lines are not mapped).
    return file === k.file ? { file, docs: read, spans: fixedSpans(inline), owns: spans } : { file, docs: read, spans };
  }

  /**
   * A patch file's documents as the caller parsed it already (a file is parsed once per workspace), when each
   * document is one object: no `List`, nothing the parser set aside (a list of JSON patch operations, a map
   * without kind). Otherwise undefined, and the file is read here.
   */
  private parsedDocuments(file: string, text: string): { docs: { value: Json }[]; spans: SpanIndex } | undefined {
    const pf = this.view.parsed?.(file);
    if (!pf?.chunks || pf.template || pf.diagnostics.length || /^kind:\s*\S*List\b/m.test(text)) return undefined;
    const docs = pf.chunks.reduce((n, c) => n + c.docs, 0);
    if (docs !== pf.resources.length || pf.resources.some((r, i) => r.docIndex !== i)) return undefined;
    const tables = [...new Set(pf.resources.map((r) => r.spans))];
    const spans: SpanIndex =
      tables.length === 1
        ? tables[0]!
        : {
            entry: (c, key) => {
              for (const t of tables) {
                const e = t.entry(c, key);
                if (e) return e;
              }
              return undefined;
            },
            whole: (c) => {
              for (const t of tables) {
                const w = t.whole(c);
                if (w) return w;
              }
              return undefined;
            },
          };
    return { docs: pf.resources.map((r) => ({ value: r.body })), spans };
  }

  private applyStrategic(
    k: Kustomization,
    objs: RenderedObject[],
    patch: JsonMap,
    { file, spans, owns }: Pick<PatchContent, 'file' | 'spans' | 'owns'>,
    span: Span,
    target: JsonMap | undefined,
  ): void {
    const pmd = isMap(patch.metadata) ? patch.metadata : {};
    const matches = target
      ? this.selectTargets(objs, target)
      : objs.filter(
          (o) =>
            kindOf(o) === str(patch.kind) &&
            o.names.includes(str(pmd.name) ?? '\0') &&
            (str(pmd.namespace) === undefined || o.namespaces.includes(str(pmd.namespace)!)),
        );
    if (matches.length === 0) {
      const what = target ? describeTarget(target) : `${str(patch.kind) ?? '?'} "${str(pmd.name) ?? '?'}"`;
      this.report(
        k.file,
        span,
        `kustomize: the patch matches no object (${what}); \`kubectl kustomize\` refuses a patch without a target.`,
        'error',
        'kustomize-patch-unmatched',
      );
      return;
    }
    if (patch.$patch === 'delete') {
      for (const m of matches) objs.splice(objs.indexOf(m), 1);
      return;
    }
    const where = { file, span: spans.whole(patch) ?? span };
    // The patch is read, never changed: its containers go into the objects as they are (each object copies
    // what it changes later), and remember their lines (Origins.placed).
    this.origins.whilePatching({ file, spans, owns: owns ?? spans }, () => {
      // The patch's own identity fields never rename the object they patch.
      const fields: JsonMap = {};
      for (const [key, v] of Object.entries(patch)) if (key !== 'kind' && key !== 'apiVersion') fields[key] = v;
      this.origins.alias(fields, patch);
      if (isMap(patch.metadata)) {
        const md: JsonMap = {};
        for (const [key, v] of Object.entries(patch.metadata)) if (key !== 'name' && key !== 'namespace') md[key] = v;
        this.origins.alias(md, patch.metadata);
        fields.metadata = md;
      }
      for (const o of matches) {
        // The merge copies what it changes of a body the object shares (copy-on-write).
        const trace: MergeTrace = {
          took: (target, key, from, fromKey) => {
            this.origins.takeField(target, key, from, fromKey);
            this.origins.placed((target as Record<string | number, Json>)[key]!);
          },
          alias: (rebuilt, like) => this.origins.alias(rebuilt, like),
          own: (t) => this.origins.own(o, t),
          made: (c) => this.origins.made(o, c),
        };
        o.patchedBy.push(where);
        o.body = strategicMerge(o.body, fields, 0, trace);
      }
    });
  }

  private applyJson(k: Kustomization, objs: RenderedObject[], ops: Json[], target: JsonMap, span: Span, from: { file: string; spans: SpanIndex }): void {
    const matches = this.selectTargets(objs, target);
    if (matches.length === 0) {
      this.report(k.file, span, `kustomize: the patch matches no object (${describeTarget(target)}).`, 'warning', 'kustomize-patch-unmatched');
      return;
    }
    const where = { file: from.file, span: from.spans.whole(ops) ?? span };
    for (const o of matches) {
      o.patchedBy.push(where);
      // A JSON patch may reach anywhere: the object owns all of its body first.
      this.origins.ownAll(o);
      for (const op of ops) {
        if (!isMap(op) || typeof op.op !== 'string' || typeof op.path !== 'string') {
          this.report(k.file, span, 'kustomize: a JSON patch operation needs `op` and `path`.');
          continue;
        }
        const p: PatchOp = { op: op.op, path: op.path };
        if (op.value !== undefined) p.value = op.value;
        if (typeof op.from === 'string') p.from = op.from;
        // The value an add or replace puts points at the operation's `value` (or the operation).
        const at = from.spans.entry(op, 'value') ?? { value: from.spans.whole(op) ?? span };
        const why = applyOp(
          o.body,
          p,
          (v) => this.origins.copy(v, from.file, from.spans),
          (parent, key) => this.origins.setField(parent, key, from.file, at),
        );
        if (why)
          this.report(
            k.file,
            span,
            `kustomize: JSON patch on ${kindOf(o)} "${nameOf(o)}": ${why}; \`kubectl kustomize\` refuses this.`,
            'error',
            'kustomize-patch-failed',
          );
      }
    }
  }

  /** kustomize's patch target selection: group, version, kind, name (a regex), namespace, label and annotation selectors. */
  private selectTargets(objs: RenderedObject[], t: JsonMap): RenderedObject[] {
    const re = (s: string | undefined): RegExp | undefined => {
      if (s === undefined) return undefined;
      try {
        return new RegExp(`^(?:${s})$`);
      } catch {
        return new RegExp(`^${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
      }
    };
    const kind = re(str(t.kind));
    const name = re(str(t.name));
    const ns = re(str(t.namespace));
    const group = str(t.group);
    const version = str(t.version);
    const labels = str(t.labelSelector);
    const annotations = str(t.annotationSelector);
    return objs.filter((o) => {
      if (kind && !kind.test(kindOf(o))) return false;
      if (name && !o.names.some((n) => name.test(n))) return false;
      if (ns && !o.namespaces.some((n) => ns.test(n))) return false;
      if (group !== undefined && groupOf(o) !== group) return false;
      if (version !== undefined) {
        const av = str(o.body.apiVersion) ?? '';
        if (av.slice(av.indexOf('/') + 1) !== version) return false;
      }
      const md = metadataOf(o.body);
      if (labels !== undefined && !selectorMatches(labels, pairsOf(md?.labels))) return false;
      if (annotations !== undefined && !selectorMatches(annotations, pairsOf(md?.annotations))) return false;
      return true;
    });
  }

  /** `replacements:` inline or from files (`- path: r.yaml`), after the other builtin transformers. */
  private replacements(k: Kustomization, objs: RenderedObject[]): void {
    const list = k.body.replacements;
    if (!Array.isArray(list)) return;
    list.forEach((item, i) => {
      const span = k.spans.entry(list, i)?.value ?? { start: 0, end: 0 };
      if (!isMap(item)) return;
      if (typeof item.path !== 'string') {
        this.replace(k, objs, item, span);
        return;
      }
      const file = joinPath(k.dir, item.path);
      if (this.restricted(k, file, span)) return;
      const text = this.text(file);
      if (text === undefined) {
        this.want(file);
        this.report(k.file, span, `kustomize: replacement file "${item.path}" not found (${file}); \`kubectl kustomize\` refuses this.`);
        return;
      }
      this.consume(file);
      const { read, spans } = readYamlDocuments(file, text, []);
      const c: Kustomization = { file, dir: k.dir, body: {}, spans, isComponent: false };
      for (const doc of read) {
        for (const r of Array.isArray(doc.value) ? doc.value : [doc.value]) if (isMap(r)) this.replace(c, objs, r, spans.whole(r) ?? span);
      }
    });
  }

  private replace(k: Kustomization, objs: RenderedObject[], r: JsonMap, span: Span): void {
    const src = isMap(r.source) ? r.source : undefined;
    if (!src) {
      this.report(k.file, span, 'kustomize: a replacement needs a `source`; `kubectl kustomize` refuses this.');
      return;
    }
    const sources = this.selectTargets(objs, exactSelector(src));
    const at = k.spans.entry(r, 'source')?.value ?? span;
    if (sources.length !== 1) {
      this.report(
        k.file,
        at,
        `kustomize: the replacement source (${describeTarget(exactSelector(src))}) matches ${sources.length === 0 ? 'nothing' : `${sources.length} objects`}; \`kubectl kustomize\` refuses this.`,
      );
      return;
    }
    const fieldPath = str(src.fieldPath) ?? 'metadata.name';
    const whole = getAtPath(sources[0]!.body, fieldPath);
    const value = whole === undefined ? undefined : sourcePart(whole, optionsOf(src.options));
    if (value === undefined || (value !== null && typeof value === 'object')) {
      this.report(
        k.file,
        k.spans.entry(src, 'fieldPath')?.value ?? at,
        `kustomize: the replacement source has no value at ${fieldPath}; \`kubectl kustomize\` refuses this.`,
      );
      return;
    }
    const where = k.spans.entry(src, 'fieldPath') ?? { value: at };
    for (const t of Array.isArray(r.targets) ? r.targets : []) {
      if (!isMap(t) || !isMap(t.select)) continue;
      const rejects = (Array.isArray(t.reject) ? t.reject : []).filter(isMap);
      const hit = this.selectTargets(objs, exactSelector(t.select)).filter((o) => !rejects.some((rj) => this.selectTargets([o], exactSelector(rj)).length));
      const options = optionsOf(t.options);
      const paths = Array.isArray(t.fieldPaths) ? t.fieldPaths.filter((p): p is string => typeof p === 'string') : ['metadata.name'];
      for (const o of hit) {
        this.origins.ownAll(o);
        for (const p of paths) {
          const n = setAtPath(o.body, p, value, options, (c, key) => this.origins.setField(c, key, k.file, where));
          if (n === undefined)
            this.report(
              k.file,
              k.spans.entry(t, 'fieldPaths')?.value ?? span,
              `kustomize: unable to find field "${p}" in replacement target ${kindOf(o)} "${nameOf(o)}" (set \`options.create: true\` to create it); \`kubectl kustomize\` refuses this.`,
            );
        }
      }
    }
  }

  private replicas(k: Kustomization, objs: RenderedObject[]): void {
    const list = k.body.replicas;
    if (!Array.isArray(list)) return;
    list.forEach((r, i) => {
      if (!isMap(r) || typeof r.name !== 'string' || typeof r.count !== 'number') return;
      const hit = objs.filter((o) => REPLICA_KINDS.has(kindOf(o)) && o.names.includes(r.name as string));
      if (hit.length === 0)
        this.report(
          k.file,
          k.spans.entry(list, i)?.value ?? { start: 0, end: 0 },
          `kustomize: replicas: no Deployment, ReplicaSet, StatefulSet or ReplicationController named "${r.name}".`,
          'warning',
          'kustomize-patch-unmatched',
        );
      const entry = k.spans.entry(r, 'count');
      for (const o of hit) {
        const spec = this.origins.childMap(o, this.origins.body(o), 'spec');
        spec.replicas = r.count;
        if (entry) this.origins.setField(spec, 'replicas', k.file, entry);
      }
    });
  }

  private images(k: Kustomization, objs: RenderedObject[]): void {
    const list = k.body.images;
    if (!Array.isArray(list)) return;
    const rules = list.filter(isMap).filter((r) => typeof r.name === 'string');
    if (!rules.length) return;
    // Found on the body as it is; each container whose image changes is copied for the object with the way to it.
    const keys: (string | number)[] = [];
    const visit = (o: RenderedObject, node: Json, depth: number): void => {
      if (depth > 60 || node === null || typeof node !== 'object') return;
      if (Array.isArray(node)) {
        for (let i = 0; i < node.length; i++) {
          const n = node[i]!;
          if (n === null || typeof n !== 'object') continue;
          keys.push(i);
          visit(o, n, depth + 1);
          keys.pop();
        }
        return;
      }
      for (const key in node) {
        const v = node[key]!;
        if (v === null || typeof v !== 'object') continue;
        keys.push(key);
        if ((key === 'containers' || key === 'initContainers') && Array.isArray(v)) {
          for (let i = 0; i < v.length; i++) {
            const item = v[i]!;
            if (!isMap(item) || typeof item.image !== 'string') continue;
            const rule = ruleFor(item.image, rules);
            if (!rule) continue;
            const c = this.origins.path(o, [...keys, i]) as JsonMap;
            c.image = retag(item.image, [rule]);
            // The rule's line that changed the image (its new name, tag or digest).
            const changed = ['newName', 'newTag', 'digest', 'name'].find((f) => rule[f] !== undefined)!;
            const entry = k.spans.entry(rule, changed);
            if (entry) this.origins.setField(c, 'image', k.file, entry);
          }
        }
        visit(o, v, depth + 1);
        keys.pop();
      }
    };
    for (const o of objs) visit(o, o.body, 0);
  }
}

/** How field-spec walks change `o`: copies made for it by `origins` (copy-on-write). */
function writerOf(origins: Origins, o: KObject): Writable {
  return {
    body: () => origins.body(o),
    child: (parent, key) => origins.child(o, parent, key),
    made: (m) => origins.made(o, m),
  };
}

/** The first `images:` rule naming the image (the one `retag` applies). */
function ruleFor(image: string, rules: readonly JsonMap[]): JsonMap | undefined {
  const at = image.indexOf('@');
  const beforeDigest = at >= 0 ? image.slice(0, at) : image;
  const colon = beforeDigest.lastIndexOf(':');
  const name = colon > beforeDigest.lastIndexOf('/') ? beforeDigest.slice(0, colon) : beforeDigest;
  return rules.find((r) => r.name === name);
}

/** An image reference with kustomize's `images:` rules applied (name, newName, newTag, digest). */
export function retag(image: string, rules: readonly JsonMap[]): string {
  const at = image.indexOf('@');
  const beforeDigest = at >= 0 ? image.slice(0, at) : image;
  const colon = beforeDigest.lastIndexOf(':');
  const hasTag = colon > beforeDigest.lastIndexOf('/');
  const name = hasTag ? beforeDigest.slice(0, colon) : beforeDigest;
  let tag = hasTag ? beforeDigest.slice(colon) : '';
  let digest = at >= 0 ? image.slice(at) : '';
  for (const r of rules) {
    if (r.name !== name) continue;
    let newName = name;
    if (typeof r.newName === 'string') newName = r.newName;
    if (typeof r.newTag === 'string' || typeof r.newTag === 'number') {
      tag = `:${r.newTag}`;
      digest = '';
    }
    if (typeof r.digest === 'string') {
      digest = `@${r.digest}`;
      tag = '';
    }
    return newName + tag + digest;
  }
  return image;
}

/** A replacement's source or target selector: names and kinds match exactly (not as patch targets' regexes). */
function exactSelector(s: JsonMap): JsonMap {
  const out: JsonMap = {};
  for (const [k, v] of Object.entries(s)) {
    if (typeof v !== 'string') continue;
    if (k === 'kind' || k === 'name' || k === 'namespace') out[k] = v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    else if (k === 'group' || k === 'version' || k === 'labelSelector' || k === 'annotationSelector') out[k] = v;
  }
  return out;
}

function optionsOf(v: Json | undefined): ReplaceOptions {
  if (!isMap(v)) return {};
  const o: ReplaceOptions = {};
  if (typeof v.delimiter === 'string') o.delimiter = v.delimiter;
  if (typeof v.index === 'number') o.index = v.index;
  if (v.create === true) o.create = true;
  return o;
}

/** kustomize field specs written in a config (`- {kind: Service, path: spec/selector, create: true}`). */
function fieldSpecsOf(v: Json | undefined): FieldSpec[] {
  if (!Array.isArray(v)) return [];
  const out: FieldSpec[] = [];
  for (const f of v) {
    if (!isMap(f) || typeof f.path !== 'string') continue;
    const spec: FieldSpec = { path: f.path, create: f.create === true };
    if (typeof f.kind === 'string') spec.kinds = [f.kind];
    out.push(spec);
  }
  return out;
}

function pairsOf(v: Json | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (isMap(v)) for (const [k, x] of Object.entries(v)) if (typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean') out[k] = String(x);
  return out;
}

function describeTarget(t: JsonMap): string {
  return (
    Object.entries(t)
      .filter(([, v]) => typeof v === 'string')
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(', ') || 'any'
  );
}

/** Equality-based label selectors (`a=b,c!=d,e,!f`) and `key in (x,y)`, as kustomize's targets accept. */
export function selectorMatches(selector: string, labels: Readonly<Record<string, string>>): boolean {
  const parts = selector.match(/[^,(]+(\([^)]*\))?/g) ?? [];
  return parts.every((raw) => {
    const p = raw.trim();
    if (!p) return true;
    let m = /^(\S+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(p);
    if (m) {
      const vals = m[3]!.split(',').map((s) => s.trim());
      const has = m[1]! in labels && vals.includes(labels[m[1]!]!);
      return m[2] === 'in' ? has : !has;
    }
    m = /^([^!=\s]+)\s*(==|=|!=)\s*(.*)$/.exec(p);
    if (m) return m[2] === '!=' ? labels[m[1]!] !== m[3]!.trim() : labels[m[1]!] === m[3]!.trim();
    if (p.startsWith('!')) return !(p.slice(1).trim() in labels);
    return p in labels;
  });
}

/**
 * kustomize's name reference transformer: a field naming an object of the referenced kind by any of
 * the names that object had (before a prefix, suffix or hash) now names it as rendered. Only objects
 * in the referrer's namespace (or cluster-scoped ones) are candidates, as kustomize requires.
 */
export function fixNameReferences(objs: readonly RenderedObject[], origins: Origins): void {
  const byKind = new Map<string, RenderedObject[]>();
  for (const o of objs) {
    const list = byKind.get(kindOf(o));
    if (list) list.push(o);
    else byKind.set(kindOf(o), [o]);
  }
  // Each referrer walks only its own kind's reference fields (kustomize's nameReference configuration), in that
  // order. The walk's callbacks are made once: they read the referrer and the field being walked from here.
  let ns = '';
  let ref: NameReference = { target: '', kinds: [], path: '' };
  let candidates: readonly RenderedObject[] = [];
  const rename = (old: string): string => {
    const hit = candidates.find((c) => c.names.includes(old) && (isClusterScoped(ref.target) || (str(metadataOf(c.body)?.namespace) ?? '') === ns));
    return hit ? nameOf(hit) : old;
  };
  /** The field's new value, or undefined when it stays (found on the shared body, written on the object's copy). */
  const renamed = (parent: JsonMap, key: string): Json | undefined => {
    const v = parent[key];
    // roleRef names a Role or a ClusterRole: only the kind it says.
    if (key === 'name' && parent.kind !== undefined && ref.path === 'roleRef/name' && parent.kind !== ref.target) return undefined;
    if (key === 'name' && ref.path.endsWith('scaleTargetRef/name') && parent.kind !== undefined && parent.kind !== ref.target) return undefined;
    if (typeof v === 'string') {
      const n = rename(v);
      return n === v ? undefined : n;
    }
    if (!Array.isArray(v)) return undefined;
    const out = v.map((x) => (typeof x === 'string' ? rename(x) : x));
    return out.some((x, i) => x !== v[i]) ? out : undefined;
  };
  const write = (parent: JsonMap, key: string): void => {
    const v = renamed(parent, key);
    if (v !== undefined) parent[key] = v;
  };
  const wants = (parent: JsonMap, key: string): boolean => renamed(parent, key) !== undefined;
  for (const o of objs) {
    const refs = nameReferencesFrom(kindOf(o));
    if (refs.length === 0) continue;
    ns = str(metadataOf(o.body)?.namespace) ?? '';
    let w: Writable | undefined;
    for (ref of refs) {
      const found = byKind.get(ref.target);
      if (!found) continue;
      candidates = found;
      visitPath(o.body, ref.path, false, write, (w ??= writerOf(origins, o)), wants);
    }
  }
  // ServiceAccount subjects of (Cluster)RoleBindings, as kustomize's name reference fixes a map with a name and
  // a namespace (nameref setMapping): a subject with a namespace is matched among the accounts first in that
  // namespace as written (unset counts as `default`), then as rendered; one without, among all. The match's name
  // is written, and its namespace when it has one (never an empty one).
  const accounts = byKind.get('ServiceAccount') ?? [];
  const effective = (ns: string | undefined): string => (ns ? ns : 'default');
  for (const o of objs) {
    const kind = kindOf(o);
    const subjects = o.body.subjects;
    if ((kind !== 'RoleBinding' && kind !== 'ClusterRoleBinding') || !Array.isArray(subjects)) continue;
    subjects.forEach((shared, i) => {
      if (!isMap(shared) || shared.kind !== 'ServiceAccount' || typeof shared.name !== 'string') return;
      const name = shared.name;
      const named = accounts.filter((a) => a.names.includes(name));
      let candidates = named;
      if (typeof shared.namespace === 'string') {
        const ns = shared.namespace;
        candidates = named.filter((a) => effective(a.namespaces[0]) === ns);
        if (candidates.length === 0) candidates = named.filter((a) => effective(namespaceOf(a)) === ns);
      }
      const hit = candidates[0];
      if (!hit) return;
      const ns = namespaceOf(hit);
      if (nameOf(hit) === name && ns === '') return;
      const s = origins.path(o, ['subjects', i]) as JsonMap;
      s.name = nameOf(hit);
      if (ns !== '') s.namespace = ns;
    });
  }
}
