// Model layer (pure): a fast reader for the YAML that Kubernetes manifests are made of. Must not import vscode,
// LSP, node:* or fs.
//
// Why: the `yaml` library builds a full document tree (tokens, CST, nodes) before parse-manifests.ts turns it into JSON;
// on a 2000-Service workspace that is ~3 s of a ~4.5 s cold index. This reader goes from text to the same JSON
// and the same spans in one pass, for the block-style subset nearly every manifest is written in. Anything
// outside that subset, or anything it is not certain about (anchors, tags, multi-line flow or quoted scalars,
// tabs, a lone \r, odd comment placement, errors of any kind), makes it give up on the piece, which the
// library then parses as before: the result is always what the library would have given. \n and \r\n line
// ends both read fast. test/unit/fastyaml.test.ts compares both readers on the examples, corner cases and
// thousands of mutations, with either line end; bench/fastyaml-check.ts does it on any folder.
//
// Offsets follow the library's node ranges exactly, including where it attaches comment lines (to the scalar
// before them when indented deeper than its collection, to the collection they are level with when it ends
// there), because spans are what diagnostics and hovers point at.
import type { Json, JsonMap } from '../types';

/** Records a container's spans: keys (null for sequences) and per entry keyStart, keyEnd, valueStart, valueEnd. */
export type AttachSpans = (container: JsonMap | Json[], start: number, end: number, keys: string[] | null, offsets: number[]) => void;

export interface FastDocument {
  value: Json;
  /** The document's range as the library reports it: content start (or the `---`) to the end of the piece. */
  start: number;
  end: number;
}

/** Thrown to abandon the fast path; caught once per piece. */
class GiveUp {}
const GIVE_UP = new GiveUp();
const giveUp = (): never => {
  throw GIVE_UP;
};

const MAX_DEPTH = 200;
const NL = 10;
const CR = 13;
/** A line ends here: `\n`, or the `\r` of a `\r\n` (a `\r` alone makes the reader give up on the piece). */
const brk = (c: number): boolean => c === NL || c === CR;
const SPACE = 32;
const HASH = 35;

/** A parsed value: its JSON, its range [start, end) and where its trailing part (comments, newline) ends. */
interface Node {
  value: Json;
  start: number;
  end: number;
  /** The library's range[2]: where the next sibling's offset starts counting. */
  after: number;
  /** Whether it is a scalar on one line (comments indented deeper than its collection attach to it). */
  inline: boolean;
  /** An empty value (`key:`): the piece must not end right after one (the library drops the final newline then). */
  empty: boolean;
}

/** Reads one `---`-separated piece; undefined when the library must do it. */
export function fastParseDocument(text: string, attach: AttachSpans): FastDocument | undefined {
  // Characters whose rules this reader does not implement, anywhere in the piece.
  if (text.includes('\t') || text.includes('\uFEFF') || /\r(?!\n)/.test(text) || /^(%|\.\.\.)/m.test(text)) return undefined;
  try {
    return new Reader(text, attach).document();
  } catch (e) {
    if (e === GIVE_UP || e instanceof RangeError) return undefined;
    throw e;
  }
}

class Reader {
  private readonly n: number;
  /** Whether the value read last was empty (`key:`): the document's range then ends before the final newline. */
  private lastEmpty = false;

  constructor(
    private readonly t: string,
    private readonly attach: AttachSpans,
  ) {
    this.n = t.length;
  }

  document(): FastDocument {
    const t = this.t;
    let p = 0;
    let start = -1;
    if (t.startsWith('---')) {
      start = 0;
      p = this.restOfLine(3, true);
    }
    p = this.skipBlankAndComments(p);
    if (p >= this.n) giveUp(); // no content: the library decides what an empty document is
    const col = this.indent(p);
    if (start < 0) start = p;
    const root = this.blockNode(p, col, -1, false, 0);
    // Whatever follows the root must be blank or comment lines at the left margin.
    let q = root.next;
    while (q < this.n) {
      const i = this.indent(q);
      const c = this.t.charCodeAt(q + i);
      if (!(q + i >= this.n || brk(c) || (c === HASH && i === 0))) giveUp();
      q = this.lineAfter(q);
    }
    if (this.lastEmpty) giveUp();
    return { value: root.node.value, start, end: this.n };
  }

