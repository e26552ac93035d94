// Model layer (pure): manifest text -> resources with exact source spans (IN-1..IN-4).
// Must not import vscode, LSP, node:* or fs.
import { isDns1035Label, isDns1123Label, isDns1123Subdomain } from '../core/names';
import { parseAllDocuments, isAlias, isMap, isScalar, isSeq, isPair, visit, type Document, type Node } from 'yaml';
import type { EntrySpans, Json, JsonMap, ModelDiagnostic, ParsedChunk, ParsedFile, Resource, Span, SpanIndex } from '../types';
import { computeLineStarts, normalizeLineBreaks } from '../core/text-positions';
import { runToEnd } from '../core/steps';
import { resourceId, isClusterScoped } from '../core/identity';
import { nameSuffix } from '../core/generated-names';
import { fastParseDocument, type AttachSpans } from './fast-yaml';
import { resolveAnchors, type AnchorTable } from './yaml-aliases';
import { isKustomizationFile } from './kustomize/paths';

/** Deeper than any real manifest; protects the recursive walk from hostile nesting. */
const MAX_DEPTH = 256;
/** Nodes one document may expand to (aliases counted every time they are used): stops alias bombs. */
const MAX_NODES_PER_DOC = 500_000;

/** Each container holds, under this symbol, the index of its record in its piece's SpanStore. */
const SPANS = Symbol('spans');
type WithSpans = { [SPANS]?: number };

/**
 * An array for `n` elements filled by index. Small ones are allocated at their size; V8 makes `new Array(n)` a
 * slow dictionary past ~100,000 elements, so big ones grow as usual.
 */
function sized<T>(n: number): T[] {
  return n <= 4096 ? new Array<T>(n) : [];
}

/** Record header: start, end, entry count, first key's index in `keys` (-1 for a sequence), owner's index. */
const HEADER = 5;

/**
 * The spans of one parsed piece, packed: per container a record in `nums` (the header, then keyStart, keyEnd,
 * valueStart, valueEnd per entry, relative to the piece's start), its map keys in `keys`, and the container in
 * `owners`, so that a container is only ever answered from its own record. An object and two arrays per
 * container cost 177 of the 315 MB the parsed pieces of the 10,000-Service bench workspace took (issue 13);
 * a number on the container and these shared arrays cost a fraction of that.
 */
class SpanStore {
  private nums: number[] | Int32Array = [];
  private keys: string[] = [];
  private owners: object[] = [];

  /** Reserves a record for `entries` entries and hangs its index on the container; entries are set by `set`. */
  begin(container: object, start: number, end: number, isMap: boolean, entries: number): number {
    const nums = this.nums as number[];
    const rec = nums.length;
    nums.push(start, end, entries, isMap ? this.keys.length : -1, this.owners.length);
    for (let i = 0; i < 4 * entries; i++) nums.push(0);
    if (isMap) for (let i = 0; i < entries; i++) this.keys.push('');
    this.owners.push(container);
    Object.defineProperty(container, SPANS, { value: rec, enumerable: false });
    return rec;
  }
  set(rec: number, i: number, key: string | null, ks: number, ke: number, vs: number, ve: number): void {
    const nums = this.nums as number[];
    const at = rec + HEADER + 4 * i;
    nums[at] = ks;
    nums[at + 1] = ke;
    nums[at + 2] = vs;
    nums[at + 3] = ve;
    const k = nums[rec + 3]!;
    if (key !== null && k >= 0) this.keys[k + i] = key;
  }
  /** Fewer entries than reserved (merge keys and non-string keys are skipped). */
  setCount(rec: number, n: number): void {
    (this.nums as number[])[rec + 2] = n;
  }
  /** The fast reader's record of a finished container. */
  readonly attach: AttachSpans = (container, start, end, keys, offsets) => {
    const n = offsets.length / 4;
    const rec = this.begin(container, start, end, keys !== null, n);
    for (let i = 0; i < n; i++) this.set(rec, i, keys ? keys[i]! : null, offsets[4 * i]!, offsets[4 * i + 1]!, offsets[4 * i + 2]!, offsets[4 * i + 3]!);
  };
  /** Drops every record (the fast reader gave up half-way; the library parses the piece again). */
  reset(): void {
    this.nums = [];
    this.keys = [];
    this.owners = [];
  }
  /** Parsing is over: the numbers in an array of their exact size. */
  seal(): void {
    if (Array.isArray(this.nums)) this.nums = Int32Array.from(this.nums);
  }

