// Unit tests: manifest parsing (IN-1..IN-5).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFile } from '../../server/src/model/index';
import { modelOf } from '../support/model';

test('IN-1: multi-document files, kind: List expanded, non-resources ignored, spans exact', () => {
  const text = [
    'apiVersion: v1',
    'kind: Service',
    'metadata: {name: a}',
    '---',
    'just: data',
    '---',
    'apiVersion: v1',
    'kind: List',
    'items:',
    '- apiVersion: v1',
    '  kind: ConfigMap',
    '  metadata: {name: b, namespace: x}',
  ].join('\n');
  const f = parseFile('m.yaml', text);
  assert.deepEqual(
    f.resources.map((r) => r.id),
    ['Service/default/a', 'ConfigMap/x/b'],
  );
  assert.deepEqual(f.diagnostics, []);
  const cm = f.resources[1]!;
  const md = cm.body.metadata as Record<string, unknown> & object;
  const span = cm.spans.entry(md as never, 'namespace')!.value;
  assert.equal(text.slice(span.start, span.end), 'x');
  assert.equal(cm.docIndex, 2);
});

test('IN-2: a broken document gets a diagnostic at the error and the others still count', () => {
  const text = 'apiVersion: v1\nkind: Service\nmetadata: {name: ok}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: [bad\n';
  const f = parseFile('m.yaml', text);
  assert.deepEqual(
    f.resources.map((r) => r.name),
    ['ok'],
  );
  assert.equal(f.diagnostics[0]?.code, 'yaml-syntax');
  assert.ok(f.diagnostics[0]!.span.start >= text.indexOf('---'), 'error is located in the second document');
});

test('IN-4: Helm templates are skipped with one informational diagnostic', () => {
  const f = parseFile('t.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\n');
  assert.equal(f.template, true);
  assert.deepEqual(
    f.diagnostics.map((d) => [d.code, d.severity]),
    [['template-skipped', 'info']],
  );
  assert.equal(f.resources.length, 0);
  // A `{{` inside a quoted string is data, not a template.
  assert.equal(parseFile('c.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {t: "{{ x }}"}\n').template, false);
});

test('IN-5: a duplicate identity is reported on the second, and the first by file path wins', () => {
  const svc = (port: number) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports: [{port: ${port}}]\n`;
  const m = modelOf({ 'b.yaml': svc(81), 'a.yaml': svc(80) });
  const dups = m.diagnostics.filter((d) => d.code === 'duplicate-resource');
  assert.equal(dups.length, 1);
  assert.equal(dups[0]!.file, 'b.yaml');
  assert.equal(m.resources.filter((r) => r.id === 'Service/default/web')[0]!.file, 'a.yaml');
});

test('IN-2: hostile input never throws (alias bomb, deep nesting, random bytes)', () => {
  const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
  for (let i = 0; i < 12; i++)
    bomb.push(
      `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`,
    );
  const inputs = [
    `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb}\ndata:\n  ${bomb.join('\n  ')}\n`,
    'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\ndata: ' + '['.repeat(5000) + ']'.repeat(5000) + '\n',
    Array.from({ length: 4096 }, (_, i) => String.fromCharCode((i * 7919) % 256)).join(''),
  ];
  for (const text of inputs) assert.doesNotThrow(() => modelOf({ 'x.yaml': text }));
});

test('IN-1: client-side configuration (kustomization, kubeconfig) is not a resource and raises nothing', () => {
  const k = parseFile('kustomization.yaml', 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [a.yaml]\n');
  const c = parseFile('config', 'apiVersion: v1\nkind: Config\nclusters: []\n');
  assert.deepEqual([k.resources, k.diagnostics, c.resources, c.diagnostics], [[], [], [], []]);
});

test('IN-3: an object without metadata.name is an error; generateName gets a stable stand-in name', () => {
  const f = parseFile(
    'p.yaml',
    'apiVersion: v1\nkind: Pod\nmetadata: {labels: {a: b}}\n---\napiVersion: batch/v1\nkind: Job\nmetadata: {generateName: migrate-}\n',
  );
  assert.deepEqual(
    f.diagnostics.map((d) => d.code),
    ['invalid-field'],
  );
  assert.equal(f.resources.length, 1);
  assert.match(f.resources[0]!.name, /^migrate-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  assert.equal(parseFile('p.yaml', 'apiVersion: batch/v1\nkind: Job\nmetadata: {generateName: migrate-}\n').resources[0]!.name, f.resources[0]!.name);
});

test('IN-2: hostile nesting is reported as too deep, not as a crash of the reader', () => {
  const text =
    'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\ndata: ' +
    '['.repeat(5000) +
    ']'.repeat(5000) +
    '\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: fine}\n';
  const f = parseFile('deep.yaml', text);
  assert.deepEqual(
    f.resources.map((r) => r.name),
    ['fine'],
  );
  assert.equal(f.diagnostics.length, 1);
  assert.match(f.diagnostics[0]!.message, /nests collections too deeply/);
});

test('IN-2: a 10 MB file parses without throwing and keeps every object', () => {
  const doc = (i: number) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${i}\ndata:\n  blob: "${'x'.repeat(400)}"\n`;
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < 10 * 1024 * 1024; i++) {
    const d = doc(i);
    parts.push(d);
    size += d.length + 4;
  }
  const f = parseFile('big.yaml', parts.join('---\n'));
  assert.equal(f.resources.length, parts.length);
  assert.deepEqual(f.diagnostics, []);
});

