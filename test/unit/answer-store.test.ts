// The front thread's hovers (issue 13: requests never wait on analysis): what answer-feed.ts sends and
// answer-store.ts answers from must be exactly what the analysis thread's own hover gives (server.ts, hoverNow),
// offset by offset, on an open document edited since the snapshot too; and the front door answers a hover it has
// an answer for without the analysis thread, and passes everything else through unchanged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AbstractMessageReader, AbstractMessageWriter, type DataCallback, type Hover, type Message } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Workspace, type Snapshot } from '../../server/src/workspace';
import { hover } from '../../server/src/features/hover';
import { toPosition } from '../../server/src/features/convert';
import { viewAt } from '../../server/src/lsp/snapshot-view';
import { AnswerFeed } from '../../server/src/lsp/answer-feed';
import { AnswerStore } from '../../server/src/lsp/answer-store';
import { ANSWERS_METHOD, type AnswersMessage } from '../../server/src/lsp/answer-messages';
import { openFrontDoor } from '../../server/src/lsp/front-door';
import { deployment, docs, namespace, networkPolicy, service } from '../support/manifests';

const URI = 'file:///w/app.yaml';

// Services, a workload and a policy (hovers with endpoints, selections, ports), plus a YAML anchor and merge key
// (two keys may then share where they are written: the feed must check, not assume, that a span answers as one).
const APP = docs(
  namespace('shop'),
  service('web', { namespace: 'shop', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080, name: 'http' }] }),
  deployment('web', { namespace: 'shop', labels: { app: 'web' }, replicas: 2, ports: [{ containerPort: 8080, name: 'http' }] }),
  networkPolicy('web-in', { namespace: 'shop', podSelector: { app: 'web' }, ingress: [{ from: [{ podSelector: { matchLabels: { role: 'client' } } }] }] }),
  ['apiVersion: v1', 'kind: ConfigMap', 'metadata: &meta', '  name: settings', '  namespace: shop', 'data:', '  <<: {a: "1"}', '  b: "2"  # a comment'].join(
    '\n',
  ),
);

function analysed(text: string): { ws: Workspace; snap: Snapshot } {
  const ws = new Workspace();
  ws.setDisk(URI, text);
  return { ws, snap: ws.analyze() };
}

/** Runs a feed's refresh to the end, now. */
function refreshNow(feed: AnswerFeed): void {
  const queued: (() => void)[] = [];
  feed.refresh(
    () => false,
    (run) => queued.push(run),
    () => 0,
  );
  while (queued.length > 0) queued.shift()!();
}

/** A feed whose messages go straight into a store; by default it keeps every question asked. */
function wired(enabled = true, capacity = 1e6): { feed: AnswerFeed; store: AnswerStore; sent: AnswersMessage[] } {
  const store = new AnswerStore();
  const sent: AnswersMessage[] = [];
  const feed = new AnswerFeed(
    (m) => {
      sent.push(m);
      store.take(structuredClone(m)); // what crosses the threads is a copy
    },
    () => enabled,
    capacity,
  );
  return { feed, store, sent };
}

/** What the analysis thread answers (server.ts, hoverNow); undefined where it waits for the next analysis. */
function analysisThreadHover(snap: Snapshot, doc: TextDocument | undefined, position: { line: number; character: number }): Hover | null | undefined {
  const view = viewAt(snap, URI, doc, position);
  if (!view) return undefined;
  const answer = hover(view.snap, { textDocument: { uri: URI }, position: view.position });
  if (!answer?.range) return answer;
  const range = view.toCurrent(answer.range);
  return range ? { ...answer, range } : { contents: answer.contents };
}

test('every offset of a file: the front answers what hover() answers there, once hovers were asked and answers made', () => {
  const { snap } = analysed(APP);
  const { feed, store } = wired();
  feed.renew(snap);
  // Each offset asked in turn (as a mouse moving over the whole file would), answered by the analysis thread.
  for (let o = 0; o <= APP.length; o++) feed.asked(snap, URI, o);
  for (let o = 0; o <= APP.length; o++) assert.equal(store.hover(URI, toPosition(snap, URI, o), undefined), undefined, 'no answers made yet');
  refreshNow(feed);
  let answered = 0;
  for (let o = 0; o <= APP.length; o++) {
    const position = toPosition(snap, URI, o);
    const truth = hover(snap, { textDocument: { uri: URI }, position });
    const front = store.hover(URI, position, undefined);
    if (front !== undefined) answered++;
    // Inside an object the front answers every offset, and that answer is hover()'s; elsewhere it leaves it to the analysis thread.
    if (truth !== null || front !== undefined) assert.deepEqual(front, truth, `offset ${o}`);
  }
  assert.ok(answered > APP.length * 0.9, `the front answered ${answered} of ${APP.length + 1} offsets`);
});

