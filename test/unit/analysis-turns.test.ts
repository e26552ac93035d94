// Issue 13 (hover during an analysis): with Node's real event loop and vscode-jsonrpc over real pipes, a request
// that arrives while an analysis slice runs is dispatched before the next slice, and its answer is written before
// the next slice too (server/src/lsp/analysis-scheduler.ts, nodeClock). No timing is asserted: the child process
// logs, in its own order, when bytes came in, when the request was handled, when its answer was written and when
// each slice started; the test checks that no slice started in between.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type Message, type MessageWriter } from 'vscode-jsonrpc/node';
import { MAX_WAITS_AGAIN, nodeClock } from '../../server/src/lsp/analysis-scheduler';

const CHILD = 'NETPATH_TURNS_CHILD';
/** How long a slice keeps the thread (longer than a pipe needs to deliver a message, so requests land in one). */
const SLICE_MS = 6;
const PINGS = 12;

type Event = { kind: 'slice' } | { kind: 'bytes'; ids: number[] } | { kind: 'handled'; id: number } | { kind: 'written'; id: number };

/** The server side: slices back to back as the analysis scheduler runs them, answering pings in between. */
function child(): void {
  const events: Event[] = [];
  let answered = 0;
  let inputs = 0;
  let slicing = false;
  process.stdin.on('data', (chunk: Buffer) => {
    inputs++; // as main.ts counts input on --stdio
    const ids = [...chunk.toString('utf8').matchAll(/"params":\{"ping":(\d+)\}/g)].map((m) => Number(m[1]));
    events.push({ kind: 'bytes', ids });
  });
  const writer = new StreamMessageWriter(process.stdout);
  const logged: MessageWriter = {
    onError: writer.onError,
    onClose: writer.onClose,
    end: () => writer.end(),
    dispose: () => writer.dispose(),
    write: async (m: Message) => {
      await writer.write(m);
      // A ping's answer is its own number.
      const result = (m as { result?: unknown }).result;
      if (typeof result === 'number') events.push({ kind: 'written', id: result });
    },
  };
  const conn = createMessageConnection(new StreamMessageReader(process.stdin), logged);
  // Every input is counted as it is read (main.ts with --stdio): a boundary with no traffic takes one turn only.
  const clock = nodeClock(() => answered + inputs, true);
  const slice = (): void => {
    if (!slicing) return;
    events.push({ kind: 'slice' });
    const end = performance.now() + SLICE_MS;
    while (performance.now() < end) {
      // busy, as an analysis step is
    }
    clock.afterPendingMessages(slice);
  };
  conn.onRequest('start', () => {
    slicing = true;
    clock.afterPendingMessages(slice);
    answered++;
    return null;
  });
  conn.onRequest('ping', (p: { ping: number }) => {
    events.push({ kind: 'handled', id: p.ping });
    answered++; // as server.ts counts every handler that finished
    return p.ping;
  });
  conn.onRequest('events', () => {
    slicing = false;
    return events;
  });
  conn.listen();
}

if (process.env[CHILD]) child();
else
  test('a request that arrives during a slice is dispatched and answered before the next slice starts', async () => {
    const proc = spawn(process.execPath, [__filename], { env: { ...process.env, [CHILD]: '1' }, stdio: ['pipe', 'pipe', 'inherit'] });
    const conn = createMessageConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
    conn.listen();
    try {
      await conn.sendRequest('start');
      for (let i = 0; i < PINGS; i++) {
        // Spread over the slices: some land early in one, some late.
        await new Promise((r) => setTimeout(r, 3 + (i % 4) * 2));
        assert.equal(await conn.sendRequest('ping', { ping: 1000 + i }), 1000 + i);
      }
      const events = await conn.sendRequest<Event[]>('events');
      assert.ok(events.filter((e) => e.kind === 'slice').length >= PINGS, 'the slices ran while the pings came');
      const slicesBetween = (a: number, b: number) => events.slice(a + 1, b).filter((e) => e.kind === 'slice').length;
      for (let i = 0; i < PINGS; i++) {
        const id = 1000 + i;
        const arrived = events.findIndex((e) => e.kind === 'bytes' && e.ids.includes(id));
        const handled = events.findIndex((e) => e.kind === 'handled' && e.id === id);
        const written = events.findIndex((e) => e.kind === 'written' && e.id === id);
        assert.ok(arrived >= 0 && handled > arrived && written > handled, `ping ${id}: came in, was handled, was answered`);
        const story = JSON.stringify(events.slice(arrived, written + 1));
        assert.equal(slicesBetween(arrived, handled), 0, `no slice between ping ${id}'s bytes and its dispatch: ${story}`);
        assert.equal(slicesBetween(handled, written), 0, `no slice between ping ${id}'s dispatch and its answer: ${story}`);
      }
    } finally {
      conn.dispose();
      proc.kill();
    }
  });

if (!process.env[CHILD])
  test('traffic that never stops holds the next slice back a few turns only (a client that keeps sending cannot stop an analysis)', async () => {
    let count = 0;
    const clock = nodeClock(() => count++); // something new came in at every look
    const ran = await Promise.race([
      new Promise<boolean>((resolve) => clock.afterPendingMessages(() => resolve(true))),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 2000)),
    ]);
    assert.ok(ran, 'the slice ran');
    // One look before each wait and one after it: MAX_WAITS_AGAIN + 1 waits.
    assert.equal(count, 2 * (MAX_WAITS_AGAIN + 1));
  });

if (!process.env[CHILD])
  test('where every input is counted, traffic seen after the first turn gets the same waits (a client that keeps sending cannot stop an analysis)', async () => {
    let count = 0;
    const clock = nodeClock(() => count++, true);
    const ran = await Promise.race([
      new Promise<boolean>((resolve) => clock.afterPendingMessages(() => resolve(true))),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 2000)),
    ]);
    assert.ok(ran, 'the slice ran');
    // The first turn's two looks, then MAX_WAITS_AGAIN + 1 waits of two looks each.
    assert.equal(count, 2 + 2 * (MAX_WAITS_AGAIN + 1));
  });
