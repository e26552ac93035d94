// Unit tests (shared contract, pure): what the extension accepts from the trace webview. The webview renders
// manifest text, so its messages are untrusted: `open` may only name a file of the workspace. Issue 8.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkedCopyText, checkedOpenLocation, checkedSvg, MAX_SVG_CHARS } from '../../shared/webview';

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

test('copy: only an address as the panel shows it may be put on the clipboard (issue 11)', () => {
  for (const ok of ['10.42.1.7:6379', '[fd00::1]:80', '10.0.0.3', 'api.example.com:443']) assert.equal(checkedCopyText(ok), ok);
  for (const bad of ['', 'a'.repeat(261), 'rm -rf /', '10.0.0.1\n', '<img src=x>', 'x\u202e', 42, null, { text: '10.0.0.1' }]) {
    assert.equal(checkedCopyText(bad), undefined, JSON.stringify(bad));
  }
});

test('saveSvg: a standalone SVG of shapes and text is saved; scripts, handlers, links, entities and oversize pictures are refused', () => {
  const svg = (body: string) => `<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">${body}</svg>`;
  const plain = svg(
    '<rect x="0" y="0" width="10" height="10" fill="#fff"/><polyline points="0,0 5,5" marker-end="url(#m-req)"/><text x="1" y="9">redis-…-4bmhd &lt;b&gt;</text>',
  );
  assert.equal(checkedSvg(plain), plain);
  const refused = [
    svg('<script>alert(1)</script>'),
    svg('<rect onload="alert(1)"/>'),
    svg('<a href="https://evil.example/"><text>x</text></a>'),
    svg('<image href="file:///etc/passwd"/>'),
    svg('<use xlink:href="#x"/>'),
    svg('<foreignObject><div>x</div></foreignObject>'),
    `<!DOCTYPE svg [<!ENTITY x "y">]>${svg('')}`,
    '<svg width="10"></svg>',
    '<html><svg xmlns="http://www.w3.org/2000/svg"></svg></html>',
    svg('x'.repeat(MAX_SVG_CHARS)),
    42,
  ];
  for (const r of refused) assert.equal(checkedSvg(r), undefined, String(r).slice(0, 80));
});
