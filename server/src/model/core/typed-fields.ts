// Model layer (pure): typed reads of manifest fields, reporting wrong types where they are written (IN-3).
// Must not import vscode, LSP, node:* or fs.
import { isPortName } from './names';
import type { Json, JsonMap, ModelDiagnostic, Resource, Severity, Span } from '../types';

export function isMap(v: Json | undefined): v is JsonMap {
  return v !== null && v !== undefined && typeof v === 'object' && !Array.isArray(v);
}

/** Where a field's value is written, else its container, else the whole resource. */
export function valueSpan(res: Resource, obj: JsonMap | Json[], key: string | number): Span {
  return res.spans.entry(obj, key)?.value ?? res.spans.whole(obj) ?? res.span;
}

/** Where a field's key is written (falls back to the value, then the container). */
export function keySpan(res: Resource, obj: JsonMap | Json[], key: string | number): Span {
  const e = res.spans.entry(obj, key);
  return e?.key ?? e?.value ?? res.spans.whole(obj) ?? res.span;
}

/** The span of `metadata.name`, where most diagnostics about a whole object belong. */
export function nameSpan(res: Resource): Span {
  const md = res.body.metadata;
  return isMap(md) ? valueSpan(res, md, 'name') : res.span;
}

/**
 * Reads fields of one resource with their Kubernetes types. A value of the wrong type is a
 * diagnostic on that value and reads as absent (IN-3), so every stage can trust what it gets.
 * Each field should be read with a Fields by exactly one stage, so it is reported once.
 */
export class Fields {
  constructor(
    readonly res: Resource,
    private readonly out: ModelDiagnostic[],
  ) {}

  report(code: string, severity: Severity, message: string, span: Span, rule?: string, fixes?: ModelDiagnostic['fixes']): void {
    const d: ModelDiagnostic = { code, severity, message, file: this.res.file, span, subject: this.res.id };
    if (rule) d.rule = rule;
    if (fixes) d.fixes = fixes;
    this.out.push(d);
  }

  private wrongType(obj: JsonMap, key: string, expected: string): undefined {
    const v = obj[key];
    const shown = typeof v === 'string' ? `"${v}"` : Array.isArray(v) ? 'a list' : isMap(v) ? 'a map' : String(v);
    this.report(
      'invalid-field',
      'error',
      `\`${key}\` must be ${expected}, not ${shown}; the API server rejects this value, so it is treated as absent.`,
      valueSpan(this.res, obj, key),
      'IN-3',
    );
    return undefined;
  }

  map(obj: JsonMap | undefined, key: string): JsonMap | undefined {
    const v = obj?.[key];
    if (obj === undefined || v === undefined || v === null) return undefined;
    return isMap(v) ? v : this.wrongType(obj, key, 'a map');
  }

  list(obj: JsonMap | undefined, key: string): Json[] | undefined {
    const v = obj?.[key];
    if (obj === undefined || v === undefined || v === null) return undefined;
    return Array.isArray(v) ? v : this.wrongType(obj, key, 'a list');
  }

  /** A list whose items must be maps; other items are reported and skipped. */
  maps(obj: JsonMap | undefined, key: string): JsonMap[] {
    const list = this.list(obj, key);
    if (!list) return [];
    const out: JsonMap[] = [];
    list.forEach((item, i) => {
      if (isMap(item)) out.push(item);
      else this.report('invalid-field', 'error', `\`${key}[${i}]\` must be a map; it is ignored.`, valueSpan(this.res, list, i), 'IN-3');
    });
    return out;
  }

  str(obj: JsonMap | undefined, key: string): string | undefined {
    const v = obj?.[key];
    if (obj === undefined || v === undefined || v === null) return undefined;
    return typeof v === 'string' ? v : this.wrongType(obj, key, 'a string');
  }

  /** A list of strings; non-string items are reported and skipped. */
  strings(obj: JsonMap | undefined, key: string): string[] | undefined {
    const list = this.list(obj, key);
    if (!list) return undefined;
    const out: string[] = [];
    list.forEach((item, i) => {
      if (typeof item === 'string') out.push(item);
      else this.report('invalid-field', 'error', `\`${key}[${i}]\` must be a string; it is ignored.`, valueSpan(this.res, list, i), 'IN-3');
    });
    return out;
  }

