// Unit tests: the fast YAML reader (model/fastyaml.ts) gives exactly what the YAML library gives, values and
// spans, or leaves the piece to the library (IN-1, IN-2, IN-3). Compared on the examples, the editor-test
// workspace, hand-written corner cases and thousands of deterministic mutations of them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseFile, type ParsedFile } from '../../server/src/model/index';
import { fastParseDocument, plainValue } from '../../server/src/model/input/fast-yaml';
import { documentsShape, parsedShape } from '../support/parsed-shape';
import { HOSTILE, mutate, rng } from '../support/mutate';

const ROOT = join(__dirname, '..', '..', '..');
function filesIn(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of readdirSync(join(ROOT, dir))) if (/\.ya?ml$/.test(f)) out[`${dir}/${f}`] = readFileSync(join(ROOT, dir, f), 'utf8');
  return out;
}
const CORPUS = { ...filesIn('examples'), ...filesIn('test/editor/workspace') };

/**
 * Both ways, compared as plain data: the resources a file makes and, piece by piece, the YAML documents
 * themselves (values and spans, whether or not they are resources). Returns the library's parse.
 */
function assertSame(file: string, text: string, why: string): ParsedFile {
  const library = parseFile(file, text, undefined, false);
  const fast = parseFile(file, text, undefined, true);
  assert.deepEqual(parsedShape(fast), parsedShape(library), `${why}\n--- text ---\n${text}`);
  for (const c of library.chunks ?? [])
    assert.deepEqual(documentsShape(c.text, true), documentsShape(c.text, false), `${why}: piece\n--- piece ---\n${c.text}`);
  return library;
}

const taken = (text: string): boolean => fastParseDocument(text, () => undefined) !== undefined;