  /** A block map or sequence whose first line starts at `ls` with its content at column `col`. */
  private blockNode(ls: number, col: number, parentCol: number, sameIndentSeq: boolean, depth: number): { node: Node; next: number } {
    if (depth > MAX_DEPTH || (col <= parentCol && !sameIndentSeq)) giveUp();
    const c = ls + col;
    if (this.isSeqItem(c)) return this.blockSeq(ls, col, depth, false);
    if (this.keyAt(c)) return this.blockMap(c, col, depth);
    return giveUp();
  }

  private isSeqItem(c: number): boolean {
    if (this.t.charCodeAt(c) !== 45 /* - */) return false;
    const d = this.t.charCodeAt(c + 1);
    return c + 1 >= this.n || d === SPACE || brk(d);
  }

  /**
   * Entries at column `col`; `first` is where the first key starts (a line's content, or after `- `).
   * Returns the map and the start of the first line it did not consume.
   */
  private blockMap(first: number, col: number, depth: number): { node: Node; next: number } {
    const obj: JsonMap = {};
    const keys: string[] = [];
    const offsets: number[] = [];
    let k = first;
    let offset = first;
    let commentEnd = -1;
    let next: number;
    for (;;) {
      const key = this.keyAt(k) ?? giveUp();
      const v = this.value(key.colon + 1, col, true, depth);
      obj[key.text] = v.node.value;
      keys.push(key.text);
      offsets.push(key.start, key.end, v.node.start, v.node.end);
      offset = v.node.after;
      const level = this.afterEntry(v.next, col, v.node);
      offset = Math.max(offset, level.scalarAfter);
      next = level.next;
      if (level.sibling < 0) {
        commentEnd = level.commentEnd;
        break;
      }
      k = level.sibling; // checked to be a key by the next turn
    }
    this.attach(obj, first, offset, keys.slice(), offsets.slice());
    return { node: { value: obj, start: first, end: offset, after: commentEnd >= 0 ? commentEnd : offset, inline: false, empty: false }, next };
  }

  /** Items `- ` at column `col`, the first on the line starting at `ls`. */
  private blockSeq(ls: number, col: number, depth: number, sameIndent: boolean): { node: Node; next: number } {
    const arr: Json[] = [];
    const offsets: number[] = [];
    const first = ls + col;
    let dash = first;
    let offset = first;
    let commentEnd = -1;
    let next: number;
    for (;;) {
      let r = dash + 1;
      while (this.t.charCodeAt(r) === SPACE) r++;
      const ch = this.t.charCodeAt(r);
      if (r >= this.n || brk(ch) || ch === HASH) giveUp(); // item on the next lines: not in the subset
      if (this.isSeqItem(r)) giveUp(); // `- - x`
      let item: { node: Node; next: number };
      const lineStart = dash - col;
      if (this.keyAt(r)) item = this.blockMap(r, r - lineStart, depth + 1);
      else item = this.value(r, col, false, depth, true);
      arr.push(item.node.value);
      offsets.push(0, 0, item.node.start, item.node.end);
      offset = item.node.after;
      const level = this.afterEntry(item.next, col, item.node);
      offset = Math.max(offset, level.scalarAfter);
      next = level.next;
      if (level.sibling < 0) {
        // Comments level with a sequence that is level with its map's keys: whose are they? Not learnt.
        if (sameIndent && level.levelComments) giveUp();
        commentEnd = level.commentEnd;
        break;
      }
      dash = level.sibling;
      if (!this.isSeqItem(dash)) {
        // `key:` / `- item` / `next: …`: the map's next key ends a sequence level with it.
        if (!sameIndent) giveUp();
        break;
      }
    }
    this.attach(arr, first, offset, null, offsets.slice());
    return { node: { value: arr, start: first, end: offset, after: commentEnd >= 0 ? commentEnd : offset, inline: false, empty: false }, next };
  }