  int(obj: JsonMap | undefined, key: string, range?: { min: number; max: number }): number | undefined {
    const v = obj?.[key];
    if (obj === undefined || v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v)) return this.wrongType(obj, key, 'an integer');
    if (range && (v < range.min || v > range.max)) {
      this.report(
        'invalid-field',
        'error',
        `\`${key}: ${v}\` must be between ${range.min} and ${range.max}; the API server rejects it.`,
        valueSpan(this.res, obj, key),
        'IN-3',
      );
      return undefined;
    }
    return v;
  }

  /** A port number or an IANA port name (targetPort, NetworkPolicy port). */
  intOrString(obj: JsonMap | undefined, key: string): number | string | undefined {
    const v = obj?.[key];
    if (obj === undefined || v === undefined || v === null) return undefined;
    if (typeof v === 'number' && Number.isInteger(v)) {
      if (v < 1 || v > 65535) {
        this.report('invalid-field', 'error', `\`${key}: ${v}\` must be a port between 1 and 65535.`, valueSpan(this.res, obj, key), 'IN-3');
        return undefined;
      }
      return v;
    }
    if (typeof v === 'string') {
      if (/^[0-9]+$/.test(v)) return Number(v); // "8080" is accepted as a number by the API's IntOrString.
      if (isPortName(v)) return v;
      this.report(
        'invalid-field',
        'error',
        `\`${key}: "${v}"\` is neither a port number nor a valid port name (lowercase, ≤15 characters, letters, digits and '-').`,
        valueSpan(this.res, obj, key),
        'IN-3',
      );
      return undefined;
    }
    return this.wrongType(obj, key, 'a port number or name');
  }

  bool(obj: JsonMap | undefined, key: string): boolean | undefined {
    const v = obj?.[key];
    if (obj === undefined || v === undefined || v === null) return undefined;
    return typeof v === 'boolean' ? v : this.wrongType(obj, key, 'true or false');
  }

  /** A map of string to string (labels, selectors, annotations); other values are reported and skipped. */
  stringMap(obj: JsonMap | undefined, key: string): Record<string, string> | undefined {
    const m = this.map(obj, key);
    if (!m) return undefined;
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(m)) {
      if (typeof v === 'string') out[k] = v;
      else if (v === null) out[k] = '';
      else
        this.report(
          'invalid-field',
          'error',
          `\`${k}\` must be a string (quote it: "${String(v)}"); the API server rejects this object.`,
          valueSpan(this.res, m, k),
          'IN-3',
        );
    }
    return out;
  }

  /**
   * SVC-2 "defaults before validation": a string field the API server defaults when it is empty
   * (Service `type`, port `protocol`, `sessionAffinity`…) reads `""` as absent, so the default applies.
   */
  defaulted<T extends string>(obj: JsonMap | undefined, key: string, allowed: readonly T[]): T | undefined {
    return obj?.[key] === '' ? undefined : this.oneOf(obj, key, allowed);
  }

  /** One of a set of values; anything else is reported and reads as absent. */
  oneOf<T extends string>(obj: JsonMap | undefined, key: string, allowed: readonly T[]): T | undefined {
    const v = this.str(obj, key);
    if (v === undefined) return undefined;
    if ((allowed as readonly string[]).includes(v)) return v as T;
    this.report(
      'invalid-field',
      'error',
      `\`${key}: ${v}\` is not one of ${allowed.join(', ')}; the API server rejects it.`,
      valueSpan(this.res, obj!, key),
      'IN-3',
    );
    return undefined;
  }
}

export function metadata(res: Resource): JsonMap {
  const md = res.body.metadata;
  return isMap(md) ? md : {};
}

/** Labels of a resource, silently ignoring wrong values (reported once by the stage that owns the resource). */
export function labelsOf(obj: Json | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isMap(obj)) return out;
  for (const [k, v] of Object.entries(obj)) if (typeof v === 'string') out[k] = v;
  return out;
}