  /** The record of `container` if it is one of this piece's, else -1. */
  recordOf(container: object): number {
    const rec = (container as WithSpans)[SPANS];
    if (rec === undefined || rec + HEADER > this.nums.length || this.owners[this.nums[rec + 4]!] !== container) return -1;
    return rec;
  }
  entry(container: object, key: string | number, base: number): EntrySpans | undefined {
    const rec = this.recordOf(container);
    if (rec < 0) return undefined;
    const nums = this.nums;
    const n = nums[rec + 2]!;
    const k = nums[rec + 3]!;
    let i = -1;
    if (k >= 0) {
      // The last of equal keys: the value the map kept (duplicate keys are allowed, the last wins).
      const wanted = String(key);
      for (let j = n - 1; j >= 0; j--) {
        if (this.keys[k + j] === wanted) {
          i = j;
          break;
        }
      }
    } else if (typeof key === 'number' && Number.isInteger(key)) i = key;
    if (i < 0 || i >= n) return undefined;
    const at = rec + HEADER + 4 * i;
    const value = { start: base + nums[at + 2]!, end: base + nums[at + 3]! };
    return k >= 0 ? { key: { start: base + nums[at]!, end: base + nums[at + 1]! }, value } : { value };
  }
  whole(container: object, base: number): Span | undefined {
    const rec = this.recordOf(container);
    return rec < 0 ? undefined : { start: base + this.nums[rec]!, end: base + this.nums[rec + 1]! };
  }
}

class SpanTable implements SpanIndex {
  /** Offsets are stored relative to the YAML piece they were parsed from; `base` is where it starts now. */
  constructor(
    readonly store: SpanStore,
    readonly base = 0,
  ) {}

  entry(container: JsonMap | Json[], key: string | number): EntrySpans | undefined {
    return this.store.entry(container, key, this.base);
  }
  whole(container: JsonMap | Json[]): Span | undefined {
    return this.store.whole(container, this.base);
  }
  /** The same piece's spans, for the piece starting at `base` (a piece reused after an edit elsewhere in its file). */
  at(base: number): SpanTable {
    return base === this.base ? this : new SpanTable(this.store, base);
  }
}

function spanOf(node: Node | null | undefined, fallback: Span): Span {
  const r = node?.range;
  return r ? { start: r[0], end: r[1] } : fallback;
}

/** Converts one YAML document's AST to plain JSON, recording spans as it goes. */
class Converter {
  private budget = MAX_NODES_PER_DOC;
  /** Aliases point at the same converted value: an alias bomb stays linear in time. */
  private readonly anchored = new Map<Node, Json>();
  overflow: Span | null = null;

  constructor(
    private readonly anchors: AnchorTable,
    private readonly spans: SpanStore,
  ) {}