  /**
   * After one entry of a collection at `col`, from line start `p`: blank lines, comment lines, then the
   * next entry (`sibling`, where its content starts) or the end of the collection (`sibling` -1).
   * Comments indented deeper than `col` after a one-line scalar extend that scalar (`scalarAfter`);
   * comments level with `col` that end the collection are its `commentEnd`.
   */
  private afterEntry(p: number, col: number, node: Node): { sibling: number; next: number; commentEnd: number; scalarAfter: number; levelComments: boolean } {
    let scalarAfter = -1;
    let q = p;
    let blankSeen = false;
    let levelComments = -1; // where the last comment line level with col ends
    let stopIndent = 0; // the indentation of the dedented line that ends the collection
    while (q < this.n) {
      const i = this.indent(q);
      const c = this.t.charCodeAt(q + i);
      if (q + i >= this.n || brk(c)) {
        blankSeen = true;
        q = this.lineAfter(q);
        continue;
      }
      if (c === HASH) {
        if (i > col) {
          // Deeper than the collection: the library hangs it on the scalar before it.
          if (!node.inline || blankSeen || levelComments >= 0 || node.empty) giveUp();
          scalarAfter = this.lineAfter(q);
        } else if (i === col) {
          levelComments = this.lineAfter(q);
        } else {
          // An outer collection's comment; after comments level with this one, whose are the lines between? Not learnt.
          if (levelComments >= 0) giveUp();
          break;
        }
        q = this.lineAfter(q);
        continue;
      }
      if (i === col) {
        if (node.empty && (levelComments >= 0 || blankSeen)) giveUp();
        return { sibling: q + i, next: scalarAfter >= 0 ? scalarAfter : p, commentEnd: -1, scalarAfter, levelComments: levelComments >= 0 };
      }
      if (i > col) giveUp(); // a continuation line or an indentation error
      stopIndent = i;
      break;
    }
    if (levelComments >= 0) {
      // The collection ends after comments level with it: they, the blank lines after them and the next
      // line's indentation are its own (the library's range runs to the next line's first character).
      if (node.empty) giveUp();
      const end = q < this.n ? q + stopIndent : q;
      return { sibling: -1, next: q, commentEnd: end, scalarAfter, levelComments: true };
    }
    // Blank lines (and outer comments) are the parent's to look at again.
    return { sibling: -1, next: scalarAfter >= 0 ? scalarAfter : p, commentEnd: -1, scalarAfter, levelComments: false };
  }

  /**
   * The value after `key:` (at `q`, just past the colon) of a map at `col`, or a sequence item's value
   * (`inSeq`, `q` at its first character). Returns it and the first line start after it.
   */
  private value(q: number, col: number, inMap: boolean, depth: number, inSeq = false): { node: Node; next: number } {
    const t = this.t;
    let r = q;
    if (inMap) {
      const after = t.charCodeAt(r);
      if (r < this.n && after !== SPACE && !brk(after)) giveUp();
      while (t.charCodeAt(r) === SPACE) r++;
    }
    const ch = t.charCodeAt(r);
    if (!inSeq && (r >= this.n || brk(ch) || ch === HASH)) {
      // Nothing on this line: a nested collection below, or an empty value.
      const sameLineComment = ch === HASH;
      const lineEnd = this.lineAfter(r);
      const j = this.skipBlankAndComments(lineEnd);
      const ic = j < this.n ? this.indent(j) : -1;
      if (j < this.n && ic > col) return this.blockNode(j, ic, col, false, depth + 1);
      if (j < this.n && ic === col && this.isSeqItem(j + ic)) {
        // `key:` then `- item` level with the key, as kubectl writes it.
        return this.blockSeq(j, ic, depth + 1, true);
      }
      if (sameLineComment || j !== lineEnd) giveUp(); // comments around an empty value move its range
      this.lastEmpty = true;
      return { node: { value: null, start: r, end: r, after: r, inline: false, empty: true }, next: lineEnd };
    }
    if (ch === 91 /* [ */ || ch === 123 /* { */) {
      const f = this.flow(r, depth + 1);
      return this.lineTail(f.end, f.value, r, f.end);
    }
    if (ch === 34 /* " */ || ch === 39 /* ' */) {
      const s = this.quoted(r);
      return this.lineTail(s.end, s.value, r, s.end);
    }
    if (ch === 124 /* | */ || ch === 62 /* > */) return this.blockScalar(r, col);
    const p = this.plainEnd(r, false);
    return this.lineTail(p, plainValue(t.slice(r, p)), r, p);
  }

  /** The end of a one-line scalar or flow collection: spaces, a comment, the line break. */
  private lineTail(p: number, value: Json, start: number, end: number): { node: Node; next: number } {
    this.lastEmpty = false;
    const next = this.restOfLine(p, false);
    return { node: { value, start, end, after: next, inline: true, empty: false }, next };
  }

