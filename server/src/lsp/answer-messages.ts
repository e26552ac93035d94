// Server layer (LSP): what the analysis thread tells the front thread so that the front can answer hovers while an
// analysis runs (issue 13: requests never wait on analysis). Types only, shared by answer-feed.ts (analysis thread)
// and answer-store.ts (front thread). Must not import vscode.
import type { Hover } from 'vscode-languageserver';

/** The notification's method: internal between the two threads, never sent to the client. */
export const ANSWERS_METHOD = '$/netpath/answers';

/** A file of the snapshot the answers come from, sent with the first answer about it in a generation. */
export interface AnsweredFile {
  /** Canonical URI. */
  uri: string;
  /** The text the snapshot was built from. */
  text: string;
  /**
   * Spans of the file's own objects, in the file's order: an answer about an object the editor's text changed
   * inside is no longer true (snapshot-view.ts makes the same test).
   */
  objects: [start: number, end: number][];
}

/** A hover the snapshot gives at every offset of [start, end] of the file's snapshot text. */
export interface Answer {
  uri: string;
  start: number;
  end: number;
  hover: Hover | null;
}

/**
 * One message. A new `generation` (a new snapshot, new settings) makes every earlier answer stale: the front drops
 * them before it takes these.
 */
export interface AnswersMessage {
  generation: number;
  files: AnsweredFile[];
  answers: Answer[];
}
