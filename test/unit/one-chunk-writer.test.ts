// Issue 13: the --stdio transport writes each message, header and body, in one chunk
// (server/src/lsp/one-chunk-writer.ts). The framing is the LSP base protocol's: a Content-Length in bytes of the
// UTF-8 body, CRLF CRLF, the body; vscode-jsonrpc's own reader must read back what was written, in order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { StreamMessageReader, type Message } from 'vscode-languageserver/node';
import { frame, OneChunkMessageWriter, type ChunkSink } from '../../server/src/lsp/one-chunk-writer';

/** A sink that keeps each chunk it is given and answers each write with `failWith` (none: success). */
class RecordingSink implements ChunkSink {
  chunks: Buffer[] = [];
  failWith: Error | undefined;
  private listeners: { error: ((e: Error) => void)[]; close: (() => void)[] } = { error: [], close: [] };
  ended = false;
  write(chunk: Uint8Array, done: (error?: Error | null) => void): boolean {
    this.chunks.push(Buffer.from(chunk));
    const failure = this.failWith;
    setImmediate(() => done(failure ?? null));
    return true;
  }
  end(): void {
    this.ended = true;
  }
  on(event: 'error' | 'close', listener: ((e: Error) => void) & (() => void)): this {
    this.listeners[event].push(listener);
    return this;
  }
  emit(event: 'error', error: Error): void;
  emit(event: 'close'): void;
  emit(event: 'error' | 'close', error?: Error): void {
    if (event === 'error') for (const l of this.listeners.error) l(error!);
    else for (const l of this.listeners.close) l();
  }
}

test('frame: Content-Length counts the UTF-8 bytes of the body, not its characters', () => {
  const message = { jsonrpc: '2.0', id: 1, result: 'é✓' } as Message;
  // {"jsonrpc":"2.0","id":1,"result":"é✓"} is 38 characters; é takes 2 bytes and ✓ 3, so the body is 41 bytes.
  const bytes = frame(message);
  const text = bytes.toString('utf8');
  assert.equal(text, 'Content-Length: 41\r\n\r\n{"jsonrpc":"2.0","id":1,"result":"é✓"}');
  assert.equal(bytes.length, 'Content-Length: 41\r\n\r\n'.length + 41);
});

test('each message goes to the sink as one chunk holding its header and its body', async () => {
  const sink = new RecordingSink();
  const writer = new OneChunkMessageWriter(sink);
  const first = { jsonrpc: '2.0', id: 1, result: { contents: 'a' } } as Message;
  const second = { jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { diagnostics: [] } } as Message;
  await Promise.all([writer.write(first), writer.write(second)]);
  assert.equal(sink.chunks.length, 2);
  assert.deepEqual(sink.chunks[0], frame(first));
  assert.deepEqual(sink.chunks[1], frame(second));
});

test("vscode-jsonrpc's reader reads back every message, in the order written", async () => {
  const pipe = new PassThrough();
  const writer = new OneChunkMessageWriter(pipe);
  const reader = new StreamMessageReader(pipe);
  const sent: Message[] = Array.from({ length: 50 }, (_, i) => ({ jsonrpc: '2.0', id: i, result: `ü${'x'.repeat(i * 37)}` }) as Message);
  const received: Message[] = [];
  const all = new Promise<void>((resolve) =>
    reader.listen((m) => {
      received.push(m);
      if (received.length === sent.length) resolve();
    }),
  );
  for (const m of sent) void writer.write(m);
  await all;
  assert.deepEqual(received, sent);
  reader.dispose();
});

test('a failed write rejects, is reported with a running count, and the next message is still written', async () => {
  const sink = new RecordingSink();
  const writer = new OneChunkMessageWriter(sink);
  const reported: [string, number | undefined][] = [];
  writer.onError(([error, , count]) => reported.push([error.message, count]));
  sink.failWith = new Error('EPIPE');
  await assert.rejects(writer.write({ jsonrpc: '2.0', id: 1, result: null } as Message), /EPIPE/);
  sink.failWith = undefined;
  await writer.write({ jsonrpc: '2.0', id: 2, result: null } as Message);
  assert.equal(sink.chunks.length, 2);
  assert.deepEqual(reported, [['EPIPE', 1]]);
});

test('a message that cannot be serialised is reported, not written, and does not stop the writer', async () => {
  const sink = new RecordingSink();
  const writer = new OneChunkMessageWriter(sink);
  const reported: (number | undefined)[] = [];
  writer.onError(([, , count]) => reported.push(count));
  const cyclic: { self?: unknown } = {};
  cyclic.self = cyclic;
  await assert.rejects(writer.write({ jsonrpc: '2.0', id: 1, result: cyclic } as Message), TypeError);
  await writer.write({ jsonrpc: '2.0', id: 2, result: 'ok' } as Message);
  assert.equal(sink.chunks.length, 1, 'only the second message reached the sink');
  assert.match(sink.chunks[0]!.toString('utf8'), /"id":2/);
  assert.deepEqual(reported, [1]);
});

test("the sink's errors and close reach the connection; end() ends the sink", () => {
  const sink = new RecordingSink();
  const writer = new OneChunkMessageWriter(sink);
  const errors: string[] = [];
  let closed = 0;
  writer.onError(([error]) => errors.push(error.message));
  writer.onClose(() => closed++);
  sink.emit('error', new Error('broken pipe'));
  sink.emit('close');
  writer.end();
  assert.deepEqual(errors, ['broken pipe']);
  assert.equal(closed, 1);
  assert.equal(sink.ended, true);
});