/** Corner cases of comment placement, empty values, block and flow styles, quoting, keys and numbers. */
const CASES: Record<string, string> = {
  comment_level_after_nested: 'a:\n  b: 1\n  # c\nd: 2\n',
  comment_deeper_after_nested: 'a:\n  b: 1\n    # c\nd: 2\n',
  comment_outer_after_nested: 'a:\n  b: 1\n# c\nd: 2\n',
  comment_between_blanks: 'a:\n  b: 1\n\n  # c\n\nd: 2\n',
  comment_in_seq_deeper: 'a:\n- x\n  # c\nd: 2\n',
  comment_in_seq_level: 'a:\n- x\n# c\nd: 2\n',
  seq_of_maps_comments: 'a:\n- x: 1\n  # c\n- y: 2\n  # e\nd: 2\n',
  seq_of_maps_deeper_comment: 'a:\n- x: 1\n    # c\nd: 2\n',
  trailing_level_comment: 'a:\n  b: 1\n  # c\n',
  trailing_outer_comment: 'a:\n  b: 1\n# c\n',
  trailing_blank_lines: 'a:\n  b: 1\n\n\n',
  leading_comments: '# head\n\napiVersion: v1\n',
  marker_then_comment: '---\n# head\napiVersion: v1\n',
  marker_with_comment: '--- # x\napiVersion: v1\n',
  no_final_newline: 'a: 1',
  empty_last_value: 'a:\n',
  empty_value_comment: 'a: # c\nb: 1\n',
  empty_value_middle: 'a:\nb: 1\n',
  empty_nested_last: 'a:\n  b:\nc: 1\n',
  same_line_comments: 'apiVersion: v1   # c\nkind: Service # d\n',
  literal: 'x: |\n  line1\n  line2\n\ny: 1\n',
  literal_strip: 'x: |-\n  a\n\n  b\n',
  literal_keep: 'x: |+\n  a\n\n',
  folded: 'x: >\n  folded\n  text\n\n  para\ny: 1\n',
  folded_strip: 'x: >-\n  a\n  b\n',
  folded_more_indented: 'x: >\n  a\n    b\n  c\n',
  block_in_seq: 'a:\n- |\n  x\n- y\n',
  block_indent_indicator: 'x: |2\n   a\n',
  flow_seq: 'args: ["--port", 8080, true, null, a b]\n',
  flow_map: 'labels: {a: b, "c": \'d\', e: {f: [1, 2]}}\n',
  flow_empty: 'a: []\nb: {}\nc: [ ]\n',
  flow_trailing_comma: 'a: [1, 2,]\n',
  flow_multiline: 'a: [1,\n  2]\n',
  quotes: 'a: "x\\ty\\n\\u00e9\\"q"\nb: \'it\'\'s\'\nc: "#not a comment"\n',
  quote_multiline: 'a: "x\n  y"\n',
  quoted_keys: '"a b": 1\n\'c\': 2\n',
  numbers: 'a: 0o17\nb: 0x1F\nc: -12\nd: +3\ne: 1e3\nf: .5\ng: 1.\nh: .inf\ni: -.Inf\nj: .nan\nk: 0123\nl: 99999999999999999999\n',
  bools_nulls: 'a: true\nb: False\nc: TRUE\nd: ~\ne: null\nf: NULL\ng: yes\nh: off\ni: no\nj: n\nk: Off\nl: nULL\n',
  numeric_keys: '80: http\ntrue: x\n',
  key_space_colon: 'a : 1\n',
  colon_in_value: 'image: registry:5000/x:1.2\nurl: http://a.b/c?d=e#f\n',
  colon_space_in_value: 'command: echo a: b\n',
  hash_in_value: 'a: b#c\nd: e #f\n',
  anchors: 'a: &x 1\nb: *x\n',
  merge_key: 'base: &b {x: 1}\nm:\n  <<: *b\n  y: 2\n',
  tags: 'a: !!str 1\n',
  explicit_key: '? a\n: 1\n',
  tabs: 'a:\n\tb: 1\n',
  crlf: 'a: 1\r\nb: 2\r\n',
  duplicate_keys: 'a: 1\na: 2\n',
  bad_indent: 'a:\n  b: 1\n c: 2\n',
  continuation: 'a: one\n  two\n',
  compact_nested_seq: 'a:\n- - x\n',
  seq_item_on_next_line: 'a:\n-\n  b: 1\n',
  scalar_document: 'just a string\n',
  comment_only: '# nothing\n',
  list_kind: 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Service\n  metadata:\n    name: a\n',
  deep: `${Array.from({ length: 60 }, (_, i) => `${'  '.repeat(i)}k${i}:`).join('\n')} 1\n`,
  doc_end_marker: 'a: 1\n...\n',
  directive: '%YAML 1.2\n---\na: 1\n',
  non_ascii: 'a: héllo wörld ✓\n"ключ": значение\n',
  // Shapes seen in hand-written manifests: uneven indentation, comments between items at odd depths,
  // a script as a block scalar inside a command list, a block scalar ending the file without a newline.
  uneven_indent: 'metadata:\n  labels:\n     app: x\nspec:\n  limits:\n    cpu: "1"\n  requests:\n   cpu: "1"\n   memory: 1Gi\n',
  comments_between_items:
    'spec:\n  ports:\n  # the main port\n  - port: 1\n    name: a\n  # the second port\n  - port: 2\n  rules:\n    # level with the items\n    - record: r\n      # level with the map\n      expr: x\n  # back out\n  after: 1\n',
  script_in_command:
    'command:\n  - "/bin/bash"\n  - |\n    # not a comment\n    if [ "$(a)" == "b" ] || \\\n       [ -e "/x" ]\n    then\n      run {a: b}\n    fi\n# trailing comment\nnext: 1\n',
  block_at_eof_without_newline: 'expr: |\n  a(\n    b\n  )',
  comment_after_marker_doc: '---\n# c\n\napiVersion: v1 # x\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: "1"\n',
};

test('IN-1: every corner case reads the same both ways', () => {
  for (const [name, text] of Object.entries(CASES)) assertSame(`case-${name}.yaml`, text, name);
});

test('the fast reader takes the block style manifests are written in, and leaves what it does not know to the library', () => {
  for (const name of [
    'comment_level_after_nested',
    'comment_deeper_after_nested',
    'seq_of_maps_comments',
    'literal',
    'folded',
    'flow_map',
    'quotes',
    'numbers',
    'colon_in_value',
    'list_kind',
    'uneven_indent',
    'comments_between_items',
    'script_in_command',
    'comment_after_marker_doc',
  ]) {
    assert.ok(taken(CASES[name]!), `${name} should be read by the fast path`);
  }
  for (const name of [
    'anchors',
    'merge_key',
    'tags',
    'explicit_key',
    'tabs',
    'quote_multiline',
    'flow_multiline',
    'continuation',
    'colon_space_in_value',
    'literal_keep',
    'block_indent_indicator',
    'directive',
  ]) {
    assert.ok(!taken(CASES[name]!), `${name} is outside the fast path's subset`);
  }
  let all = 0;
  let fast = 0;
  for (const text of Object.values(CORPUS)) {
    for (const c of parseFile('x.yaml', text).chunks ?? []) {
      all++;
      if (taken(c.text)) fast++;
    }
  }
  assert.ok(fast / all > 0.9, `the examples are plain manifests: ${fast} of ${all} pieces read fast`);
});