test('IN-1: a file parsed piece by piece gives the same objects and spans as one parse, and re-parsing after an edit reuses nothing stale', () => {
  const doc = (name: string, port: number) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n  ports:\n  - port: ${port}\n`;
  const text = `# leading comment\n${doc('a', 80)}---\n${doc('b', 81)}--- # a comment on the marker\n${doc('c', 82)}`;
  const first = parseFile('m.yaml', text);
  const portSpan = (f: ReturnType<typeof parseFile>, i: number) => {
    const r = f.resources[i]!;
    const ports = (r.body.spec as { ports: Record<string, unknown>[] }).ports;
    const span = r.spans.entry(ports[0] as never, 'port')!.value;
    return f === first ? text.slice(span.start, span.end) : span;
  };
  assert.deepEqual(
    first.resources.map((r) => [r.name, r.docIndex]),
    [
      ['a', 0],
      ['b', 1],
      ['c', 2],
    ],
  );
  assert.deepEqual(
    [0, 1, 2].map((i) => portSpan(first, i)),
    ['80', '81', '82'],
  );
  // Edit the first document so that everything after it moves: reused pieces must report their new offsets.
  const edited = text.replace('name: a', 'name: a-longer-name');
  const again = parseFile('m.yaml', edited, first);
  const fresh = parseFile('m.yaml', edited);
  for (const i of [0, 1, 2]) {
    const s = portSpan(again, i) as { start: number; end: number };
    assert.equal(edited.slice(s.start, s.end), String(80 + i));
    assert.deepEqual(s, portSpan(fresh, i));
    assert.deepEqual(again.resources[i]!.span, fresh.resources[i]!.span);
  }
  assert.equal(again.resources[2]!.body, first.resources[2]!.body, 'the unchanged last document was reused, not re-parsed');
  // A syntax error in the edited piece is located in the whole file's coordinates.
  const broken = parseFile('m.yaml', edited.replace('  - port: 82', '  - port: [82'), again);
  assert.equal(broken.diagnostics[0]?.code, 'yaml-syntax');
  assert.ok(broken.diagnostics[0]!.span.start > edited.lastIndexOf('---'));
});

test('IN-3: names the API server refuses are errors on the name, and the object is still modelled', () => {
  const f = parseFile(
    'n.yaml',
    [
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: <img src=x onerror=alert(1)>\n',
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: 1st-service\n',
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api.v2\n',
    ].join('---\n'),
  );
  assert.deepEqual(
    f.resources.map((r) => r.name),
    ['<img src=x onerror=alert(1)>', '1st-service', 'web', 'api.v2'],
  );
  assert.deepEqual(
    f.diagnostics.map((d) => [d.code, d.subject]),
    [
      ['invalid-field', 'Pod/default/<img src=x onerror=alert(1)>'],
      ['invalid-field', 'Service/default/1st-service'],
    ],
  );
});

test("IN-1: spans are answered only for a piece's own containers, the last of duplicate keys wins, with either YAML reader", () => {
  // Block style takes the fast reader; the flow-style quoted key and the anchor send the second file to the library.
  const fastText = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: f\ndata:\n  k: one\n  k: two\n';
  const libraryText = 'apiVersion: v1\nkind: ConfigMap\nmetadata: &m {"name": l}\ndata:\n  k: one\n  k: two\n';
  const fast = parseFile('f.yaml', fastText);
  const library = parseFile('l.yaml', libraryText);
  for (const [f, text] of [
    [fast, fastText],
    [library, libraryText],
  ] as const) {
    const r = f.resources[0]!;
    const data = r.body.data as Record<string, string>;
    assert.equal(data.k, 'two');
    const e = r.spans.entry(data, 'k')!;
    assert.equal(text.slice(e.value.start, e.value.end), 'two', 'the span of the value the map kept');
    assert.equal(text.slice(e.key!.start, e.key!.end), 'k');
    assert.equal(r.spans.entry(data, 'missing'), undefined);
  }
  // A container of another file (another piece's spans) is not this piece's to answer for.
  const other = library.resources[0]!.body.data as Record<string, string>;
  assert.equal(fast.resources[0]!.spans.entry(other, 'k'), undefined);
  assert.equal(fast.resources[0]!.spans.whole(other), undefined);
  // A copy of a container (as a kustomize patch makes) has no spans of its own.
  assert.equal(fast.resources[0]!.spans.entry({ ...(fast.resources[0]!.body.data as Record<string, string>) }, 'k'), undefined);
});

test('IN-1 (issue 13): an edit of one document keeps the Resource objects of the documents it does not move', () => {
  const doc = (name: string, port: number) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n  ports:\n    - port: ${port}\n`;
  const first = parseFile('file:///ws/a.yaml', [doc('a', 80), doc('b', 81), doc('c', 82)].join('---\n'));
  // Same length: nothing after the edited document moves, so b and c are the same objects (what the model keeps per
  // resource stays valid); a is new.
  const same = parseFile('file:///ws/a.yaml', [doc('a', 90), doc('b', 81), doc('c', 82)].join('---\n'), first);
  assert.deepEqual(
    same.resources.map((r, i) => r === first.resources[i]),
    [false, true, true],
  );
  assert.equal(same.resources[0]!.body.spec && JSON.stringify(same.resources[0]!.body.spec), '{"ports":[{"port":90}]}');
  // Longer: b and c move, and are new objects with their spans where they are now.
  const moved = parseFile('file:///ws/a.yaml', [doc('a', 8080), doc('b', 81), doc('c', 82)].join('---\n'), same);
  assert.deepEqual(
    moved.resources.map((r, i) => r === same.resources[i]),
    [false, false, false],
  );
  assert.equal(moved.resources[1]!.span.start - same.resources[1]!.span.start, 2);
  // The earlier parse is left as it was.
  assert.equal(same.resources[1]!.span.start, first.resources[1]!.span.start);
});
