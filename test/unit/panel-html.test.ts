// Unit tests (client layer, pure part): the trace panel's HTML and CSP builder. Must not import vscode.
// Architecture: no inline script, CSP default-src 'none', script only by nonce, data never in the HTML.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildPanelHtml, escapeAttr, panelCsp } from '../../client/src/panelHtml';

const input = {
  cspSource: 'https://abc.vscode-cdn.net',
  scriptUri: 'https://abc.vscode-cdn.net/ext/media/dist/panel.js',
  styleUri: 'https://abc.vscode-cdn.net/ext/media/panel.css',
  nonce: 'bm9uY2Ux+/==',
};

test('the CSP denies everything but our stylesheet origin and the nonce-d script', () => {
  const csp = panelCsp(input);
  assert.match(csp, /^default-src 'none'; /);
  assert.match(csp, /script-src 'nonce-bm9uY2Ux\+\/=='/);
  assert.match(csp, /style-src https:\/\/abc\.vscode-cdn\.net(;|$)/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
});

test('the HTML has one script, external, carrying the nonce, and no inline handlers or styles', () => {
  const html = buildPanelHtml(input);
  const scripts = html.match(/<script\b[^>]*>/g) ?? [];
  assert.equal(scripts.length, 1);
  assert.equal(scripts[0], `<script nonce="${input.nonce}" src="${input.scriptUri}">`);
  assert.match(html, /<\/script>\s*<\/body>/, 'the script element is empty');
  assert.doesNotMatch(html, /\son[a-z]+=/i, 'no inline event handlers');
  assert.doesNotMatch(html, /<style|\sstyle=/i, 'no inline styles');
  assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; /);
});

test('a URI that tries to close the attribute stays inside it', () => {
  const html = buildPanelHtml({ ...input, scriptUri: 'https://x/"><img src=x onerror=alert(1)>' });
  assert.doesNotMatch(html, /<img/);
  assert.match(html, /&#34;&#62;&#60;img/);
  assert.equal(escapeAttr(`<"'&>`), '&#60;&#34;&#39;&#38;&#62;');
});

test('a nonce that is not base64 is refused', () => {
  assert.throws(() => buildPanelHtml({ ...input, nonce: `a' 'unsafe-inline` }), /base64/);
});
