// Server layer (LSP): answering a request on an open document from the last complete snapshot, when that is
// true (issue 13). Right behind an edit the snapshot was built from the document's previous text; an object
// the edit did not touch is still where it was (shifted by the edit's length) and the snapshot's answer about
// it is the last complete analysis's, as for every other file while the analysis runs. An object the edit
// touched has no true answer yet: the request waits for the analysis (never here). Must not import vscode.
import type { Position, Range } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { canonicalUri, type Snapshot } from '../workspace';
import { toOffset, toPosition } from '../features/convert';
import { textDelta, toNewOffset, toOldOffset, untouched, type TextDelta } from './text-delta';

/** A request's position in the snapshot's text, and the way back for the ranges of its answer. */
export interface SnapshotView {
  snap: Snapshot;
  position: Position;
  /** A range of the snapshot's text in the document's current text; undefined if the edit touched it. */
  toCurrent(range: Range): Range | undefined;
}

const same = (snap: Snapshot, position: Position): SnapshotView => ({ snap, position, toCurrent: (r) => r });

/**
 * The last delta computed per snapshot: a burst of hovers after one edit diffs the texts once. Weak: holding
 * a snapshot here would keep its whole model alive after the next one replaced it.
 */
const lastDelta = new WeakMap<Snapshot, { uri: string; version: number; delta: TextDelta }>();

function deltaOf(snap: Snapshot, uri: string, doc: TextDocument, oldText: string): TextDelta {
  const c = lastDelta.get(snap);
  if (c && c.uri === uri && c.version === doc.version) return c.delta;
  const delta = textDelta(oldText, doc.getText());
  lastDelta.set(snap, { uri, version: doc.version, delta });
  return delta;
}

/**
 * The snapshot's view of `position` in the open document `doc` (undefined: not open), or undefined when the
 * snapshot cannot answer truly: the document changed inside (or right at the edges of) the object under the
 * position, or the position is on no object of the snapshot.
 */
export function viewAt(snap: Snapshot, uri: string, doc: TextDocument | undefined, position: Position): SnapshotView | undefined {
  const key = canonicalUri(uri);
  const oldText = snap.texts.get(key);
  if (!doc || oldText === doc.getText()) return same(snap, position);
  if (oldText === undefined) return undefined;
  const delta = deltaOf(snap, key, doc, oldText);
  const offset = toOldOffset(delta, doc.offsetAt(position));
  if (offset === undefined) return undefined;
  const object = snap.files.get(key)?.resources.find((r) => r.file === key && r.span.start <= offset && offset <= r.span.end);
  if (!object || !untouched(delta, object.span)) return undefined;
  return {
    snap,
    position: toPosition(snap, key, offset),
    toCurrent: (range) => {
      const start = toNewOffset(delta, toOffset(snap, key, range.start));
      const end = toNewOffset(delta, toOffset(snap, key, range.end));
      return start === undefined || end === undefined ? undefined : { start: doc.positionAt(start), end: doc.positionAt(end) };
    },
  };
}
