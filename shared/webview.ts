// Shared contract layer: messages between the extension (client/src/panel.ts) and the webview script (media/src/panel.ts).
// Imports only shared/ types; must not import vscode or node:* (it is compiled into the browser bundle too).
// Data reaches the webview only through these messages, never interpolated into HTML.
import type { SourceLocation, TraceResult } from './trace';

export type { SourceLocation, TraceResult, TraceHop, TracePath } from './trace';

/** What was asked; kept in the webview state so a restored panel can re-run it. */
export interface TraceRequest {
  from: string;
  to: string;
  port?: string;
}

/** Extension → webview. */
export type ToWebview =
  /** Sent when a trace starts (command, code lens, re-run after an edit) so the panel shows a spinner line. */
  | { type: 'loading'; request: TraceRequest }
  /** Sent with the server's answer. */
  | { type: 'trace'; request: TraceRequest; trace: TraceResult }
  /** Sent when the server refused the request (unknown ref, server down). */
  | { type: 'error'; request: TraceRequest; message: string };

/** Webview → extension. */
export type FromWebview =
  /** Sent once the script has installed its message listener, so no message is lost before that. */
  | { type: 'ready' }
  /** Sent when the user clicks a hop that has a source: open the manifest there. */
  | { type: 'open'; location: SourceLocation }
  /** Sent when the user asks to run the current request again. */
  | { type: 'rerun'; request: TraceRequest }
  /** Sent when the user clicks a hop's rule id: open it in docs/rules.md (the extension checks the id). */
  | { type: 'openRule'; rule: string };

/** What the webview keeps with setState (and the serializer gets back after a reload). */
export interface PanelState {
  request?: TraceRequest;
  trace?: TraceResult;
  /** Index into trace.paths of the selected candidate endpoint tab. */
  tab: number;
  showReply: boolean;
}

export function isFromWebview(value: unknown): value is FromWebview {
  if (typeof value !== 'object' || value === null) return false;
  const t = (value as { type?: unknown }).type;
  return t === 'ready' || t === 'open' || t === 'rerun' || t === 'openRule';
}

/** Largest line or character a location from the webview may name (no manifest is longer). */
const MAX_POSITION = 10_000_000;

/**
 * An `open` location the extension may act on: a `file:` URI that `inWorkspace` accepts (a file of the
 * workspace's folders) and a position of non-negative integers. The webview renders manifest text, so a
 * message from it is treated as untrusted: no other scheme (`command:`, `http:`), no file outside the
 * workspace, no negative or fractional line.
 */
export function checkedOpenLocation(location: unknown, inWorkspace: (uri: string) => boolean): SourceLocation | undefined {
  if (typeof location !== 'object' || location === null) return undefined;
  const { uri, line, character } = location as Record<string, unknown>;
  const okNumber = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= MAX_POSITION;
  if (typeof uri !== 'string' || uri.length > 8192 || !/^file:\/\//i.test(uri) || !okNumber(line) || !okNumber(character)) return undefined;
  // `..` segments (plain or percent-encoded) could climb out of a workspace folder past a prefix check.
  if (/(^|\/)(\.|%2e){2}(\/|$|\?|#)/i.test(uri.slice('file://'.length))) return undefined;
  return inWorkspace(uri) ? { uri, line, character } : undefined;
}