  /** Past spaces and an optional comment to the next line's start; anything else gives up. */
  private restOfLine(p: number, afterMarker: boolean): number {
    const t = this.t;
    let q = p;
    while (t.charCodeAt(q) === SPACE) q++;
    if (q < this.n && t.charCodeAt(q) === HASH) {
      if (q === p && !afterMarker) giveUp(); // `#` right after a value belongs to the value
      return this.lineAfter(q);
    }
    if (q < this.n && !brk(t.charCodeAt(q))) giveUp();
    return q < this.n ? this.lineAfter(q) : q;
  }

  /** A plain scalar from `p`: where its text ends (trailing spaces excluded). */
  private plainEnd(p: number, inFlow: boolean, flowKey = false): number {
    const t = this.t;
    const c0 = t.charCodeAt(p);
    // Indicators that cannot start a plain scalar, or that start one only in ways this reader leaves out.
    if ('-?:,[]{}#&*!|>\'"%@`'.includes(t[p]!)) {
      const c1 = t.charCodeAt(p + 1);
      if (!(c0 === 45 /* - */ && c1 !== SPACE && !brk(c1) && p + 1 < this.n && !inFlow)) giveUp();
    }
    let q = p;
    let lastNonSpace = p;
    while (q < this.n) {
      const c = t.charCodeAt(q);
      if (brk(c)) break;
      if (c === HASH && t.charCodeAt(q - 1) === SPACE) break;
      if (c === 58 /* : */) {
        const d = t.charCodeAt(q + 1);
        if (flowKey && d === SPACE) break;
        if (q + 1 >= this.n || d === SPACE || brk(d) || (inFlow && (d === 44 || d === 93 || d === 125))) giveUp();
      }
      if (inFlow && (c === 44 || c === 91 || c === 93 || c === 123 || c === 125)) break;
      if (c !== SPACE) lastNonSpace = q + 1;
      q++;
    }
    if (lastNonSpace === p) giveUp();
    return lastNonSpace;
  }

  /** A map key at `c`: plain or quoted, on one line, followed by `:` and a space or the line's end. */
  private keyAt(c: number): { text: string; start: number; end: number; colon: number } | undefined {
    const t = this.t;
    const ch = t.charCodeAt(c);
    if (c >= this.n || brk(ch) || ch === HASH) return undefined;
    let end: number;
    let text: string;
    if (ch === 34 || ch === 39) {
      const s = this.quotedOrNull(c);
      if (!s || t.charCodeAt(s.end) !== 58) return undefined;
      end = s.end;
      text = s.value;
    } else {
      if ('-?:,[]{}#&*!|>\'"%@`'.includes(t[c]!)) return undefined;
      let q = c;
      end = -1;
      while (q < this.n) {
        const x = t.charCodeAt(q);
        if (brk(x)) break;
        if (x === HASH && t.charCodeAt(q - 1) === SPACE) break;
        if (x === 58) {
          const d = t.charCodeAt(q + 1);
          if (q + 1 >= this.n || d === SPACE || brk(d)) {
            end = q;
            break;
          }
        }
        q++;
      }
      if (end < 0) return undefined;
      let e = end;
      while (e > c && t.charCodeAt(e - 1) === SPACE) e--;
      if (e !== end) giveUp(); // `key :`: the library's key range rules for this were not worth learning
      text = t.slice(c, end);
      // Keys the core schema reads as something other than a string (`1`, `true`, `~`) are left to the library.
      if (plainValue(text) !== text || text === '<<' || text.length > 1000) giveUp();
    }
    return { text, start: c, end, colon: end };
  }

  /** A quoted scalar starting at `p` (one line only). */
  private quoted(p: number): { value: string; end: number } {
    return this.quotedOrNull(p) ?? giveUp();
  }

