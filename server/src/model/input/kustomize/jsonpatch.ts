// Model layer (pure): JSON patches (RFC 6902) as kustomize applies them (patchesJson6902, and
// `patches` entries whose content is a list of operations).
import type { Json, JsonMap } from '../../types';
import { isMap } from '../../core/typed-fields';

/** Told where an add or replace put its value (so that the rendered field points at the operation). */
export type Placed = (parent: JsonMap | Json[], key: string | number) => void;

export interface PatchOp {
  op: string;
  path: string;
  value?: Json;
  from?: string;
}

/** Applies one operation to `doc` in place; returns why it could not, or undefined. */
export function applyOp(doc: JsonMap, op: PatchOp, copy: (v: Json) => Json, placed: Placed = () => undefined): string | undefined {
  switch (op.op) {
    case 'add':
      return op.value === undefined ? 'an add needs a value' : put(doc, op.path, copy(op.value), 'add', placed);
    case 'replace':
      return op.value === undefined ? 'a replace needs a value' : put(doc, op.path, copy(op.value), 'replace', placed);
    case 'remove':
      return remove(doc, op.path).error;
    case 'move':
    case 'copy': {
      if (op.from === undefined) return `a ${op.op} needs a from`;
      const got = op.op === 'move' ? remove(doc, op.from) : get(doc, op.from);
      if (got.error) return got.error;
      return put(doc, op.path, op.op === 'copy' ? copy(got.value!) : got.value!, 'add', placed);
    }
    case 'test': {
      const got = get(doc, op.path);
      if (got.error) return got.error;
      return JSON.stringify(got.value) === JSON.stringify(op.value) ? undefined : `test failed: ${op.path} is not the given value`;
    }
    default:
      return `unknown op "${op.op}"`;
  }
}

function tokens(pointer: string): string[] | undefined {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) return undefined;
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The container holding the pointer's last token. */
function parentOf(doc: JsonMap, pointer: string): { parent?: JsonMap | Json[]; last?: string; error?: string } {
  const toks = tokens(pointer);
  if (!toks) return { error: `path "${pointer}" must start with /` };
  if (toks.length === 0) return { error: 'the whole document cannot be patched' };
  let node: Json = doc;
  for (let i = 0; i < toks.length - 1; i++) {
    const t = toks[i]!;
    if (Array.isArray(node)) {
      const n = /^(0|[1-9][0-9]*)$/.test(t) ? Number(t) : NaN;
      if (!(n < node.length)) return { error: `${pointer}: no item ${t} at /${toks.slice(0, i).join('/')}` };
      node = node[n]!;
    } else if (isMap(node)) {
      if (!(t in node)) return { error: `${pointer}: no field "${t}" at /${toks.slice(0, i).join('/')}` };
      node = node[t]!;
    } else return { error: `${pointer}: /${toks.slice(0, i).join('/')} is not a map or list` };
  }
  if (!Array.isArray(node) && !isMap(node)) return { error: `${pointer}: its parent is not a map or list` };
  return { parent: node, last: toks[toks.length - 1]! };
}

function get(doc: JsonMap, pointer: string): { value?: Json; error?: string } {
  if (pointer === '') return { value: doc };
  const { parent, last, error } = parentOf(doc, pointer);
  if (error || parent === undefined || last === undefined) return { error: error ?? 'bad path' };
  if (Array.isArray(parent)) {
    const n = /^(0|[1-9][0-9]*)$/.test(last) ? Number(last) : NaN;
    return n < parent.length ? { value: parent[n]! } : { error: `${pointer}: no item ${last}` };
  }
  return last in parent ? { value: parent[last]! } : { error: `${pointer}: no field "${last}"` };
}

function put(doc: JsonMap, pointer: string, value: Json, mode: 'add' | 'replace', placed: Placed = () => undefined): string | undefined {
  const { parent, last, error } = parentOf(doc, pointer);
  if (error || parent === undefined || last === undefined) return error ?? 'bad path';
  if (Array.isArray(parent)) {
    const n = last === '-' && mode === 'add' ? parent.length : /^(0|[1-9][0-9]*)$/.test(last) ? Number(last) : NaN;
    if (mode === 'add' ? !(n <= parent.length) : !(n < parent.length)) return `${pointer}: index ${last} is out of range`;
    if (mode === 'add') parent.splice(n, 0, value);
    else parent[n] = value;
    placed(parent, n);
    return undefined;
  }
  if (mode === 'replace' && !(last in parent)) return `${pointer}: no field "${last}" to replace`;
  parent[last] = value;
  placed(parent, last);
  return undefined;
}

function remove(doc: JsonMap, pointer: string): { value?: Json; error?: string } {
  const { parent, last, error } = parentOf(doc, pointer);
  if (error || parent === undefined || last === undefined) return { error: error ?? 'bad path' };
  if (Array.isArray(parent)) {
    const n = /^(0|[1-9][0-9]*)$/.test(last) ? Number(last) : NaN;
    if (!(n < parent.length)) return { error: `${pointer}: no item ${last} to remove` };
    return { value: parent.splice(n, 1)[0]! };
  }
  if (!(last in parent)) return { error: `${pointer}: no field "${last}" to remove` };
  const value = parent[last]!;
  delete parent[last];
  return { value };
}
