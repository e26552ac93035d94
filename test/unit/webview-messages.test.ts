// Unit tests (shared contract, pure): what the extension accepts from the trace webview. The webview renders
// manifest text, so its messages are untrusted: `open` may only name a file of the workspace. Issue 8.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkedOpenLocation } from '../../shared/webview';

const inWorkspace = (uri: string) => uri.startsWith('file:///ws/');

test('open: a file of the workspace at a non-negative position is accepted as it is', () => {
  assert.deepEqual(checkedOpenLocation({ uri: 'file:///ws/a.yaml', line: 3, character: 0 }, inWorkspace), { uri: 'file:///ws/a.yaml', line: 3, character: 0 });
});

test('open: other schemes, files outside the workspace, climbing out with .., and bad positions are refused', () => {
  const refused = [
    { uri: 'command:workbench.action.terminal.new', line: 0, character: 0 },
    { uri: 'https://evil.example/', line: 0, character: 0 },
    { uri: 'vscode-remote://x/ws/a.yaml', line: 0, character: 0 },
    { uri: 'file:///etc/passwd', line: 0, character: 0 },
    { uri: 'file:///ws/../etc/passwd', line: 0, character: 0 },
    { uri: 'file:///ws/%2e%2e/etc/passwd', line: 0, character: 0 },
    { uri: 'file:///ws/a.yaml', line: -1, character: 0 },
    { uri: 'file:///ws/a.yaml', line: 1.5, character: 0 },
    { uri: 'file:///ws/a.yaml', line: '2', character: 0 },
    { uri: 'file:///ws/a.yaml', line: 1e12, character: 0 },
    { uri: 42, line: 0, character: 0 },
    null,
    'file:///ws/a.yaml',
  ];
  for (const loc of refused) assert.equal(checkedOpenLocation(loc, inWorkspace), undefined, JSON.stringify(loc));
});