test('IN-1: the examples and the editor workspace read the same both ways', () => {
  for (const [file, text] of Object.entries(CORPUS)) assertSame(file, text, file);
});

const crlf = (text: string): string => text.replace(/\r?\n/g, '\r\n');

test('IN-1: with Windows line ends (CRLF) too: the corpus and the corner cases read the same, and plain manifests still read fast', () => {
  for (const [file, text] of Object.entries(CORPUS)) assertSame(file, crlf(text), `${file} (CRLF)`);
  for (const [name, text] of Object.entries(CASES)) assertSame(`case-${name}.yaml`, crlf(text), `${name} (CRLF)`);
  for (const name of ['comment_level_after_nested', 'seq_of_maps_comments', 'literal', 'folded', 'flow_map', 'quotes', 'empty_value_middle']) {
    assert.ok(taken(crlf(CASES[name]!)), `${name} with CRLF should be read by the fast path`);
  }
  assert.ok(!taken('a: 1\rb: 2\r'), 'a lone CR (old Mac line ends) is left to the library');
});

const TRICKY = [
  ...HOSTILE,
  '"a\\tb"',
  "'it''s'",
  '[a, "b", 1]',
  '{a: 1, b: [x]}',
  '|',
  '>-',
  '"unterminated',
  "'open",
  'a: b',
  '- x',
  'null',
  '0o17',
  '1e3',
  '.5',
  '-1',
  '+1',
  '0x1F',
  '~',
  '',
  'http://x:80/',
  'x # c',
  'x #c',
  '#c',
  '[]',
  '{}',
  '[1,]',
  'true',
  'Yes',
  '"\\u00e9"',
  '"\\q"',
  '&a x',
  '*a',
  '!t x',
  'no',
  'off',
  'y',
  '0b101',
  '1_000',
  '+.5',
  '-0',
  '0.',
  '1e',
  'e3',
];

/** Mutations aimed at what the fast reader decides: indentation, comments, blank lines, value styles. */
function yamlMutate(text: string, r: () => number): string {
  const lines = text.split('\n');
  const ops = 1 + Math.floor(r() * 3);
  for (let k = 0; k < ops; k++) {
    const i = Math.floor(r() * (lines.length + 1));
    const op = Math.floor(r() * 5);
    if (op === 0) lines.splice(i, 0, `${' '.repeat(Math.floor(r() * 9))}# comment`);
    else if (op === 1) lines.splice(i, 0, ' '.repeat(Math.floor(r() * 3)));
    else if (op === 2 && lines[i] !== undefined) lines[i] = `${lines[i]} # trailing`;
    else if (op === 3 && lines[i] !== undefined) lines[i] = lines[i]!.replace(/:\s.*$|:$/, `: ${TRICKY[Math.floor(r() * TRICKY.length)]}`);
    else if (lines[i] !== undefined) lines.splice(i, 0, `${lines[i]!.match(/^\s*/)![0]}extra: ${TRICKY[Math.floor(r() * TRICKY.length)]}`);
  }
  return lines.join('\n');
}

test('IN-2, IN-3: 3000 mutations of the corpus and the corner cases read the same both ways', () => {
  const r = rng(20261201);
  const sources = [...Object.entries(CORPUS), ...Object.entries(CASES).map(([k, v]) => [`case-${k}`, v] as const)];
  for (let round = 0; round < 3000; round++) {
    const [name, text] = sources[Math.floor(r() * sources.length)]!;
    const mutated = round % 2 === 0 ? yamlMutate(text, r) : mutate(text, r);
    // One round in three with Windows line ends, mixed with the \n the mutation inserted.
    assertSame(`${name}.yaml`, round % 3 === 0 ? crlf(mutated) : mutated, `round ${round} of ${name}`);
  }
});

test('plainValue follows the YAML 1.2 core schema as input/parse-manifests.ts stores it (non-finite numbers as strings)', () => {
  const cases: [string, unknown][] = [
    ['80', 80],
    ['-1', -1],
    ['0o17', 15],
    ['0x1F', 31],
    ['1e3', 1000],
    ['.5', 0.5],
    ['~', null],
    ['', null],
    ['True', true],
    ['FALSE', false],
    ['yes', 'yes'],
    ['no', 'no'],
    ['off', 'off'],
    ['nULL', 'nULL'],
    ['tRUE', 'tRUE'],
    ['.inf', 'Infinity'],
    ['-.INF', '-Infinity'],
    ['.NaN', 'NaN'],
    ['0123', 123],
    ['1.2.3', '1.2.3'],
    ['v1', 'v1'],
  ];
  for (const [s, v] of cases) assert.deepEqual(plainValue(s), v, s);
});
