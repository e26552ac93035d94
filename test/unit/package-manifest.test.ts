// Unit tests (extension manifest): what the Settings editor and the command palette show from package.json.
// An untouched setting must not show a validation error: the Settings UI checks what it displays — the default,
// or an empty field for a string without one — against the setting's own schema (pattern, enum, bounds).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, Schema> }; commands: { command: string }[] };
};

interface Schema {
  type?: string;
  default?: unknown;
  enum?: unknown[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
}

/** The few JSON-schema checks the Settings editor applies to a displayed value; the failures, as text. */
function problems(name: string, s: Schema, value: unknown): string[] {
  const out: string[] = [];
  if (s.enum && !s.enum.includes(value)) out.push(`${name}: ${JSON.stringify(value)} is not one of its enum`);
  if (s.pattern && typeof value === 'string' && !new RegExp(s.pattern).test(value)) out.push(`${name}: ${JSON.stringify(value)} fails ${s.pattern}`);
  if (typeof value === 'number' && ((s.minimum !== undefined && value < s.minimum) || (s.maximum !== undefined && value > s.maximum)))
    out.push(`${name}: ${value} out of bounds`);
  if (s.type && value !== undefined && s.type !== (Array.isArray(value) ? 'array' : typeof value)) out.push(`${name}: default is not a ${s.type}`);
  return out;
}

test('every setting, left untouched, is valid by its own schema (no error in the Settings editor)', () => {
  const found: string[] = [];
  for (const [name, s] of Object.entries(pkg.contributes.configuration.properties)) {
    if ('default' in s) found.push(...problems(name, s, s.default));
    // A string with no default is shown as an empty field; an enum with none as a plain dropdown.
    else if (s.type === 'string' && !s.enum) found.push(...problems(name, s, ''));
  }
  assert.deepEqual(found, []);
});

test('a written nodePortRange is still checked: MIN-MAX passes, anything else is flagged (SVC-3)', () => {
  const s = pkg.contributes.configuration.properties['netpath.cluster.nodePortRange'] as Schema;
  assert.deepEqual(problems('nodePortRange', s, '30000-32767'), []);
  assert.equal(problems('nodePortRange', s, '30000').length, 1);
  assert.equal(problems('nodePortRange', s, '30000-32767 ').length, 1);
});

test('every contributed command is registered by the extension', () => {
  const dir = join(ROOT, 'client', 'src');
  const source = readdirSync(dir)
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .join('\n');
  const constants = new Map([...source.matchAll(/export const (\w+) = '([\w.]+)'/g)].map((m) => [m[1], m[2]]));
  const shared = ['rules.ts', 'protocol.ts'].map((f) => readFileSync(join(ROOT, 'shared', f), 'utf8')).join('\n');
  for (const m of shared.matchAll(/export const (\w+) = '([\w.]+)'/g)) constants.set(m[1], m[2]);
  const registered = new Set([...source.matchAll(/registerCommand\((?:'([\w.]+)'|(\w+))/g)].map((m) => m[1] ?? constants.get(m[2] as string)));
  for (const { command } of pkg.contributes.commands) assert.ok(registered.has(command), `${command} is registered`);
});
