// Test support: build a model from inline manifests, the way the CLI and the server do.
import { buildModel, parseFile, parseProfile, type Model, type ParsedFile } from '../../server/src/model/index';

/** `files`: path -> YAML text. A `netpath.cluster.yaml` entry is used as the profile (CL-1). */
export function modelOf(files: Record<string, string>): Model {
  const parsed: ParsedFile[] = [];
  let profileText: string | undefined;
  for (const [path, text] of Object.entries(files)) {
    if (path.endsWith('netpath.cluster.yaml')) profileText = text;
    else parsed.push(parseFile(path, text));
  }
  const { profile, diagnostics } = parseProfile('netpath.cluster.yaml', profileText);
  return buildModel(parsed, profile, diagnostics);
}

/** Codes of the model's diagnostics, for compact assertions. */
export function codes(model: Model): string[] {
  return model.diagnostics.map((d) => d.code);
}
