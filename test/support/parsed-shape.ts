// Test support: a ParsedFile as plain data, spans included (read through the public SpanIndex), so that two
// parses of the same text can be compared with deepEqual. Used by test/unit/fastyaml.test.ts and
// bench/fastyaml-check.ts. Must not import vscode or LSP.
import { readYamlDocuments, type Json, type ModelDiagnostic, type ParsedFile, type SpanIndex } from '../../server/src/model/index';

export function shape(spans: SpanIndex, v: Json, depth: number): unknown {
  if (v === null || typeof v !== 'object' || depth > 300) return v;
  const whole = spans.whole(v);
  if (Array.isArray(v)) return { whole, items: v.map((x, i) => ({ span: spans.entry(v, i), v: shape(spans, x, depth + 1) })) };
  return { whole, entries: Object.keys(v).map((k) => ({ k, span: spans.entry(v, k), v: shape(spans, v[k]!, depth + 1) })) };
}

export function parsedShape(p: ParsedFile): unknown {
  return {
    resources: p.resources.map((r) => ({
      id: r.id,
      kind: r.kind,
      apiVersion: r.apiVersion,
      name: r.name,
      namespace: r.namespace,
      file: r.file,
      docIndex: r.docIndex,
      span: r.span,
      body: shape(r.spans, r.body, 0),
    })),
    diagnostics: p.diagnostics,
    template: p.template,
    lineStarts: p.lineStarts,
    chunks: p.chunks?.map((c) => ({ docs: c.docs, generated: c.generated, resources: c.resources.length })),
  };
}

/** One piece's YAML documents (resources or not) as plain data, read the fast way or by the library. */
export function documentsShape(text: string, fast: boolean): unknown {
  const diagnostics: ModelDiagnostic[] = [];
  const { docs, read, spans } = readYamlDocuments('piece.yaml', text, diagnostics, fast);
  return { docs, diagnostics, read: read.map((d) => ({ index: d.index, span: d.span, value: shape(spans, d.value, 0) })) };
}
