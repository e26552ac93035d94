// Test support: builds of an EditableWorkspace (test/support/edit-workspace.ts) the language server's way (one build
// memo kept from build to build, files re-parsed only when their text changed) and from scratch, and the model as one
// string to compare them (test/unit/incremental.test.ts, test/unit/dropped-builds.test.ts).
import {
  buildModel,
  buildModelSteps,
  createBuildMemo,
  parseFile,
  parseProfile,
  PROFILE_FILE,
  runToEnd,
  type Model,
  type ParsedFile,
} from '../../server/src/model/index';
import { Workspace } from '../../server/src/workspace';
import { texts, type EditableWorkspace } from './edit-workspace';

const PROFILE_URI = `file:///ws/${PROFILE_FILE}`;

/** Everything the model answers as one string: manifests by id, maps as entry lists, lazy fields read. */
export function modelText(m: Model): string {
  const { files: _files, ...rest } = m;
  return JSON.stringify(rest, (_k, v: unknown) => {
    if (v instanceof Map) return [...v.entries()];
    if (v !== null && typeof v === 'object' && 'body' in v && 'spans' in v && 'id' in v) return `manifest ${String((v as { id: string }).id)}`;
    return v;
  });
}

/** The language server's way: files re-parsed only when their text changed (the parse cache), one memo kept. */
export class Incremental {
  /** The memo kept from build to build (tests read how a stage made its result). */
  readonly memo = createBuildMemo();
  private readonly parsed = new Map<string, { text: string; file: ParsedFile }>();

  build(ws: EditableWorkspace): Model {
    return runToEnd(this.steps(ws));
  }

  /** The build a step at a time, `unitsPerStep` units of work per step (see buildModelSteps). */
  steps(ws: EditableWorkspace, unitsPerStep?: number): Generator<void, Model, void> {
    const files: ParsedFile[] = [];
    const now = texts(ws);
    for (const [uri, text] of now) {
      const cached = this.parsed.get(uri);
      if (cached?.text === text) files.push(cached.file);
      else {
        const file = parseFile(uri, text, cached?.file);
        this.parsed.set(uri, { text, file });
        files.push(file);
      }
    }
    for (const uri of this.parsed.keys()) if (!now.has(uri)) this.parsed.delete(uri);
    const { profile, diagnostics } = parseProfile(PROFILE_URI, ws.profile);
    return buildModelSteps(files, profile, ws.profile === undefined ? [] : diagnostics, this.memo, unitsPerStep);
  }
}

/** A build from scratch: no memo, every file parsed. */
export function fresh(ws: EditableWorkspace): Model {
  const files = [...texts(ws)].map(([uri, text]) => parseFile(uri, text));
  const { profile, diagnostics } = parseProfile(PROFILE_URI, ws.profile);
  return buildModel(files, profile, ws.profile === undefined ? [] : diagnostics);
}

/** A language-server Workspace holding `texts` (by URI) as disk files, analysed. */
export function analysedWorkspace(texts: Map<string, string>): Workspace {
  const ws = new Workspace();
  for (const [uri, text] of texts) ws.setDisk(uri, text);
  ws.analyze();
  return ws;
}
