// Server layer (LSP transport): a message writer for byte streams (--stdio) that writes each message, header and
// body, as one chunk. Must not import vscode or the client.
//
// vscode-jsonrpc's StreamMessageWriter writes the header, waits for that write's callback (a later tick) and then
// writes the body. While an analysis runs, the client that was woken by the header has often given up the CPU
// again by the time the body comes, and on a 2-core machine busy with the analysis it waited up to 5 ms for it
// (the LSP bench's hovers during an analysis, traced on both sides: the header read 0.1 ms after it was written,
// the body 5.4 ms after). One write: the client reads the whole answer when it wakes.
import { AbstractMessageWriter, type Message, type MessageWriter } from 'vscode-languageserver/node';

/** The part of a Node Writable the writer uses. */
export interface ChunkSink {
  write(chunk: Uint8Array, done: (error?: Error | null) => void): unknown;
  end(): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
}

/** The LSP base protocol's framing (the default encoding: UTF-8 JSON, no Content-Type header). */
export function frame(message: Message): Buffer {
  const body = Buffer.from(JSON.stringify(message), 'utf8');
  return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]);
}

export class OneChunkMessageWriter extends AbstractMessageWriter implements MessageWriter {
  private errors = 0;

  constructor(private readonly sink: ChunkSink) {
    super();
    sink.on('error', (error) => this.fireError(error));
    sink.on('close', () => this.fireClose());
  }

  /** Writes are queued by the stream in call order, so messages go out in the order they were written. */
  write(message: Message): Promise<void> {
    let chunk: Buffer;
    try {
      chunk = frame(message);
    } catch (error) {
      // A message that cannot be serialised (a cycle): reported like a failed write, the connection goes on.
      this.fireError(error, message, ++this.errors);
      return Promise.reject(error);
    }
    return new Promise((resolve, reject) => {
      this.sink.write(chunk, (error) => {
        if (!error) return resolve();
        this.fireError(error, message, ++this.errors);
        reject(error);
      });
    });
  }

  end(): void {
    this.sink.end();
  }
}