  private quotedOrNull(p: number): { value: string; end: number } | undefined {
    const t = this.t;
    const q = t.charCodeAt(p);
    let out = '';
    let from = p + 1;
    for (let i = p + 1; i < this.n; i++) {
      const c = t.charCodeAt(i);
      if (brk(c)) giveUp(); // multi-line quoted scalars fold lines: the library's job
      if (q === 39 && c === 39) {
        if (t.charCodeAt(i + 1) === 39) {
          out += t.slice(from, i + 1);
          from = i + 2;
          i++;
          continue;
        }
        return { value: out + t.slice(from, i), end: i + 1 };
      }
      if (q === 34 && c === 34) return { value: out + t.slice(from, i), end: i + 1 };
      if (q === 34 && c === 92 /* \ */) {
        out += t.slice(from, i);
        const e = t[i + 1];
        const simple = e === undefined ? undefined : ESCAPES[e];
        if (simple !== undefined) {
          out += simple;
          i++;
        } else {
          const len = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
          const hex = t.slice(i + 2, i + 2 + len);
          if (len === 0 || !/^[0-9a-fA-F]+$/.test(hex) || hex.length !== len) giveUp();
          const cp = parseInt(hex, 16);
          if (cp > 0x10ffff) giveUp();
          out += String.fromCodePoint(cp);
          i += 1 + len;
        }
        from = i + 1;
      }
    }
    return giveUp();
  }

  /** `|`, `|-`, `>`, `>-` with content indented deeper than the collection at `col`. */
  private blockScalar(h: number, col: number): { node: Node; next: number } {
    const t = this.t;
    const folded = t.charCodeAt(h) === 62;
    let p = h + 1;
    const strip = t.charCodeAt(p) === 45;
    if (strip) p++;
    const headerEnd = t.charCodeAt(p);
    if (p < this.n && !brk(headerEnd)) giveUp(); // keep (+), indentation digits, comments after the header
    let ls = this.lineAfter(p);
    if (ls >= this.n) giveUp();
    const ci = this.indent(ls);
    const c0 = t.charCodeAt(ls + ci);
    if (ci <= col || ls + ci >= this.n || brk(c0)) giveUp(); // empty or starting with blank lines
    const lines: string[] = [];
    let end = ls;
    while (ls < this.n) {
      const i = this.indent(ls);
      const le = this.lineEnd(ls);
      // The line's text ends before a `\r\n`; the next line starts after it.
      const textEnd = le > ls && t.charCodeAt(le - 1) === CR ? le - 1 : le;
      if (ls + i === textEnd) {
        if (i > ci) giveUp(); // a blank line with spaces beyond the content indentation
        lines.push('');
        ls = le + 1;
        continue;
      }
      if (i < ci) break;
      if (folded && i > ci) giveUp(); // more-indented lines of a folded scalar keep their breaks
      if (le >= this.n) giveUp(); // the last line without a line break
      lines.push(t.slice(ls + ci, textEnd));
      end = le + 1;
      ls = le + 1;
    }
    while (lines.length && lines[lines.length - 1] === '') lines.pop();
    let value: string;
    if (folded) {
      value = '';
      let prevEmpty = true;
      for (const l of lines) {
        if (l === '') {
          value += '\n';
          prevEmpty = true;
        } else {
          if (!prevEmpty) value += ' ';
          value += l;
          prevEmpty = false;
        }
      }
    } else value = lines.join('\n');
    if (!strip) value += '\n';
    // The library's range ends after the last content line; blank lines after it are the next entry's.
    this.lastEmpty = false;
    return { node: { value, start: h, end, after: end, inline: false, empty: false }, next: end };
  }

