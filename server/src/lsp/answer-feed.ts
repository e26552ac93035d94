// Server layer (LSP), analysis thread: the hovers the front thread may give while an analysis runs (issue 13:
// requests never wait on analysis). Each answer is what hover() says on the last complete snapshot, for a span of
// its text where every offset gives that answer; the hovers asked most recently are answered again on each new
// snapshot, a few at a time between other work. Must not import vscode.
import type { Snapshot } from '../workspace';
import { canonicalUri } from '../workspace';
import { hover } from '../features/hover';
import { locate, type Located } from '../features/locate';
import { toPosition } from '../features/convert';
import { textDelta, toNewOffset, type TextDelta } from './text-delta';
import type { Answer, AnsweredFile, AnswersMessage } from './answer-messages';

/** Hovers answered again on each snapshot: what a user has looked at lately, not the workspace. */
export const RECENT_HOVERS = 64;
/**
 * Longest key or value whose offsets are each checked to give the same answer (a name, a port, a label); a longer
 * one (a block of text) is answered for the one offset asked.
 */
const MAX_CHECKED_SPAN = 256;
/** Work between two turns of the event loop while answers are re-made (the analysis's own slice, see TIME_SLICE_MS). */
const SLICE_MS = 1;

const sameLocation = (a: Located, b: Located | undefined): boolean =>
  b !== undefined &&
  a.resource === b.resource &&
  a.onKey === b.onKey &&
  a.span.start === b.span.start &&
  a.span.end === b.span.end &&
  a.path.length === b.path.length &&
  a.path.every((k, i) => k === b.path[i]);

/**
 * The span of the snapshot's text around `offset` over which hover() gives one answer, and that answer; undefined
 * where the answer does not come from one key or value of an object (a kustomize patch file, between objects).
 * hover() depends on the offset only through what locate() finds there, so offsets where locate() finds the same
 * key or value give the same answer; each is checked rather than assumed (YAML merge keys can share spans).
 */
export function answerAt(snap: Snapshot, uri: string, offset: number): Answer | undefined {
  const key = canonicalUri(uri);
  const loc = locate(snap, key, offset);
  if (!loc) return undefined;
  const leaf = loc.onKey || loc.value === null || typeof loc.value !== 'object';
  let { start, end } = loc.span;
  if (!leaf || end - start > MAX_CHECKED_SPAN) start = end = offset;
  else {
    for (let o = start; o <= end; o++) {
      if (o !== offset && !sameLocation(loc, locate(snap, key, o))) {
        start = end = offset;
        break;
      }
    }
  }
  return { uri: key, start, end, hover: hover(snap, { textDocument: { uri: key }, position: toPosition(snap, key, offset) }) };
}

function fileOf(snap: Snapshot, uri: string, text: string): AnsweredFile {
  const objects = (snap.files.get(uri)?.resources ?? []).filter((r) => r.file === uri).map((r): [number, number] => [r.span.start, r.span.end]);
  return { uri, text, objects };
}

interface Asked {
  uri: string;
  /** An offset in the text of the feed's snapshot. */
  offset: number;
}

/**
 * What the front thread is told. `send` posts a message to it; `enabled` is the hover setting (answers of a
 * disabled hover are never sent: the front asks, and is told null).
 */
export class AnswerFeed {
  private generation = 0;
  private snap: Snapshot | undefined;
  /** Most recent first, offsets in the text of `snap`. */
  private recent: Asked[] = [];
  /** Files whose text this generation's messages carried. */
  private sentFiles = new Set<string>();

  constructor(
    private readonly send: (m: AnswersMessage) => void,
    private readonly enabled: () => boolean,
    private readonly capacity = RECENT_HOVERS,
  ) {}

  /**
   * A new snapshot, or new settings on the same one: every answer sent so far is stale. The recent questions move
   * to the new text of their file (a question inside what an edit changed is dropped).
   */
  renew(snap: Snapshot): void {
    const before = this.snap;
    this.generation++;
    this.sentFiles = new Set();
    if (before && before !== snap) this.recent = moved(this.recent, before, snap);
    this.snap = snap;
    this.send({ generation: this.generation, files: [], answers: [] });
  }

  /**
   * A hover was answered at `offset` of `snap`'s text. Only noted: the front gets its answer when the next snapshot
   * renews the feed (refresh), not now, so that a run of hovers on an idle server (each answered at once there)
   * does not wait behind the work of making answers for the front.
   */
  asked(snap: Snapshot, uri: string, offset: number): void {
    if (snap !== this.snap || !this.enabled()) return;
    const key = canonicalUri(uri);
    this.recent = [{ uri: key, offset }, ...this.recent.filter((a) => a.uri !== key || a.offset !== offset)].slice(0, this.capacity);
  }

  /**
   * Answers the recent questions again on the feed's snapshot, most recent first, `SLICE_MS` of work at a time,
   * until `stop()` says an analysis is due or under way (its snapshot will renew the feed).
   */
  refresh(stop: () => boolean, later: (run: () => void) => void, now: () => number): void {
    const snap = this.snap;
    const generation = this.generation;
    if (!snap || !this.enabled()) return;
    const queue = [...this.recent];
    /** Answers made in this pass: a question inside one of them (hovering along a name) is the same question. */
    const made: Answer[] = [];
    const work = (): void => {
      if (this.generation !== generation || stop()) return;
      const t0 = now();
      const answers: Answer[] = [];
      while (queue.length > 0 && now() - t0 < SLICE_MS) {
        const q = queue.shift()!;
        if (made.some((a) => a.uri === q.uri && a.start <= q.offset && q.offset <= a.end)) {
          this.recent = this.recent.filter((r) => r !== q);
          continue;
        }
        const a = answerAt(snap, q.uri, q.offset);
        if (!a) continue;
        made.push(a);
        answers.push(a);
      }
      if (answers.length > 0) this.post(snap, answers);
      if (queue.length > 0) later(work);
    };
    later(work);
  }

  /** Sends answers, with the text of each file this generation has not sent yet (the front maps positions in it). */
  private post(snap: Snapshot, answers: Answer[]): void {
    const files: AnsweredFile[] = [];
    const usable: Answer[] = [];
    for (const a of answers) {
      const text = snap.texts.get(a.uri);
      if (text === undefined) continue;
      usable.push(a);
      if (this.sentFiles.has(a.uri)) continue;
      this.sentFiles.add(a.uri);
      files.push(fileOf(snap, a.uri, text));
    }
    if (usable.length > 0) this.send({ generation: this.generation, files, answers: usable });
  }
}

/** The questions at their offsets in `after`'s texts; those in (or at the edge of) a changed region are dropped. */
function moved(recent: Asked[], before: Snapshot, after: Snapshot): Asked[] {
  const out: Asked[] = [];
  const deltas = new Map<string, TextDelta>();
  for (const q of recent) {
    const oldText = before.texts.get(q.uri);
    const newText = after.texts.get(q.uri);
    if (oldText === undefined || newText === undefined) continue;
    if (oldText !== newText && !deltas.has(q.uri)) deltas.set(q.uri, textDelta(oldText, newText));
    const delta = deltas.get(q.uri);
    const offset = delta ? toNewOffset(delta, q.offset) : q.offset;
    if (offset !== undefined) out.push({ uri: q.uri, offset });
  }
  return out;
}
