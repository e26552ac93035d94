// Client layer, pure part: builds the trace panel's HTML and its Content-Security-Policy. Must not import vscode,
// node:* or the model, so that the unit tests can check the CSP without a workbench.
// The HTML carries no data at all: the trace arrives later by postMessage and is rendered with DOM APIs.

export interface PanelHtmlInput {
  /** `webview.cspSource`: the origin the webview serves local resources from. */
  cspSource: string;
  /** `webview.asWebviewUri(media/dist/panel.js)`. */
  scriptUri: string;
  /** `webview.asWebviewUri(media/panel.css)`. */
  styleUri: string;
  /** Fresh per render, from crypto.randomBytes (only base64 characters). */
  nonce: string;
}

/** The policy: nothing by default, our stylesheet from the webview origin, our one script by nonce. */
export function panelCsp(input: Pick<PanelHtmlInput, 'cspSource' | 'nonce'>): string {
  return [
    "default-src 'none'",
    `style-src ${input.cspSource}`,
    `font-src ${input.cspSource}`,
    `img-src ${input.cspSource}`,
    `script-src 'nonce-${input.nonce}'`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/** Attribute escaping for the few values we place in attributes (URIs and the nonce, never manifest data). */
export function escapeAttr(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function buildPanelHtml(input: PanelHtmlInput): string {
  if (!/^[A-Za-z0-9+/=]+$/.test(input.nonce)) throw new Error('nonce must be base64');
  const csp = escapeAttr(panelCsp(input));
  const nonce = escapeAttr(input.nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttr(input.styleUri)}">
<title>Trace traffic</title>
</head>
<body>
<main id="app" aria-live="polite"><p class="empty">Run “Trace traffic” from a Service, an Ingress rule or the command palette.</p></main>
<script nonce="${nonce}" src="${escapeAttr(input.scriptUri)}"></script>
</body>
</html>`;
}
