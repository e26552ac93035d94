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
  | { type: 'error'; request: TraceRequest; message: string }
  /** Sent after an export the webview asked for: copied, saved, or why not (shown in the panel's status line). */
  | { type: 'notice'; message: string };

/** Webview → extension. */
export type FromWebview =
  /** Sent once the script has installed its message listener, so no message is lost before that. */
  | { type: 'ready' }
  /** Sent when the user clicks a hop that has a source: open the manifest there. */
  | { type: 'open'; location: SourceLocation }
  /** Sent when the user asks to run the current request again. */
  | { type: 'rerun'; request: TraceRequest }
  /** Sent when the user clicks a hop's rule id: open it in docs/rules.md (the extension checks the id). */
  | { type: 'openRule'; rule: string }
  /** Sent when the user clicks an address: copy it (the extension checks it is an address, checkedCopyText). */
  | { type: 'copy'; text: string }
  /** Sent by "Copy as text": the extension copies the server's CLI-format text of the trace it last showed. */
  | { type: 'copyTrace' }
  /** Sent by "Save picture as SVG": the picture, colours resolved (the extension checks it, checkedSvg, and asks where). */
  | { type: 'saveSvg'; svg: string };

/** What the webview keeps with setState (and the serializer gets back after a reload). */
export interface PanelState {
  request?: TraceRequest;
  trace?: TraceResult;
  /** Index into trace.paths of the selected candidate endpoint tab. */
  tab: number;
  showReply: boolean;
  /** Entry nodes whose collapsed candidate group the user opened. */
  expanded?: string[];
}

export function isFromWebview(value: unknown): value is FromWebview {
  if (typeof value !== 'object' || value === null) return false;
  const t = (value as { type?: unknown }).type;
  return t === 'ready' || t === 'open' || t === 'rerun' || t === 'openRule' || t === 'copy' || t === 'copyTrace' || t === 'saveSvg';
}

/**
 * Text the webview may put on the clipboard with `copy`: one address as the panel shows it (`10.42.1.7:6379`,
 * `[fd00::1]:80`, a host name); nothing longer, no control characters, no markup.
 */
export function checkedCopyText(text: unknown): string | undefined {
  return typeof text === 'string' && text.length > 0 && text.length <= 260 && /^[0-9A-Za-z.:[\]_-]+$/.test(text) ? text : undefined;
}

/** Largest picture the extension saves (a trace's picture is a few tens of kB). */
export const MAX_SVG_CHARS = 4_000_000;

/**
 * An SVG the extension may write where the user chooses: a standalone `<svg xmlns=…>` document of
 * shapes and text. Refused: scripts, event handlers, links or embedded documents (an SVG opened in a
 * browser runs them), and anything too large.
 */
export function checkedSvg(svg: unknown): string | undefined {
  if (typeof svg !== 'string' || svg.length > MAX_SVG_CHARS) return undefined;
  if (!/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[\s>]/.test(svg) || !/<\/svg>\s*$/.test(svg)) return undefined;
  if (/<\s*(script|foreignObject|iframe|image|use|a|animate|set)\b|\son[a-z]+\s*=|href\s*=|javascript:|<!ENTITY|<!DOCTYPE/i.test(svg)) return undefined;
  return svg;
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