  convert(node: Node | null | undefined, depth: number, at: Span): Json {
    if (node == null) return null;
    if (--this.budget < 0 || depth > MAX_DEPTH) {
      this.overflow ??= at;
      return null;
    }
    if (isAlias(node)) {
      const target = this.anchors.target(node);
      if (!target) return null;
      const done = this.anchored.get(target);
      if (done !== undefined) return done;
      return this.convert(target, depth + 1, at);
    }
    let value: Json;
    if (isScalar(node)) {
      value = scalarValue(node.value);
      // The YAML library builds quoted and block scalars piece by piece: a tree of concatenations that
      // holds its pieces. A flat copy is smaller, and these values live as long as the parse cache.
      if (typeof value === 'string' && node.type !== 'PLAIN') value = ownCopy(value);
    } else if (isMap(node)) {
      const obj: JsonMap = {};
      const whole = spanOf(node, at);
      const rec = this.spans.begin(obj, whole.start, whole.end, true, node.items.length);
      let n = 0;
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const keyNode = pair.key as Node | null;
        const keyJson = isScalar(keyNode) ? keyNode.value : null;
        // Kubernetes keys are strings; a complex or null key cannot come from valid manifests.
        if (keyJson === null || typeof keyJson === 'object') continue;
        const key = String(keyJson);
        const keySpan = spanOf(keyNode, at);
        const valueNode = pair.value as Node | null;
        const valueSpan = valueNode?.range ? spanOf(valueNode, at) : { start: keySpan.end, end: keySpan.end };
        if (key === '<<') {
          this.mergeInto(obj, valueNode, depth);
          continue;
        }
        obj[key] = this.convert(valueNode, depth + 1, valueSpan);
        this.spans.set(rec, n, key, keySpan.start, keySpan.end, valueSpan.start, valueSpan.end);
        n++;
      }
      // Skipped pairs (merge keys, non-string keys) leave unused slots: not counted.
      if (n < node.items.length) this.spans.setCount(rec, n);
      value = obj;
    } else if (isSeq(node)) {
      // Sized up front, like the spans (see SpanTable.begin): every item becomes an element.
      const arr: Json[] = sized<Json>(node.items.length);
      const whole = spanOf(node, at);
      const rec = this.spans.begin(arr, whole.start, whole.end, false, node.items.length);
      node.items.forEach((item, i) => {
        const itemSpan = spanOf(item as Node, at);
        arr[i] = this.convert(item as Node, depth + 1, itemSpan);
        this.spans.set(rec, i, null, 0, 0, itemSpan.start, itemSpan.end);
      });
      value = arr;
    } else {
      value = null;
    }
    if (node.anchor) this.anchored.set(node, value);
    return value;
  }

  /** YAML merge keys (`<<: *base`): copy keys the map does not set itself. */
  private mergeInto(obj: JsonMap, source: Node | null, depth: number): void {
    const sources = isSeq(source) ? (source.items as Node[]) : [source];
    for (const s of sources) {
      const v = this.convert(s, depth + 1, spanOf(s, { start: 0, end: 0 }));
      if (v && typeof v === 'object' && !Array.isArray(v)) {
        for (const [k, val] of Object.entries(v)) if (!(k in obj)) obj[k] = val;
      }
    }
  }
}

function scalarValue(v: unknown): Json {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  if (typeof v === 'bigint') return Number(v);
  return String(v);
}

