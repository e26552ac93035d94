// Test support: a server Workspace analysed from inline files, for the LSP features' unit tests (they are pure
// functions of a snapshot and the request's parameters).
import { Workspace, type Snapshot } from '../../server/src/workspace';

/** `files`: URI path under file:///w/ → text. */
export function snapshotOf(files: Record<string, string>): Snapshot {
  const ws = new Workspace();
  for (const [path, text] of Object.entries(files)) ws.setDisk(`file:///w/${path}`, text);
  return ws.analyze();
}

export const uriOf = (path: string): string => `file:///w/${path}`;
