// Model layer (pure): configMapGenerator and secretGenerator, and the content hash kustomize appends
// to generated names (kustomize api/hasher: sha256 of a JSON encoding, first 10 hex digits, with
// 0,1,3,a,e replaced by g,h,k,m,t so that the suffix never reads as a number or a word).
import type { Json, JsonMap } from '../../types';
import { base64, sha256Hex, utf8 } from './digest';
import { isMap } from '../../core/typed-fields';

/**
 * kustomize v5's encoding: the keys `kind`, `name`, `data` (and `binaryData` when it is a map; for a
 * Secret also `type` and `stringData`), sorted, as Go's encoding/json writes them. kustomize looks the
 * name up with a path its lookup does not split, so `name` is always "" — the suffix depends on the
 * content only (checked against `kubectl kustomize` v5.5: `literals: [A=1]` gives `-89g4tffbfk`).
 */
export function generatedNameHash(body: JsonMap): string {
  return hashOfInput(hashInput(body));
}

/** What kustomize hashes for a generated object (see generatedNameHash): equal inputs, equal suffixes. */
export function hashInput(body: JsonMap): string {
  const kind = body.kind === 'Secret' ? 'Secret' : 'ConfigMap';
  const enc: JsonMap = { data: isMap(body.data) ? body.data : '', kind, name: '' };
  if (kind === 'ConfigMap' && isMap(body.binaryData)) enc.binaryData = body.binaryData;
  if (kind === 'Secret') {
    enc.type = typeof body.type === 'string' ? body.type : '';
    if (isMap(body.stringData)) enc.stringData = body.stringData;
  }
  return goJson(enc);
}

/** The suffix of a hash input: sha256, first 10 hex digits, 0,1,3,a,e written g,h,k,m,t. */
export function hashOfInput(input: string): string {
  const hex = sha256Hex(utf8(input));
  return hex.slice(0, 10).replace(/[013ae]/g, (c) => ({ '0': 'g', '1': 'h', '3': 'k', a: 'm', e: 't' })[c]!);
}

/** JSON as Go's encoding/json marshals it: map keys sorted, `<`, `>`, `&`, U+2028 and U+2029 escaped. */
export function goJson(v: Json): string {
  if (v === null || typeof v !== 'object') return escapeGo(JSON.stringify(v));
  if (Array.isArray(v)) return `[${v.map(goJson).join(',')}]`;
  const keys = Object.keys(v).sort(byBytes);
  return `{${keys.map((k) => `${escapeGo(JSON.stringify(k))}:${goJson(v[k]!)}`).join(',')}}`;
}

function escapeGo(s: string): string {
  return s.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Go sorts map keys by their UTF-8 bytes; for the BMP outside surrogates that is code point order. */
function byBytes(a: string, b: string): number {
  const x = utf8(a),
    y = utf8(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}

export function secretValue(text: string): string {
  return base64(utf8(text));
}

/** `KEY=VALUE` as kustomize reads a literal: split at the first `=`, one pair of matching quotes removed. */
export function parseLiteral(source: string): { key: string; value: string } | undefined {
  const i = source.indexOf('=');
  if (i <= 0) return undefined;
  const key = source.slice(0, i);
  let value = source.slice(i + 1);
  if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value[value.length - 1] === value[0]) value = value.slice(1, -1);
  return { key, value };
}

/** An env file: `KEY=VALUE` lines; blank lines and `#` comments skipped. Lines without `=` are returned in `bare`. */
export function parseEnvFile(text: string): { pairs: { key: string; value: string; line: number }[]; bare: { key: string; line: number }[] } {
  const pairs: { key: string; value: string; line: number }[] = [];
  const bare: { key: string; line: number }[] = [];
  text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((raw, line) => {
      const trimmed = raw.trimStart();
      if (trimmed === '' || trimmed.startsWith('#')) return;
      const i = trimmed.indexOf('=');
      if (i < 0) bare.push({ key: trimmed.trim(), line });
      else pairs.push({ key: trimmed.slice(0, i), value: trimmed.slice(i + 1), line });
    });
  return { pairs, bare };
}
