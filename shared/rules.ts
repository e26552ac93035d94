// Shared contract layer: the rule ids of docs/rules.md, and how a rule id becomes a link to its section.
// Imports nothing (used by the server, the client and the webview script). The unit test rules-doc.test.ts
// keeps this list, the headings of docs/rules.md and every id cited in the code in step.

/** Every rule of docs/rules.md, in its order; each is a `### ID` heading there. */
export const RULE_IDS = [
  'IN-1',
  'IN-2',
  'IN-3',
  'IN-4',
  'IN-5',
  'IN-6',
  'CL-1',
  'CL-2',
  'CL-3',
  'CL-4',
  'CL-5',
  'IP-1',
  'IP-2',
  'IP-3',
  'IP-4',
  'IP-5',
  'IP-6',
  'WL-1',
  'WL-2',
  'WL-3',
  'WL-4',
  'WL-5',
  'WL-6',
  'SVC-1',
  'SVC-2',
  'SVC-3',
  'SVC-4',
  'SVC-5',
  'SVC-6',
  'SVC-7',
  'SVC-8',
  'SVC-9',
  'EP-1',
  'EP-2',
  'EP-3',
  'EP-4',
  'DNS-1',
  'DNS-2',
  'DNS-3',
  'DNS-4',
  'DNS-5',
  'DNS-6',
  'ING-1',
  'ING-2',
  'ING-3',
  'ING-4',
  'ING-5',
  'ING-6',
  'ING-7',
  'GW-1',
  'GW-2',
  'GW-3',
  'GW-4',
  'GW-5',
  'GW-6',
  'GW-7',
  'GW-8',
  'NP-1',
  'NP-2',
  'NP-3',
  'NP-4',
  'NP-5',
  'NP-6',
  'NP-7',
  'TR-1',
  'TR-2',
  'TR-3',
  'TR-4',
  'TR-5',
  'TR-6',
  'TR-7',
  'TR-8',
  'TR-9',
] as const;

export type RuleId = (typeof RULE_IDS)[number];

const KNOWN: ReadonlySet<string> = new Set(RULE_IDS);

/** Only ids of this list: a command argument or a webview message is untrusted input. */
export function isRuleId(value: unknown): value is RuleId {
  return typeof value === 'string' && KNOWN.has(value);
}

/**
 * The heading's anchor as VS Code's markdown preview (and GitHub) slug it: lower case, spaces to `-`,
 * punctuation other than `-` dropped. `### SVC-2` → `svc-2`.
 */
export function ruleAnchor(id: RuleId): string {
  return id.toLowerCase();
}

/** The command the editor registers to open a rule (client/src/rules.ts). */
export const OPEN_RULE_COMMAND = 'netpath.openRule';

/**
 * A rule citation: a section prefix, `-`, one or two digits, optionally a range `..N` (`EP-2..4`).
 * Two digits at most, so `DNS-1123` (the RFC name of a label syntax) is not read as a rule.
 */
const CITATION = /\b(IN|CL|IP|WL|SVC|EP|DNS|ING|GW|NP|TR)-(\d{1,2})(?:\.\.(?:\1-)?(\d{1,2}))?\b/g;

/** Every rule id a text cites, ranges expanded (`EP-2..4` → EP-2, EP-3, EP-4), known or not. */
export function citedRuleIds(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(CITATION)) {
    const prefix = m[1] as string;
    const from = Number(m[2]);
    const to = m[3] === undefined ? from : Number(m[3]);
    for (let n = from; n <= Math.max(from, to); n++) out.add(`${prefix}-${n}`);
  }
  return [...out];
}
