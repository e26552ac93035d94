// Model layer (pure): label selectors (equality and set-based). Must not import vscode, LSP, node:* or fs.
import type { JsonMap, LabelSelector } from '../types';
import { Fields, valueSpan } from './typed-fields';

const OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const;

/** The empty selector, which selects everything (`podSelector: {}`). */
export function everything(): LabelSelector {
  return { matchLabels: {}, matchExpressions: [] };
}

/** A plain `key: value` map used as a selector (Service, ReplicaSet v1 `selector`). */
export function fromMatchLabels(labels: Record<string, string>): LabelSelector {
  return { matchLabels: labels, matchExpressions: [] };
}

/** Reads a `LabelSelector` (matchLabels + matchExpressions) at `obj[key]`; undefined when absent. */
export function readLabelSelector(f: Fields, obj: JsonMap | undefined, key: string): LabelSelector | undefined {
  const m = f.map(obj, key);
  if (!m) return undefined;
  const sel: LabelSelector = { matchLabels: f.stringMap(m, 'matchLabels') ?? {}, matchExpressions: [] };
  for (const expr of f.maps(m, 'matchExpressions')) {
    const k = f.str(expr, 'key');
    const op = f.oneOf(expr, 'operator', OPERATORS);
    if (k === undefined || op === undefined) continue;
    const values = f.strings(expr, 'values') ?? [];
    if ((op === 'In' || op === 'NotIn') && values.length === 0) {
      f.report(
        'invalid-field',
        'error',
        `\`${op}\` needs at least one value; the API server rejects this selector.`,
        valueSpan(f.res, expr, 'operator'),
        'NP-4',
      );
      continue;
    }
    sel.matchExpressions.push({ key: k, operator: op, values });
  }
  return sel;
}

/** Whether `labels` carry every `key=value` of an equality selector (a Service's selector, a matchLabels). */
export function carriesAll(labels: Record<string, string>, wanted: Record<string, string>): boolean {
  // for-in, not Object.entries: this runs for every (policy, pod) pair, and the entries arrays were
  // the largest allocation of a model build (selector maps are plain objects: own keys only).
  for (const k in wanted) if (labels[k] !== wanted[k]) return false;
  return true;
}

/** NP-4: `NotIn` and `DoesNotExist` also match objects that lack the key. */
export function matches(labels: Record<string, string>, sel: LabelSelector): boolean {
  if (!carriesAll(labels, sel.matchLabels)) return false;
  for (const e of sel.matchExpressions) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const v = labels[e.key];
    switch (e.operator) {
      case 'In':
        if (!has || !e.values.includes(v!)) return false;
        break;
      case 'NotIn':
        if (has && e.values.includes(v!)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
    }
  }
  return true;
}

/** `a=b,c in (d)`: how a selector reads in hovers and messages. */
export function describeSelector(sel: LabelSelector): string {
  const parts = Object.entries(sel.matchLabels).map(([k, v]) => `${k}=${v}`);
  for (const e of sel.matchExpressions) {
    if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
    else parts.push(`${e.key} ${e.operator === 'In' ? 'in' : 'notin'} (${e.values.join(',')})`);
  }
  return parts.length ? parts.join(',') : '(everything)';
}
