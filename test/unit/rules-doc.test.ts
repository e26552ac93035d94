// Unit tests (docs): docs/rules.md is the project's own rule reference. Every rule id the code cites must have
// its section there, under a `### ID` heading whose anchor is what rule links point at; and the list of rule
// ids the editor accepts (shared/rules.ts) must be exactly those headings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { citedRuleIds, isRuleId, ruleAnchor, RULE_IDS } from '../../shared/rules';

const ROOT = join(__dirname, '..', '..', '..');
const SCANNED = ['server/src', 'client', 'media', 'shared', 'test', 'bench'];
const SKIP_DIRS = new Set(['node_modules', 'dist', 'test-results']);
const TEXT = /\.(ts|mjs|js|sh|ya?ml|json|css|md)$/;

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (!SKIP_DIRS.has(name)) out.push(...filesUnder(p));
    } else if (TEXT.test(name)) out.push(p);
  }
  return out;
}

/** `### ID` headings of docs/rules.md, in order. */
function documentedIds(markdown: string): string[] {
  return [...markdown.matchAll(/^### ([A-Z]+-\d+)\s*$/gm)].map((m) => m[1] as string);
}

/** Cited ids with no section, each with the first file citing it. */
function undocumented(citations: Map<string, string>, documented: ReadonlySet<string>): string[] {
  return [...citations].filter(([id]) => !documented.has(id)).map(([id, file]) => `${id} (cited in ${file})`);
}

const doc = readFileSync(join(ROOT, 'docs', 'rules.md'), 'utf8');
const documented = new Set(documentedIds(doc));

test('every rule id cited in server/src, client, media, shared, test and bench has a section in docs/rules.md', () => {
  const citations = new Map<string, string>();
  for (const top of SCANNED) {
    for (const file of filesUnder(join(ROOT, top))) {
      for (const id of citedRuleIds(readFileSync(file, 'utf8'))) if (!citations.has(id)) citations.set(id, relative(ROOT, file));
    }
  }
  // The scan must see the code's citations at all, or this test could pass on nothing.
  assert.ok(citations.size > 40, `only ${citations.size} rule ids found in the code`);
  assert.deepEqual(undocumented(citations, documented), []);
});

// Ids that are not rules are spelled in two halves here, or the scan above would (rightly) flag this file.
const BOGUS = ['SVC', '42'].join('-');
const NOT_A_RULE = ['NP', '8'].join('-');

test('a bogus rule id cited in code is reported, ranges and DNS-1123-style names are read right', () => {
  const cited = new Map(citedRuleIds(`// model: a bogus citation (${BOGUS}), a range EP-2..4, a label syntax DNS-1123`).map((id) => [id, 'x.ts']));
  assert.deepEqual([...cited.keys()], [BOGUS, 'EP-2', 'EP-3', 'EP-4']);
  assert.deepEqual(undocumented(cited, documented), [`${BOGUS} (cited in x.ts)`]);
});

test('docs/rules.md has one section per rule id of shared/rules.ts, in order, each with its upstream source', () => {
  assert.deepEqual(documentedIds(doc), [...RULE_IDS]);
  const sections = doc.split(/^### /m).slice(1);
  for (const s of sections) {
    const id = s.slice(0, s.indexOf('\n')).trim();
    assert.match(s, /\nSource[^:]*: /, `${id} names its upstream source`);
  }
});

test('rule anchors are the slugs VS Code and GitHub give `### ID` headings, and only listed ids are rules', () => {
  assert.equal(ruleAnchor('SVC-2'), 'svc-2');
  assert.equal(ruleAnchor('ING-7'), 'ing-7');
  // The table of contents links each rule by the same anchor.
  for (const id of RULE_IDS) assert.ok(doc.includes(`[${id}](#${ruleAnchor(id)})`), `${id} is in the table of contents`);
  assert.equal(isRuleId('NP-7'), true);
  assert.equal(isRuleId(NOT_A_RULE), false);
  assert.equal(isRuleId('np-7'), false);
  assert.equal(isRuleId({ toString: () => 'NP-7' }), false);
});
