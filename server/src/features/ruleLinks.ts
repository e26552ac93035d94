// Server layer: rule ids (`SVC-2`) as links to their section of docs/rules.md. May import LSP types and shared/;
// must not import vscode or node:*. Two kinds of link, because the two places open links differently:
// - a diagnostic's `codeDescription.href` is opened by the workbench's opener, which understands a file URI
//   with a `#L<line>` fragment (it opens the text there) but no markdown heading anchor;
// - hover markdown gets `command:netpath.openRule?["SVC-2"]` links, which the client trusts for that one command.
import { citedRuleIds, isRuleId, OPEN_RULE_COMMAND, type RuleId } from '../../../shared/rules';

/** The extension's copy of docs/rules.md: its URI and the (zero-based) line of each rule's heading. */
export interface RulesDocument {
  uri: string;
  lines: ReadonlyMap<RuleId, number>;
}

export function rulesDocument(uri: string, text: string): RulesDocument {
  const lines = new Map<RuleId, number>();
  text.split('\n').forEach((line, i) => {
    const m = /^### (\S+)\s*$/.exec(line);
    if (m && isRuleId(m[1])) lines.set(m[1], i);
  });
  return { uri, lines };
}

/** Where a diagnostic's rule is explained; undefined when there is no document or no known rule. */
export function ruleHref(doc: RulesDocument | undefined, rule: string | undefined): string | undefined {
  if (!doc || !rule) return undefined;
  // A diagnostic cites one rule, or a range (`EP-2..4`): the first known one is where to read.
  const id = citedRuleIds(rule).find(isRuleId);
  const line = id === undefined ? undefined : doc.lines.get(id);
  return line === undefined ? undefined : `${doc.uri}#L${line + 1}`;
}

/** The command link for one rule id (arguments as a URI-encoded JSON array, as VS Code expects). */
export function ruleCommandLink(id: RuleId): string {
  return `[${id}](command:${OPEN_RULE_COMMAND}?${encodeURIComponent(JSON.stringify([id]))} "Open ${id} in docs/rules.md")`;
}

/**
 * Turns the rule ids a hover cites into links. Only text outside code spans and fenced blocks is touched
 * (manifest-derived strings are shown as code), and only ids that are rules (an id missing from docs/rules.md stays text).
 */
export function linkRuleIds(markdown: string): string {
  let fenced = false;
  return markdown
    .split('\n')
    .map((line) => {
      if (/^\s*(```|~~~)/.test(line)) {
        fenced = !fenced;
        return line;
      }
      if (fenced) return line;
      return linkOutsideCode(line);
    })
    .join('\n');
}

/** Links ids in one line, skipping code spans and text already inside a link. */
function linkOutsideCode(line: string): string {
  let out = '';
  let i = 0;
  const span = /(`+)[\s\S]*?\1|\[[^\]]*\]\([^)]*\)/g;
  for (const m of line.matchAll(span)) {
    out += linkText(line.slice(i, m.index)) + m[0];
    i = (m.index ?? 0) + m[0].length;
  }
  return out + linkText(line.slice(i));
}

function linkText(text: string): string {
  // Not after `\` (an escaped character) or a word character; whole ids only.
  return text.replace(/(?<![\\\w-])([A-Z]{2,3}-\d{1,2})(?![\w-])/g, (whole, id: string) => (isRuleId(id) ? ruleCommandLink(id) : whole));
}
