// CLI layer: writing answers to stdout. Must not import vscode, LSP or the model.
import { writeSync } from 'node:fs';
import { terminalSafe } from './terminal-safe';

export { terminalSafe };

/**
 * Writes all of `text` to stdout. The process then ends on its own (main sets `process.exitCode`,
 * never `process.exit()`), so Node drains a pipe completely: a `process.exit()` right after a
 * large write to a pipe loses everything past the first 64 KiB (docs/cli.md).
 */
// A reader that goes away early (`netpath resolve --json | head`) is not an error worth a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

/** Human output: every line passes through terminalSafe (JSON output is escaped by JSON itself). */
export function write(text: string): void {
  const safe = terminalSafe(text);
  process.stdout.write(safe.endsWith('\n') ? safe : `${safe}\n`);
}

/** For waiting a millisecond without a timer (the CLI runs synchronously). */
const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Writes to stdout synchronously, waiting while a pipe is full: a resolved model can be hundreds of
 * MB, and asynchronous writes to a slow reader queue all of it in memory (3.7 GB, then ENOBUFS).
 */
function writeNow(text: string): void {
  const buf = Buffer.from(text);
  let off = 0;
  while (off < buf.length) {
    try {
      off += writeSync(1, buf, off);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') Atomics.wait(pause, 0, 0, 1);
      else if (code === 'EPIPE') process.exit(process.exitCode ?? 0);
      else throw e;
    }
  }
}

export function writeJson(value: unknown): void {
  // Small answers in one piece; big ones are gathered into ~1 MB writes.
  let pending = '';
  for (const chunk of jsonChunks(value)) {
    pending += chunk;
    if (pending.length >= 1 << 20) {
      writeNow(pending);
      pending = '';
    }
  }
  writeNow(`${pending}\n`);
}

/**
 * `JSON.stringify(value, null, 2)`, byte for byte, in pieces: the top-level keys and, for arrays and
 * objects among them, one element at a time. A whole resolved model can be longer than the longest
 * string V8 makes (a 48-node cluster's 9,500 pods each carry the service-link variables of their
 * namespace), and one string of it would hold all of it in memory at once.
 */
export function* jsonChunks(value: unknown, depth = 0): Generator<string> {
  const json = (v: unknown, pad: string): string => (JSON.stringify(v, null, 2) ?? 'null').replace(/\n/g, `\n${pad}`);
  if (depth >= 2 || value === null || typeof value !== 'object' || typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    yield JSON.stringify(value, null, 2) ?? 'null';
    return;
  }
  // Indentation is relative: the caller indents what a nested call yields by one more level.
  const pad = '  ';
  const close = '';
  if (Array.isArray(value)) {
    if (value.length === 0) {
      yield '[]';
      return;
    }
    yield '[';
    for (let i = 0; i < value.length; i++) {
      const v = value[i];
      // As JSON.stringify: undefined, functions and symbols in an array become null.
      const item = v === undefined || typeof v === 'function' || typeof v === 'symbol' ? null : v;
      yield `${i ? ',' : ''}\n${pad}`;
      if (depth === 0) for (const c of jsonChunks(item, depth + 1)) yield c.replace(/\n/g, `\n${pad}`);
      else yield json(item, pad);
    }
    yield `\n${close}]`;
    return;
  }
  const entries = Object.entries(value).filter(([, v]) => v !== undefined && typeof v !== 'function' && typeof v !== 'symbol');
  if (entries.length === 0) {
    yield '{}';
    return;
  }
  yield '{';
  let first = true;
  for (const [k, v] of entries) {
    yield `${first ? '' : ','}\n${pad}${JSON.stringify(k)}: `;
    first = false;
    if (depth === 0) for (const c of jsonChunks(v, depth + 1)) yield c.replace(/\n/g, `\n${pad}`);
    else yield json(v, pad);
  }
  yield `\n${close}}`;
}
