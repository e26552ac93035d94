// Bench layer: a tiny deterministic block-YAML writer for the workspace generator. Documents are plain objects;
// `Note` attaches a trailing comment to a scalar, `Flow` writes a short map or list on one line, as people do
// for `resources` or `accessModes`. Strings are quoted only where YAML would read them as something else.

export class Note {
  constructor(
    readonly value: Scalar,
    readonly comment: string,
  ) {}
}
export class Flow {
  constructor(readonly value: Record<string, Scalar> | Scalar[]) {}
}
export type Scalar = string | number | boolean;
export type Value = Scalar | Note | Flow | Value[] | { [key: string]: Value | undefined };

export function quote(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function scalar(v: Scalar): string {
  if (typeof v !== 'string') return String(v);
  const ambiguous =
    v === '' ||
    /^(true|false|yes|no|on|off|null|y|n|~)$/i.test(v) ||
    /^[-+.]?\d[\d_.eE+-]*$/.test(v) ||
    /^0[xo]/.test(v) ||
    /[:#{}[\],&*!|>'"%@`]/.test(v) ||
    /^[-?\s]|\s$/.test(v);
  return ambiguous ? quote(v) : v;
}

function inline(v: Scalar | Note | Flow): string {
  if (v instanceof Note) return `${scalar(v.value)}  # ${v.comment}`;
  if (v instanceof Flow) {
    return Array.isArray(v.value)
      ? `[${v.value.map(scalar).join(', ')}]`
      : `{ ${Object.entries(v.value)
          .map(([k, x]) => `${k}: ${scalar(x)}`)
          .join(', ')} }`;
  }
  return scalar(v);
}

function isInline(v: Value): v is Scalar | Note | Flow {
  return typeof v !== 'object' || v instanceof Note || v instanceof Flow;
}

/**
 * Writes `value` as block YAML. `seqIndent` chooses the list style: `true` indents `- ` under its key (most
 * hand-written manifests), `false` puts it at the key's column (kubectl and many Helm charts).
 */
export function toYaml(value: { [key: string]: Value | undefined }, seqIndent = true): string {
  const out: string[] = [];
  const map = (m: { [key: string]: Value | undefined }, ind: number, first?: string) => {
    let lead = first;
    for (const [k, v] of Object.entries(m)) {
      if (v === undefined) continue;
      const pad = lead ?? ' '.repeat(ind);
      lead = undefined;
      if (isInline(v)) out.push(`${pad}${k}: ${inline(v)}`);
      else if (Array.isArray(v) && v.length === 0) out.push(`${pad}${k}: []`);
      else if (!Array.isArray(v) && Object.keys(v).length === 0) out.push(`${pad}${k}: {}`);
      else {
        out.push(`${pad}${k}:`);
        if (Array.isArray(v)) seq(v, seqIndent ? ind + 2 : ind);
        else map(v, ind + 2);
      }
    }
  };
  const seq = (items: Value[], ind: number) => {
    for (const item of items) {
      const dash = `${' '.repeat(ind)}- `;
      if (isInline(item)) out.push(`${dash}${inline(item)}`);
      else if (Array.isArray(item)) throw new Error('nested lists are not generated');
      else if (Object.keys(item).length === 0) out.push(`${dash}{}`);
      else map(item, ind + 2, dash);
    }
  };
  map(value, 0);
  return `${out.join('\n')}\n`;
}
