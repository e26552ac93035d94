// Issue 13: the publisher keeps a file's converted diagnostics while the file's text and its model diagnostics
// convert alike (server/src/features/diagnostics.ts, server/src/lsp/publisher.ts). What it sends must still be what
// converting the snapshot afresh gives: ranges follow the text, an edited file is re-sent, an untouched one is not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic } from 'vscode-languageserver/node';
import { Workspace } from '../../server/src/workspace';
import { Publisher } from '../../server/src/lsp/publisher';
import { DEFAULT_SETTINGS } from '../../server/src/lsp/settings';
import { diagnosticsByUri } from '../../server/src/features/diagnostics';
import { pod, service } from '../support/manifests';

/** A Service whose selector matches no pod: EP-1's warning, on the Service's selector. */
const lonely = (name: string): string => service(name, { namespace: 'shop', selector: { app: 'nothing-has-this' }, ports: [80] });
const SVC = lonely('web');
const uri = (p: string): string => `file:///w/${p}`;

function recorder(): { sent: Map<string, Diagnostic[]>; count: Map<string, number>; publisher: Publisher } {
  const sent = new Map<string, Diagnostic[]>();
  const count = new Map<string, number>();
  const publisher = new Publisher(
    {
      sendDiagnostics: (u, d) => {
        sent.set(u, d);
        count.set(u, (count.get(u) ?? 0) + 1);
      },
      notify: () => undefined,
      info: () => undefined,
    },
    undefined,
    new Map(),
  );
  return { sent, count, publisher };
}

test('a publish sends what converting the snapshot afresh gives, after edits that keep or move diagnostics (issue 13)', () => {
  const ws = new Workspace();
  // Two files with a selector that matches no pod (EP-1): one edited below, one never.
  ws.setDisk(uri('a.yaml'), `# one #two\n${SVC}`);
  ws.setDisk(uri('b.yaml'), lonely('api'));
  const { sent, count, publisher } = recorder();
  const publish = (): void => publisher.publish(ws.analyze(), DEFAULT_SETTINGS, () => true);
  const fresh = (u: string): Diagnostic[] | undefined => diagnosticsByUri(ws.snapshot).get(u)?.diagnostics;
  publish();
  assert.ok((sent.get(uri('a.yaml')) ?? []).length > 0, 'the selector that matches nothing is reported');
  assert.deepEqual(sent.get(uri('a.yaml')), fresh(uri('a.yaml')));
  const linesBefore = sent.get(uri('a.yaml'))!.map((d) => d.range.start.line);

  // The same length, so every offset stays, but a line more before the Service: the ranges must move down one.
  ws.setDisk(uri('a.yaml'), `# one\n#two\n${SVC}`);
  publish();
  assert.deepEqual(
    sent.get(uri('a.yaml'))!.map((d) => d.range.start.line),
    linesBefore.map((l) => l + 1),
  );
  assert.deepEqual(sent.get(uri('a.yaml')), fresh(uri('a.yaml')));
  console.log(JSON.stringify(sent.get(uri('b.yaml'))));
  assert.equal(count.get(uri('b.yaml')), 1, 'a file whose diagnostics did not change is not sent again');

  // A pod with other labels in the namespace: the same diagnostics at the same places, but their messages now name
  // it as a near miss, so both files are sent again.
  ws.setDisk(uri('pod.yaml'), pod('web-0', { namespace: 'shop', labels: { app: 'web' } }));
  publish();
  assert.equal(count.get(uri('b.yaml')), 2);
  assert.match(sent.get(uri('b.yaml'))![0]!.message, /Near misses: pod shop\/web-0/);
  assert.deepEqual(sent.get(uri('a.yaml')), fresh(uri('a.yaml')));
  assert.deepEqual(sent.get(uri('b.yaml')), fresh(uri('b.yaml')));

  // The Service gone from a.yaml: its diagnostics are cleared; b.yaml's stay as they were, unsent.
  ws.setDisk(uri('a.yaml'), '# one\n#two\n');
  publish();
  assert.deepEqual(sent.get(uri('a.yaml')), []);
  assert.equal(count.get(uri('b.yaml')), 2);
  assert.deepEqual(sent.get(uri('b.yaml')), fresh(uri('b.yaml')));
});