/** Helm and other Go templates: `{{` where YAML would need a value or a line start (IN-4). */
const TEMPLATE_MARK = /^\s*(-\s+)?\{\{|:\s+\{\{[-\s.$(]/m;

/**
 * IN-4: a file is a Go/Helm template when `{{` stands where YAML structure would be. A file that parses
 * and has `{{ }}` only inside string values (a Grafana dashboard in a ConfigMap, Prometheus alert
 * rules with `{{ $labels.instance }}`) is an ordinary manifest. Files inside a chart's `templates/`
 * folder are templates whatever they hold; pipeline/build-model.ts sees those, since it knows where Chart.yaml is.
 */
export function isTemplate(text: string): boolean {
  return text.includes('{{') && TEMPLATE_MARK.test(text) && !bracesOnlyInStrings(text);
}

/** Whether the text parses as YAML and every `{{` lies inside a string scalar. */
function bracesOnlyInStrings(text: string): boolean {
  let docs: Document.Parsed[];
  try {
    docs = parseAllDocuments(text, { prettyErrors: false, uniqueKeys: false }) as Document.Parsed[];
    if (!Array.isArray(docs)) return false;
  } catch {
    return false;
  }
  const ranges: [number, number][] = [];
  for (const doc of docs) {
    if (doc.errors.length > 0) return false;
    visit(doc, {
      Scalar(_, node) {
        if (typeof node.value === 'string' && node.range) ranges.push([node.range[0], node.range[1]]);
      },
    });
  }
  ranges.sort((a, b) => a[0] - b[0]);
  let r = 0;
  for (let at = text.indexOf('{{'); at >= 0; at = text.indexOf('{{', at + 2)) {
    while (r < ranges.length && ranges[r]![1] <= at) r++;
    // Comments may say anything: a `{{` after `#` on its line is not structure either.
    const lineStart = text.lastIndexOf('\n', at) + 1;
    if (/(^|\s)#/.test(text.slice(lineStart, at))) continue;
    if (r >= ranges.length || ranges[r]![0] > at) return false;
  }
  return true;
}

function isMapJson(v: Json | undefined): v is JsonMap {
  return v !== null && v !== undefined && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Parses one manifest file. Never throws: whatever cannot be read becomes a diagnostic (IN-2).
 *
 * The text is cut at its `---` lines (a `---` at the start of a line always begins a document in
 * YAML) and each piece is parsed on its own. With `previous`, the same file's last parse, pieces
 * whose text did not change are reused: typing in one document of a 10,000-line file re-parses
 * that document only, which keeps edit -> diagnostics fast on big files.
 */
/**
 * `fast: false` parses every piece with the YAML library, never with fast-yaml.ts: for the tests that
 * check both give the same result.
 */
export function parseFile(file: string, rawText: string, previous?: ParsedFile, fast = true): ParsedFile {
  return runToEnd(parseFileSteps(file, rawText, previous, fast));
}

/** Pieces between two yields of parseFileSteps (a piece kept from the last parse costs a slice and a lookup). */
const PIECES_PER_STEP = 256;

/**
 * parseFile a step at a time: it yields after reading where the lines and the pieces start and every few pieces, so
 * that an edit of a file of thousands of documents (2.8 MB in the 10,000-Service bench: 20-50 ms) is not one step
 * (issue 13: a request waits for the step under way). Where it yields changes nothing it computes.
 */
export function* parseFileSteps(file: string, rawText: string, previous?: ParsedFile, fast = true): Generator<void, ParsedFile, void> {
  const lineStarts = computeLineStarts(rawText);
  const text = normalizeLineBreaks(rawText);
  yield;
  if (isTemplate(text)) {
    const at = text.indexOf('{{');
    const diagnostics: ModelDiagnostic[] = [
      {
        code: 'template-skipped',
        severity: 'info',
        rule: 'IN-4',
        message: 'Template file (Go/Helm `{{ }}`) skipped: render it (helm template) to see what the cluster would do.',
        file,
        span: { start: at, end: at + 2 },
      },
    ];
    return { file, resources: [], diagnostics, lineStarts, template: true };
  }
  const reusable = new Map<string, ParsedChunk>();
  if (previous?.file === file) for (const c of previous.chunks ?? []) if (!c.generated) reusable.set(c.text, c);
  const starts = documentStarts(text, lineStarts);
  yield;
  const chunks: ParsedChunk[] = [];
  const resources: Resource[] = [];
  const diagnostics: ModelDiagnostic[] = [];
  const generated = new Map<string, number>();
  let docBase = 0;
  for (let i = 0; i < starts.length; i++) {
    if ((i + 1) % PIECES_PER_STEP === 0) yield;
    const base = starts[i]!;
    const chunkText = text.slice(base, starts[i + 1] ?? text.length);
    let chunk = reusable.get(chunkText);
    if (chunk) reusable.delete(chunkText);
    // A piece's text is a slice of the whole file's text, and so are strings the YAML library takes from
    // it: both keep that whole text alive. A piece re-parsed after an edit gets its own copy, else each
    // piece kept from an edit pins that version of the file (60 edits, each of another document of a 4 MB file: heap 231 -> 15 MB).
    else chunk = parseChunk(file, previous ? ownCopy(chunkText) : chunkText, generated, fast);
    chunks.push(chunk);
    let placed = chunk.placed;
    if (placed?.base !== base || placed.docBase !== docBase) {
      // Every resource of a piece shares the piece's table (readYamlDocuments): the same spans, moved to where it starts now.
      const first = chunk.resources[0]?.spans;
      const spans = first instanceof SpanTable ? first.at(base) : first;
      const list = chunk.resources.map((r) => ({ ...r, span: shift(r.span, base), docIndex: r.docIndex + docBase, spans: spans ?? r.spans }));
      chunk.placed = placed = { base, docBase, resources: list };
    }
    for (const r of placed.resources) resources.push(r);
    for (const d of chunk.diagnostics) diagnostics.push({ ...d, span: shift(d.span, base) });
    docBase += chunk.docs;
  }
  return { file, resources, diagnostics, lineStarts, template: false, chunks };
}

/** The same text in a string of its own: V8 flattens the concatenation into a new string and slices that. */
function ownCopy(text: string): string {
  return (text + ' ').slice(0, -1);
}

function shift(span: Span, by: number): Span {
  return by === 0 ? span : { start: span.start + by, end: span.end + by };
}

/**
 * Where each piece starts: 0, then every line that begins with `---` and a break. A file with
 * directives (`%YAML`) stays whole, since a directive belongs to the document after it.
 */
function documentStarts(text: string, lineStarts: readonly number[]): number[] {
  const starts = [0];
  if (/^%/m.test(text)) return starts;
  for (const p of lineStarts) {
    if (p === 0 || text.charCodeAt(p) !== 45 || !text.startsWith('---', p)) continue;
    const next = text.charCodeAt(p + 3);
    if (Number.isNaN(next) || next === 32 || next === 9 || next === 10 || next === 13) starts.push(p);
  }
  return starts;
}

function parseChunk(file: string, text: string, generated: Map<string, number>, fast: boolean): ParsedChunk {
  const diagnostics: ModelDiagnostic[] = [];
  const resources: Resource[] = [];
  const total = () => [...generated.values()].reduce((a, b) => a + b, 0);
  const generatedBefore = total();
  const { docs, read, spans } = readYamlDocuments(file, text, diagnostics, fast);
  for (const d of read) if (isMapJson(d.value)) collectResources(file, d.index, d.value, d.span, spans, resources, diagnostics, generated);
  // Names made up for generateName depend on the objects before them: such pieces are never reused.
  const chunk: ParsedChunk = { text, docs, resources, diagnostics, generated: total() > generatedBefore };
  if (read[0] && isKustomizationFile(file)) chunk.kustomization = { value: read[0].value, spans };
  return chunk;
}

/** One YAML document of a piece that could be read, as JSON with spans (in `spans`). */
export interface YamlDocument {
  index: number;
  value: Json;
  span: Span;
}

/**
 * The YAML half of parsing one piece: its documents as JSON with spans, syntax errors as diagnostics
 * (IN-2: a broken document contributes nothing). The fast reader takes it when it can (fast-yaml.ts),
 * else the YAML library; `fast: false` forces the library, for the tests that compare the two.
 */
export function readYamlDocuments(
  file: string,
  text: string,
  diagnostics: ModelDiagnostic[],
  fast = true,
): { docs: number; read: YamlDocument[]; spans: SpanIndex } {
  const store = new SpanStore();
  const spans = new SpanTable(store);
  const read: YamlDocument[] = [];
  const quick = fast ? fastParseDocument(text, store.attach) : undefined;
  if (quick) {
    store.seal();
    return { docs: 1, read: [{ index: 0, value: quick.value, span: { start: quick.start, end: quick.end } }], spans };
  }
  store.reset();
  let docs: Document.Parsed[];
  try {
    docs = parseAllDocuments(text, { prettyErrors: false, uniqueKeys: false }) as Document.Parsed[];
    if (!Array.isArray(docs)) docs = [docs];
  } catch (e) {
    diagnostics.push(syntaxDiagnostic(file, { start: 0, end: 0 }, unreadable(e)));
    return { docs: 0, read, spans };
  }
  docs.forEach((doc, docIndex) => {
    if (doc.errors.length > 0) {
      const said = new Set<string>();
      for (const err of doc.errors) {
        const d = syntaxDiagnostic(file, { start: err.pos[0], end: Math.max(err.pos[1], err.pos[0]) }, err.message);
        // One overflow makes the library repeat itself on the way out; say it once per document.
        if (said.has(d.message) && /too deeply/.test(d.message)) continue;
        said.add(d.message);
        diagnostics.push(d);
      }
      return;
    }
    const docSpan = { start: doc.range[0], end: doc.range[2] };
    const { table, problem } = resolveAnchors(doc, MAX_NODES_PER_DOC, MAX_DEPTH);
    if (problem) {
      diagnostics.push({
        code: 'yaml-syntax',
        severity: 'error',
        rule: 'IN-2',
        message: `YAML: ${problem.message}.`,
        file,
        span: { start: problem.start, end: problem.end },
      });
      return;
    }
    const conv = new Converter(table, store);
    let value: Json;
    try {
      value = conv.convert(doc.contents as Node | null, 0, docSpan);
    } catch (e) {
      // Deep recursion in a hostile document: report it, keep the rest of the file.
      diagnostics.push(syntaxDiagnostic(file, docSpan, unreadable(e)));
      return;
    }
    if (conv.overflow) {
      diagnostics.push({
        code: 'yaml-syntax',
        severity: 'error',
        rule: 'IN-2',
        message: 'Document nests or expands aliases beyond what a manifest needs; it was not read.',
        file,
        span: conv.overflow,
      });
      return;
    }
    read.push({ index: docIndex, value, span: docSpan });
  });
  store.seal();
  return { docs: docs.length, read, spans };
}

/** Built-in kinds whose names the API server checks as DNS-1123 subdomains (NameIsDNSSubdomain). */
const SUBDOMAIN_KINDS = new Set([
  'Pod',
  'ReplicationController',
  'ReplicaSet',
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'Job',
  'CronJob',
  'ConfigMap',
  'Secret',
  'ServiceAccount',
  'Endpoints',
  'EndpointSlice',
  'Ingress',
  'IngressClass',
  'NetworkPolicy',
  'Node',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'HorizontalPodAutoscaler',
  'PodDisruptionBudget',
  'LimitRange',
  'ResourceQuota',
  'PriorityClass',
  'StorageClass',
  'CustomResourceDefinition',
]);

/**
 * Why the API server would refuse this name, or null (IN-3: each kind's own rule). Services and
 * Namespaces become DNS labels (DNS-1), so they are held to the label rules; the built-in kinds above
 * to a DNS subdomain. RBAC kinds (ValidateRBACName) and every kind this model does not know only need
 * a valid path segment: `system:auth-delegator` is a valid ClusterRole, and a custom resource's rule
 * is its CRD's business, so nothing stricter is claimed for it.
 */
export function invalidName(kind: string, name: string): string | null {
  if (kind === 'Service')
    return isDns1035Label(name) ? null : 'is not a DNS-1035 label (lowercase letters, digits and "-", starting with a letter, at most 63 characters)';
  if (kind === 'Namespace') return isDns1123Label(name) ? null : 'is not a DNS-1123 label (lowercase letters, digits and "-", at most 63 characters)';
  if (SUBDOMAIN_KINDS.has(kind))
    return isDns1123Subdomain(name) ? null : 'is not a DNS-1123 subdomain (lowercase letters, digits, "-" and ".", at most 253 characters)';
  // apimachinery's path.IsValidPathSegmentName: the name becomes one segment of the object's URL.
  return name === '.' || name === '..' || /[/%]/.test(name) ? 'is not a valid path segment (it may not be "." or "..", nor contain "/" or "%")' : null;
}

/** File, kind, prefix and how many such objects came before: stable when other objects are edited. */
function generatedSeed(file: string, kind: string, prefix: string, seen: Map<string, number>): string {
  const key = `${file}|${kind}|${prefix}`;
  const n = seen.get(key) ?? 0;
  seen.set(key, n + 1);
  return `${key}|${n}`;
}

/** What a parser failure means to the user: stack overflows come from hostile nesting, not from a bug in the file's syntax. */
function unreadable(e: unknown): string {
  if (e instanceof RangeError) return 'the file nests collections too deeply to be read (no manifest needs this); it was skipped';
  return e instanceof Error ? e.message : String(e);
}

function syntaxDiagnostic(file: string, span: Span, raw: string): ModelDiagnostic {
  // The YAML library reports its own stack overflow as a syntax error; say what it means.
  const message = /Maximum call stack/.test(raw) ? unreadable(new RangeError(raw)) : raw;
  return { code: 'yaml-syntax', severity: 'error', rule: 'IN-2', message: `YAML syntax error: ${message.split('\n')[0]}`, file, span };
}

/**
 * IN-4: kustomize's files (`kustomization.yaml`, its `apiVersion: builtin` transformer configs such as
 * LabelTransformer), `*.config.k8s.io` kinds (component configs, Kustomization) and kubeconfig are read
 * by clients, never applied.
 */
function isClientSideConfig(file: string, apiVersion: string, kind: string): boolean {
  if (apiVersion === 'builtin' || apiVersion.endsWith('.config.k8s.io') || apiVersion.includes('.config.k8s.io/')) return true;
  if (kind === 'Config' && apiVersion === 'v1') return true;
  return /(^|[/\\])(kustomization\.ya?ml|Kustomization)$/.test(file);
}

function collectResources(
  file: string,
  docIndex: number,
  body: JsonMap,
  span: Span,
  spans: SpanIndex,
  out: Resource[],
  diagnostics: ModelDiagnostic[],
  generated: Map<string, number> = new Map(),
): void {
  const { apiVersion, kind } = body;
  // IN-1: without apiVersion and kind it is not a resource; ignore silently.
  if (apiVersion === undefined || kind === undefined) return;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
    const key = typeof kind !== 'string' ? 'kind' : 'apiVersion';
    diagnostics.push({
      code: 'invalid-field',
      severity: 'error',
      rule: 'IN-3',
      message: `\`${key}\` must be a string; the API server rejects this object.`,
      file,
      span: spans.entry(body, key)?.value ?? span,
    });
    return;
  }
  // IN-4: client-side configuration looks like objects but is never sent to the API server: not
  // resources (so never duplicates, IN-5), no diagnostics.
  if (isClientSideConfig(file, apiVersion, kind)) return;
  if (kind === 'List' || kind.endsWith('List')) {
    const items = body.items;
    if (Array.isArray(items)) {
      items.forEach((item, i) => {
        if (isMapJson(item)) collectResources(file, docIndex, item, spans.entry(items, i)?.value ?? span, spans, out, diagnostics, generated);
      });
    }
    return;
  }
  const metadata = body.metadata;
  const generateName = isMapJson(metadata) ? metadata.generateName : undefined;
  // `generateName` objects get a random suffix from the API server; a stable one stands in for it.
  const name = isMapJson(metadata)
    ? (metadata.name ??
      (typeof generateName === 'string' && generateName ? `${generateName}${nameSuffix(generatedSeed(file, kind, generateName, generated))}` : undefined))
    : undefined;
  if (typeof name !== 'string' || name === '') {
    diagnostics.push({
      code: 'invalid-field',
      severity: 'error',
      rule: 'IN-3',
      message: `${kind} has no \`metadata.name\`; the API server rejects it, so it is left out of the model.`,
      file,
      span: (isMapJson(metadata) ? spans.entry(metadata, 'name')?.value : spans.entry(body, 'metadata')?.key) ?? span,
    });
    return;
  }
  let namespace = '';
  if (!isClusterScoped(kind)) {
    const ns = isMapJson(metadata) ? metadata.namespace : undefined;
    if (ns !== undefined && ns !== null && typeof ns !== 'string') {
      diagnostics.push({
        code: 'invalid-field',
        severity: 'error',
        rule: 'IN-3',
        message: '`metadata.namespace` must be a string; treated as `default`.',
        file,
        span: (isMapJson(metadata) && spans.entry(metadata, 'namespace')?.value) || span,
      });
    }
    namespace = typeof ns === 'string' && ns !== '' ? ns : 'default';
  }
  const badName = invalidName(kind, name);
  if (badName) {
    diagnostics.push({
      code: 'invalid-field',
      severity: 'error',
      rule: 'IN-3',
      message: `metadata.name "${name}" ${badName}; the API server rejects this ${kind}. The model keeps it so that the rest can still be checked.`,
      file,
      span: (isMapJson(metadata) && spans.entry(metadata, 'name')?.value) || span,
      subject: resourceId(kind, namespace, name),
    });
  }
  out.push({ id: resourceId(kind, namespace, name), kind, apiVersion, name, namespace, file, docIndex, body, span, spans });
}
