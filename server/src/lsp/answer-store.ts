// Server layer (LSP), front thread: hovers answered without the analysis thread, from the answers it sent about
// its last complete snapshot (answer-feed.ts; issue 13: requests never wait on analysis). Gives exactly what the
// analysis thread's hover would (server.ts, hoverNow: snapshot-view.ts's rules for a document edited since), or
// undefined where it cannot tell: the request then goes to the analysis thread. Must not import vscode.
import type { Hover, Position } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { computeLineStarts, positionToOffset } from '../model/index';
import { canonicalUri } from '../workspace';
import { textDelta, toNewOffset, toOldOffset, untouched, type TextDelta } from './text-delta';
import type { Answer, AnswersMessage } from './answer-messages';

interface FileAnswers {
  text: string;
  lineStarts: number[] | undefined;
  objects: [number, number][];
  answers: Answer[];
}

export class AnswerStore {
  private generation = Number.NEGATIVE_INFINITY;
  private readonly files = new Map<string, FileAnswers>();
  /** The last delta between a file's snapshot text and its open document's text (a burst of hovers diffs once). */
  private lastDelta: { uri: string; version: number; delta: TextDelta } | undefined;

  /** Takes a message of the analysis thread; a new generation drops every earlier answer. */
  take(m: AnswersMessage): void {
    if (m.generation < this.generation) return;
    if (m.generation > this.generation) {
      this.generation = m.generation;
      this.files.clear();
      this.lastDelta = undefined;
    }
    for (const f of m.files) this.files.set(f.uri, { text: f.text, lineStarts: undefined, objects: f.objects, answers: [] });
    for (const a of m.answers) {
      const file = this.files.get(a.uri);
      if (!file) continue;
      file.answers = [a, ...file.answers.filter((b) => b.end < a.start || b.start > a.end)];
    }
  }

  /**
   * The hover at `position` of `uri` (`doc`: the editor's open document, as the analysis thread has it), or
   * undefined when no answer sent covers it.
   */
  hover(uri: string, position: Position, doc: TextDocument | undefined): Hover | null | undefined {
    const key = canonicalUri(uri);
    const file = this.files.get(key);
    if (!file) return undefined;
    const starts = (file.lineStarts ??= computeLineStarts(file.text));
    if (!doc || doc.getText() === file.text) {
      const answer = covering(file, positionToOffset(starts, position));
      return answer === undefined ? undefined : answer.hover;
    }
    // The document changed since the snapshot: only an object the change did not touch is answered (snapshot-view.ts).
    const delta = this.deltaOf(key, doc, file.text);
    const offset = toOldOffset(delta, doc.offsetAt(position));
    if (offset === undefined) return undefined;
    const object = file.objects.find(([start, end]) => start <= offset && offset <= end);
    if (!object || !untouched(delta, { start: object[0], end: object[1] })) return undefined;
    const answer = covering(file, offset);
    if (answer === undefined) return undefined;
    const h = answer.hover;
    if (!h?.range) return h;
    const start = toNewOffset(delta, positionToOffset(starts, h.range.start));
    const end = toNewOffset(delta, positionToOffset(starts, h.range.end));
    return start === undefined || end === undefined ? { contents: h.contents } : { ...h, range: { start: doc.positionAt(start), end: doc.positionAt(end) } };
  }

  private deltaOf(uri: string, doc: TextDocument, oldText: string): TextDelta {
    const c = this.lastDelta;
    if (c && c.uri === uri && c.version === doc.version) return c.delta;
    const delta = textDelta(oldText, doc.getText());
    this.lastDelta = { uri, version: doc.version, delta };
    return delta;
  }
}

function covering(file: FileAnswers, offset: number): Answer | undefined {
  return file.answers.find((a) => a.start <= offset && offset <= a.end);
}
