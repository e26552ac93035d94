// Server layer (LSP): where an open document's text differs from the text a snapshot was built from, as one
// changed region, so that a request right behind an edit can be answered from the last snapshot for the parts
// the edit did not touch (issue 13). Pure: no LSP, no I/O.

/** The texts agree before `start` and from `oldEnd` (old text) / `newEnd` (new text) to their ends. */
export interface TextDelta {
  start: number;
  oldEnd: number;
  newEnd: number;
}

/** The one region that differs (the longest common prefix and suffix around it). */
export function textDelta(oldText: string, newText: string): TextDelta {
  const max = Math.min(oldText.length, newText.length);
  let start = 0;
  while (start < max && oldText.charCodeAt(start) === newText.charCodeAt(start)) start++;
  let oldEnd = oldText.length;
  let newEnd = newText.length;
  while (oldEnd > start && newEnd > start && oldText.charCodeAt(oldEnd - 1) === newText.charCodeAt(newEnd - 1)) {
    oldEnd--;
    newEnd--;
  }
  return { start, oldEnd, newEnd };
}

/** The old text's offset of a new text's offset; undefined inside (or at the edge of) the changed region. */
export function toOldOffset(d: TextDelta, offset: number): number | undefined {
  if (offset < d.start) return offset;
  if (offset > d.newEnd) return offset - (d.newEnd - d.oldEnd);
  return undefined;
}

/** The new text's offset of an old text's offset; undefined inside (or at the edge of) the changed region. */
export function toNewOffset(d: TextDelta, offset: number): number | undefined {
  if (offset < d.start) return offset;
  if (offset > d.oldEnd) return offset + (d.newEnd - d.oldEnd);
  return undefined;
}

/** Whether the old text's span [start, end] is untouched by the change (it ends before it or starts after it). */
export function untouched(d: TextDelta, span: { start: number; end: number }): boolean {
  return span.end < d.start || span.start > d.oldEnd;
}