  /** A flow collection on one line, from its opening bracket. */
  private flow(p: number, depth: number): { value: Json; end: number } {
    if (depth > MAX_DEPTH) giveUp();
    const t = this.t;
    const isMap = t.charCodeAt(p) === 123;
    const close = isMap ? 125 : 93;
    const container: JsonMap | Json[] = isMap ? {} : [];
    const keys: string[] | null = isMap ? [] : null;
    const offsets: number[] = [];
    let q = this.skipSpaces(p + 1);
    if (t.charCodeAt(q) === close) {
      this.attach(container, p, q + 1, keys, offsets);
      return { value: container, end: q + 1 };
    }
    for (;;) {
      let keyText = '';
      let ks = 0;
      let ke = 0;
      if (isMap) {
        const c = t.charCodeAt(q);
        ks = q;
        if (c === 34 || c === 39) {
          const s = this.quoted(q);
          keyText = s.value;
          ke = s.end;
        } else {
          ke = this.flowPlainEnd(q, true);
          keyText = t.slice(q, ke);
          if (plainValue(keyText) !== keyText || keyText === '<<') giveUp();
        }
        if (t.charCodeAt(ke) !== 58 || t.charCodeAt(ke + 1) !== SPACE) giveUp();
        q = this.skipSpaces(ke + 1);
      }
      const c = t.charCodeAt(q);
      let value: Json;
      const vs = q;
      let ve: number;
      if (c === 91 || c === 123) {
        const f = this.flow(q, depth + 1);
        value = f.value;
        ve = f.end;
      } else if (c === 34 || c === 39) {
        const s = this.quoted(q);
        value = s.value;
        ve = s.end;
      } else {
        ve = this.flowPlainEnd(q);
        value = plainValue(t.slice(q, ve));
      }
      if (keys) {
        (container as JsonMap)[keyText] = value;
        keys.push(keyText);
        offsets.push(ks, ke, vs, ve);
      } else {
        (container as Json[]).push(value);
        offsets.push(0, 0, vs, ve);
      }
      q = this.skipSpaces(ve);
      const sep = t.charCodeAt(q);
      if (sep === close) {
        this.attach(container, p, q + 1, keys, offsets);
        return { value: container, end: q + 1 };
      }
      if (sep !== 44) giveUp();
      q = this.skipSpaces(q + 1);
      if (t.charCodeAt(q) === close) giveUp(); // a trailing comma
    }
  }

  private flowPlainEnd(p: number, key = false): number {
    const c = this.t.charCodeAt(p);
    if (c === 45 || c === 63 || c === 58) giveUp(); // `-`, `?`, `:` open something else in flow context
    const end = this.plainEnd(p, true, key);
    // `{a : b}`: a key's trailing spaces are left to the library, as in block maps.
    if (key && this.t.charCodeAt(end) !== 58) giveUp();
    return end;
  }

  private skipSpaces(p: number): number {
    let q = p;
    while (this.t.charCodeAt(q) === SPACE) q++;
    return q;
  }

  /** Spaces at the start of the line beginning at `ls`. */
  private indent(ls: number): number {
    let i = 0;
    while (this.t.charCodeAt(ls + i) === SPACE) i++;
    return i;
  }

  private lineEnd(p: number): number {
    const e = this.t.indexOf('\n', p);
    return e < 0 ? this.n : e;
  }

  private lineAfter(p: number): number {
    const e = this.t.indexOf('\n', p);
    return e < 0 ? this.n : e + 1;
  }

  /** From a line start, past blank lines and comment lines. */
  private skipBlankAndComments(p: number): number {
    let q = p;
    while (q < this.n) {
      const i = this.indent(q);
      const c = this.t.charCodeAt(q + i);
      if (q + i < this.n && !brk(c) && c !== HASH) break;
      q = this.lineAfter(q);
    }
    return q;
  }
}

const ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  t: '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\x1b',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  N: '\x85',
  _: '\xa0',
  L: '\u2028',
  P: '\u2029',
};

/** A plain scalar's value under the YAML 1.2 core schema, as the library resolves it (then as parse-manifests.ts stores it). */
export function plainValue(s: string): Json {
  if (s === '') return null;
  const c = s.charCodeAt(0);
  // Most values start with a letter that no non-string form begins with: skip the tests.
  if (!(c <= 57 || c === 126 || c === 110 || c === 78 || c === 116 || c === 84 || c === 102 || c === 70)) return s;
  if (s === '' || s === '~' || s === 'null' || s === 'Null' || s === 'NULL') return null;
  if (s === 'true' || s === 'True' || s === 'TRUE') return true;
  if (s === 'false' || s === 'False' || s === 'FALSE') return false;
  let v: number | undefined;
  if (/^0o[0-7]+$/.test(s)) v = parseInt(s.slice(2), 8);
  else if (/^[-+]?[0-9]+$/.test(s)) v = parseInt(s, 10);
  else if (/^0x[0-9a-fA-F]+$/.test(s)) v = parseInt(s.slice(2), 16);
  else if (/^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/.test(s)) v = s.slice(-3).toLowerCase() === 'nan' ? NaN : s[0] === '-' ? -Infinity : Infinity;
  else if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/.test(s) || /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/.test(s)) v = parseFloat(s);
  if (v === undefined) return s;
  return Number.isFinite(v) ? v : String(v);
}