test('an open document edited since the snapshot: the front answers where the analysis thread answers from the snapshot, and nowhere else', () => {
  const { snap } = analysed(APP);
  const { feed, store } = wired();
  feed.renew(snap);
  for (let o = 0; o <= APP.length; o++) feed.asked(snap, URI, o);
  refreshNow(feed);
  // A line inserted in the first Service (touching it), and shifting everything below.
  const at = APP.indexOf('  ports:');
  const edited = APP.slice(0, at) + '  sessionAffinity: None\n' + APP.slice(at);
  const doc = TextDocument.create(URI, 'yaml', 2, edited);
  let answered = 0;
  let waited = 0;
  for (let o = 0; o <= edited.length; o++) {
    const position = doc.positionAt(o);
    const front = store.hover(URI, position, doc);
    const truth = analysisThreadHover(snap, doc, position);
    if (truth === undefined) {
      waited++;
      assert.equal(front, undefined, `offset ${o}: the edit touched this object, the front must not answer`);
    } else if (front !== undefined) {
      answered++;
      assert.deepEqual(front, truth, `offset ${o}`);
    }
  }
  assert.ok(waited > 0 && answered > edited.length * 0.5, `answered ${answered}, left to the analysis ${waited}`);
});

test('a new snapshot makes every answer stale; the recent questions are answered again on it, most recent first (EP-1)', () => {
  const { ws, snap } = analysed(APP);
  const { feed, store } = wired(true, 2);
  feed.renew(snap);
  const nameOf = (name: string, text: string): number => text.indexOf(`name: ${name}`) + 'name: '.length + 1;
  const asks = [nameOf('web', APP), nameOf('web-in', APP), nameOf('settings', APP)];
  for (const o of asks) feed.asked(snap, URI, o);
  refreshNow(feed);
  // Capacity 2: the two asked last are answered; the first was evicted.
  assert.deepEqual(
    asks.map((o) => store.hover(URI, toPosition(snap, URI, o), undefined) !== undefined),
    [false, true, true],
  );
  // The Deployment goes from 2 replicas to 3, with a comment line added above everything: the Service's hover
  // names its endpoints, so its answer changes, and every offset moves.
  const edited = '# three now\n' + APP.replace('replicas: 2', 'replicas: 3');
  ws.setDisk(URI, edited);
  const next = ws.analyze();
  feed.renew(next);
  for (const o of asks) assert.equal(store.hover(URI, toPosition(snap, URI, o), undefined), undefined, 'stale answers are dropped');
  refreshNow(feed);
  const moved = (o: number): number => o + '# three now\n'.length;
  const at = (o: number) => toPosition(next, URI, moved(o));
  // The two kept (the policy, the ConfigMap) are answered again on the new snapshot, at their moved offsets.
  assert.equal(store.hover(URI, at(asks[0]!), undefined), undefined);
  for (const o of asks.slice(1)) assert.deepEqual(store.hover(URI, at(o), undefined), hover(next, { textDocument: { uri: URI }, position: at(o) }));
  // Asked again on the new snapshot, the Service's answer is the new snapshot's, which differs from the old one (the premise of the test).
  feed.asked(next, URI, moved(asks[0]!));
  refreshNow(feed);
  const fresh = store.hover(URI, at(asks[0]!), undefined);
  const old = hover(snap, { textDocument: { uri: URI }, position: toPosition(snap, URI, asks[0]!) });
  assert.deepEqual(fresh, hover(next, { textDocument: { uri: URI }, position: at(asks[0]!) }));
  assert.notDeepEqual(fresh?.contents, old?.contents, 'the endpoints went from 2 to 3');
});

