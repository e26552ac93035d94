// Server layer: the one place where model offsets become LSP positions and back. May import the model and LSP types;
// must not import vscode or the client. The model works in UTF-16 offsets; LSP in zero-based line/character.
import type { Position, Range } from 'vscode-languageserver';
import { computeLineStarts, offsetToPosition, positionToOffset, type Span } from '../model/index';
import type { Snapshot } from '../workspace';
import { canonicalUri } from '../workspace';

const lineStartCache = new WeakMap<Snapshot, Map<string, number[]>>();

/** Line starts of a file in this snapshot (the text the model saw, not the editor's newer text). */
export function lineStarts(snap: Snapshot, uri: string): number[] {
  const key = canonicalUri(uri);
  const parsed = snap.files.get(key);
  if (parsed) return parsed.lineStarts;
  // The profile file and unknown files: computed once per snapshot.
  let perSnap = lineStartCache.get(snap);
  if (!perSnap) lineStartCache.set(snap, (perSnap = new Map()));
  let starts = perSnap.get(key);
  if (!starts) perSnap.set(key, (starts = computeLineStarts(snap.texts.get(key) ?? '')));
  return starts;
}

export function toPosition(snap: Snapshot, uri: string, offset: number): Position {
  return offsetToPosition(lineStarts(snap, uri), offset);
}

export function toRange(snap: Snapshot, uri: string, span: Span): Range {
  const starts = lineStarts(snap, uri);
  return { start: offsetToPosition(starts, span.start), end: offsetToPosition(starts, span.end) };
}

export function toOffset(snap: Snapshot, uri: string, pos: Position): number {
  return positionToOffset(lineStarts(snap, uri), pos);
}

export function contains(span: Span, offset: number): boolean {
  return offset >= span.start && offset <= span.end;
}