test('hovers disabled: nothing is sent, so the front asks the analysis thread (which answers null)', () => {
  const { snap } = analysed(APP);
  const { feed, sent } = wired(false);
  feed.renew(snap);
  feed.asked(snap, URI, APP.indexOf('name: web') + 7);
  refreshNow(feed);
  assert.deepEqual(
    sent.map((m) => m.answers.length),
    [0],
  );
});

test('an answer about an older snapshot than the feed has is not sent', () => {
  const { ws, snap } = analysed(APP);
  const { feed, store } = wired();
  feed.renew(snap);
  ws.setDisk(URI, APP.replace('replicas: 2', 'replicas: 4'));
  feed.renew(ws.analyze());
  const o = APP.indexOf('name: web') + 7;
  feed.asked(snap, URI, o);
  refreshNow(feed);
  assert.equal(store.hover(URI, toPosition(snap, URI, o), undefined), undefined);
});

class ClientReader extends AbstractMessageReader {
  private callback: DataCallback | undefined;
  listen(callback: DataCallback) {
    this.callback = callback;
    return { dispose: () => (this.callback = undefined) };
  }
  send(message: Message): void {
    this.callback?.(message);
  }
}

class ClientWriter extends AbstractMessageWriter {
  readonly written: Message[] = [];
  write(message: Message): Promise<void> {
    this.written.push(message);
    return Promise.resolve();
  }
  end(): void {}
}

class FakeAnalysisThread {
  readonly received: unknown[] = [];
  private listener: ((m: unknown) => void) | undefined;
  postMessage(message: unknown): void {
    this.received.push(message);
  }
  on(_event: 'message', listener: (m: unknown) => void): void {
    this.listener = listener;
  }
  emit(message: unknown): void {
    this.listener?.(message);
  }
}

test('the front door: a hover it holds an answer for is answered at once; everything else goes through unchanged', () => {
  const { snap } = analysed(APP);
  const client = new ClientReader();
  const out = new ClientWriter();
  const analysis = new FakeAnalysisThread();
  const front = openFrontDoor(client, out, analysis, () => undefined);
  const o = APP.indexOf('name: web') + 7;
  const position = toPosition(snap, URI, o);
  const hoverRequest = (id: number): Message =>
    ({ jsonrpc: '2.0', id, method: 'textDocument/hover', params: { textDocument: { uri: URI }, position } }) as Message;

  client.send({ jsonrpc: '2.0', method: 'textDocument/didOpen', params: { textDocument: { uri: URI, languageId: 'yaml', version: 1, text: APP } } } as Message);
  client.send(hoverRequest(1));
  assert.equal(analysis.received.length, 2, 'no answers yet: the hover goes to the analysis thread');

  // The analysis thread's answers come in (a notification the client never sees), then its diagnostics.
  const feed = new AnswerFeed(
    (m) => analysis.emit({ jsonrpc: '2.0', method: ANSWERS_METHOD, params: structuredClone(m) }),
    () => true,
  );
  feed.renew(snap);
  feed.asked(snap, URI, o);
  refreshNow(feed);
  const diagnostics = { jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { uri: URI, diagnostics: [] } };
  analysis.emit(diagnostics);
  assert.deepEqual(out.written, [diagnostics], 'answers stay between the threads; the rest reaches the client');

  client.send(hoverRequest(2));
  assert.equal(analysis.received.length, 2, 'the second hover was not sent on');
  assert.deepEqual(out.written[1], { jsonrpc: '2.0', id: 2, result: hover(snap, { textDocument: { uri: URI }, position }) });
  assert.equal(front.answered, 1);

  // An edit inside the Service the hover is on: the snapshot's answer is no longer true, the analysis thread answers.
  const nameAt = APP.indexOf('name: web');
  client.send({
    jsonrpc: '2.0',
    method: 'textDocument/didChange',
    params: {
      textDocument: { uri: URI, version: 2 },
      contentChanges: [{ range: { start: toPosition(snap, URI, nameAt), end: toPosition(snap, URI, nameAt) }, text: 'x' }],
    },
  } as Message);
  client.send(hoverRequest(3));
  assert.equal(analysis.received.length, 4, 'the change and the hover both went through');
  assert.equal(front.answered, 1);
  assert.equal(front.shutdownAsked, false);
  client.send({ jsonrpc: '2.0', id: 4, method: 'shutdown' } as Message);
  assert.equal(front.shutdownAsked, true);
});
