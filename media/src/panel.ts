// Webview layer (browser): renders a trace — the topology picture of the chosen path, its one-line verdict,
// the candidates grouped by entry node and endpoint, and the hop table. Imports only shared/ types and the
// webview's own modules; must not import vscode, node:* or the model. Every string from the manifests goes
// into the DOM through textContent (createTextNode), never innerHTML, so a pod named
// `<img src=x onerror=alert(1)>` is shown, not run. Hops are read by their fields (subject, policies), never
// by parsing `at` (issue 9).
import type { FromWebview, PanelState, ToWebview, TraceHop, TracePath, TraceRequest, TraceResult } from '../../shared/webview';
import { isRuleId } from '../../shared/rules';
import { layout, sceneOf } from './topology';
import { exportSvg, renderPicture } from './svg';
import { groupCandidates, summaryLine } from './summary';

interface VsCodeApi {
  postMessage(message: FromWebview): void;
  getState(): unknown;
  setState(state: PanelState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const app = document.getElementById('app') as HTMLElement;

/** Candidates shown per entry node before the rest are collapsed behind a count. */
const HANDFUL = 5;

let state: PanelState = restoreState(vscode.getState());
let status: { kind: 'idle' } | { kind: 'loading'; request: TraceRequest } | { kind: 'error'; message: string } = { kind: 'idle' };
let notice = '';

/** A saved trace from an older version (hops without `subject`) is not drawn; the extension re-runs the request. */
function usableTrace(t: unknown): t is TraceResult {
  const paths = (t as Partial<TraceResult> | null)?.paths;
  return Array.isArray(paths) && paths.every((p) => Array.isArray(p?.hops) && p.hops.every((h) => typeof h?.subject?.kind === 'string'));
}

function restoreState(raw: unknown): PanelState {
  const s = (typeof raw === 'object' && raw !== null ? raw : {}) as Partial<PanelState>;
  return {
    ...(s.request ? { request: s.request } : {}),
    ...(usableTrace(s.trace) ? { trace: s.trace } : {}),
    tab: typeof s.tab === 'number' ? s.tab : 0,
    showReply: s.showReply === true,
    expanded: Array.isArray(s.expanded) ? s.expanded.filter((x): x is string => typeof x === 'string') : [],
  };
}

function save(): void {
  vscode.setState(state);
}

// ---------------------------------------------------------------------------------------------
// DOM helpers: strings always become text nodes.

type Child = Node | string | null | undefined | false;
function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, ...children: Child[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
  }
  return e;
}

/** A button that keeps its focus across re-renders (`key` names it in the next render). */
function button(cls: string, key: string, label: Child, onClick: () => void, title?: string): HTMLButtonElement {
  const b = el('button', cls, label);
  b.type = 'button';
  b.dataset['focus'] = key;
  if (title) b.title = title;
  b.addEventListener('click', (e) => {
    e.stopPropagation(); // not the hop row's own click, which opens the manifest
    onClick();
  });
  return b;
}

// ---------------------------------------------------------------------------------------------
// Rendering. Every render replaces the DOM; the focused element is found again by its data-focus key.

function render(): void {
  const focused = (document.activeElement as HTMLElement | null)?.dataset?.['focus'];
  const root = el('div', 'root');
  const req = status.kind === 'loading' ? status.request : state.request;
  if (req) root.appendChild(header(req));

  if (status.kind === 'loading') {
    root.appendChild(el('p', 'loading', 'Tracing…'));
  } else if (status.kind === 'error') {
    root.appendChild(el('p', 'error-message', status.message));
  }
  const trace = state.trace;
  if (status.kind !== 'loading' && trace) root.appendChild(traceView(trace));
  if (!req && !trace && status.kind === 'idle') {
    root.appendChild(el('p', 'empty', 'Run “Trace traffic” from a Service, an Ingress rule or the command palette.'));
  }
  app.replaceChildren(root);
  drawPicture();
  if (focused) (app.querySelector(`[data-focus="${CSS.escape(focused)}"]`) as HTMLElement | null)?.focus();
}

function header(req: TraceRequest): HTMLElement {
  const rerun = button('rerun', 'rerun', 'Re-run', () => vscode.postMessage({ type: 'rerun', request: req }), 'Trace again on the current manifests');
  return el(
    'header',
    'request',
    el('span', 'ref from', req.from),
    el('span', 'arrow-text', ' → '),
    el('span', 'ref to', req.to),
    req.port ? el('span', 'port', ` (${req.port})`) : null,
    rerun,
  );
}

function selectedPath(trace: TraceResult): { path: TracePath; index: number } | undefined {
  if (trace.paths.length === 0) return undefined;
  const index = Math.min(Math.max(state.tab, 0), trace.paths.length - 1);
  return { path: trace.paths[index] as TracePath, index };
}

function traceView(trace: TraceResult): HTMLElement {
  const view = el('section', 'trace');
  const more =
    typeof trace.untracedPaths === 'number' && trace.untracedPaths > 0
      ? ` (and ${trace.untracedPaths} more not drawn: one per node, workload and outcome is shown)`
      : '';
  const overall = el(
    'div',
    `verdict ${trace.verdict}`,
    el('span', 'verdict-word', trace.verdict === 'delivered' ? '✓ delivered' : '✗ dropped'),
    trace.reason ? el('span', 'reason', trace.reason) : null,
    el('span', 'detail', `${trace.paths.length} candidate path${trace.paths.length === 1 ? '' : 's'}${more}`),
  );
  overall.id = 'overall-verdict';
  view.appendChild(overall);
  // TR-9: a mixed verdict says which entries work and which do not.
  if (trace.mixed)
    view.appendChild(
      el(
        'p',
        'mixed',
        `Only some paths deliver (TR-9): delivered ${trace.mixed.delivered.join(', ')}; dropped (${trace.mixed.reasons.join(', ')}) ${trace.mixed.dropped.join(', ')}.`,
      ),
    );
  const sel = selectedPath(trace);
  if (!sel) {
    view.appendChild(el('p', 'empty', 'No path: nothing to forward to.'));
    return view;
  }
  view.appendChild(toolbar(sel.path));
  if (trace.paths.length > 1) view.appendChild(candidates(trace, sel.index));
  view.appendChild(pathView(sel.path));
  return view;
}

function toolbar(path: TracePath): HTMLElement {
  const bar = el('div', 'toolbar');
  bar.appendChild(
    button('export-text', 'export-text', 'Copy as text', () => vscode.postMessage({ type: 'copyTrace' }), 'Copy the trace as `netpath trace` prints it'),
  );
  bar.appendChild(
    button(
      'export-svg',
      'export-svg',
      'Save picture as SVG',
      () => {
        const svg = app.querySelector('figure.picture svg');
        if (svg instanceof SVGSVGElement) vscode.postMessage({ type: 'saveSvg', svg: exportSvg(svg) });
      },
      'Save the picture above as an .svg file (for a PR or a chat)',
    ),
  );
  if ((path.reply ?? []).length > 0) {
    const toggle = button('toggle-reply', 'toggle-reply', state.showReply ? 'Hide reply path' : 'Show reply path', () => {
      state = { ...state, showReply: !state.showReply };
      save();
      render();
    });
    toggle.setAttribute('aria-expanded', String(state.showReply));
    bar.appendChild(toggle);
  }
  const live = el('span', 'notice', notice);
  live.setAttribute('role', 'status');
  bar.appendChild(live);
  return bar;
}

/** The candidates, grouped by the node the packet enters; arrow keys move between them. */
function candidates(trace: TraceResult, selected: number): HTMLElement {
  const nav = el('nav', 'candidates');
  nav.setAttribute('aria-label', 'Candidate paths');
  const expanded = new Set(state.expanded ?? []);
  const groups = groupCandidates(trace.paths, HANDFUL, expanded, selected);
  for (const g of groups) {
    const list = el('div', 'candidate-list');
    list.setAttribute('role', 'tablist');
    list.setAttribute('aria-orientation', 'vertical');
    const head = el('div', 'group-head', g.entry ? `via ${g.entry}` : 'endpoints');
    for (const c of g.items) {
      const b = button(`tab candidate ${c.verdict}${c.index === selected ? ' selected' : ''}`, `cand:${c.index}`, null, () => select(c.index), c.title);
      b.append(el('span', 'mark', c.verdict === 'delivered' ? '✓' : '✗'));
      if (g.entry) b.append(el('span', 'via', `${g.entry} →`));
      b.append(el('span', 'endpoint', c.label));
      if (c.why) b.append(el('span', 'why', c.why));
      b.setAttribute('role', 'tab');
      b.setAttribute('aria-selected', String(c.index === selected));
      b.tabIndex = c.index === selected ? 0 : -1;
      b.addEventListener('keydown', (e) => moveAmongCandidates(e, nav));
      list.appendChild(b);
    }
    if (g.hidden > 0) {
      list.appendChild(
        button(
          'more',
          `more:${g.entry ?? ''}`,
          `+ ${g.hidden} more`,
          () => {
            state = { ...state, expanded: [...expanded, g.entry ?? ''] };
            save();
            render();
          },
          `Show the other ${g.hidden} candidates${g.entry ? ` via ${g.entry}` : ''}`,
        ),
      );
    }
    nav.appendChild(el('div', 'group', head, list));
  }
  return nav;
}

function select(index: number): void {
  state = { ...state, tab: index };
  save();
  render();
}

/** Roving focus: Up/Down (and Left/Right) move between candidates, Home/End to the ends; Enter or Space selects. */
function moveAmongCandidates(e: KeyboardEvent, nav: HTMLElement): void {
  const all = Array.from(nav.querySelectorAll<HTMLButtonElement>('button.candidate'));
  const i = all.indexOf(e.currentTarget as HTMLButtonElement);
  const to =
    e.key === 'ArrowDown' || e.key === 'ArrowRight'
      ? i + 1
      : e.key === 'ArrowUp' || e.key === 'ArrowLeft'
        ? i - 1
        : e.key === 'Home'
          ? 0
          : e.key === 'End'
            ? all.length - 1
            : -2;
  if (to === -2) return;
  e.preventDefault();
  all[Math.max(0, Math.min(all.length - 1, to))]?.focus();
}

function pathView(path: TracePath): HTMLElement {
  const box = el('div', 'path');
  box.setAttribute('role', 'tabpanel');
  const summary = el('p', `summary ${path.verdict}`, summaryLine(path));
  summary.id = 'path-verdict';
  box.appendChild(summary);
  const figure = el('figure', 'picture');
  figure.setAttribute('aria-label', 'Topology picture of the packet path');
  box.appendChild(figure);
  box.appendChild(hopTable('Request', path.hops, 'hops'));
  const reply = path.reply ?? [];
  if (reply.length > 0 && state.showReply) box.appendChild(hopTable('Reply', reply, 'reply-hops'));
  return box;
}

/** Draws the picture for the selected path at the figure's current width (again whenever that changes). */
function drawPicture(): void {
  const figure = app.querySelector('figure.picture');
  const trace = state.trace;
  const sel = trace ? selectedPath(trace) : undefined;
  if (!(figure instanceof HTMLElement) || !trace || !sel) return;
  const width = Math.max(280, Math.floor(figure.clientWidth));
  const scene = sceneOf(sel.path, trace.nodes, state.showReply);
  const lay = layout(scene, trace.nodes, width);
  figure.replaceChildren(renderPicture(lay, `Path of ${state.request?.from ?? trace.from} → ${state.request?.to ?? trace.to}: ${summaryLine(sel.path)}`));
  figure.dataset['width'] = String(width);
}

let pending = false;
new ResizeObserver(() => {
  if (pending) return;
  pending = true;
  requestAnimationFrame(() => {
    pending = false;
    const figure = app.querySelector('figure.picture');
    if (figure instanceof HTMLElement && figure.dataset['width'] !== String(Math.max(280, Math.floor(figure.clientWidth)))) drawPicture();
  });
}).observe(app);

// ---------------------------------------------------------------------------------------------
// The hop table.

/** Where a hop is, in words, from its fields. */
function whereText(hop: TraceHop): string {
  const s = hop.subject;
  switch (s.kind) {
    case 'pod':
      return `pod ${s.id}`;
    case 'node':
      return `node ${s.id}`;
    case 'ingress-controller':
      return s.id ? `ingress controller ${s.id}` : 'ingress controller';
    case 'gateway':
      return `gateway ${s.id}`;
    case 'load-balancer':
      return `load balancer ${s.id}`;
    default:
      return `host ${s.id}`;
  }
}

const NAT = new Set(['DNAT', 'SNAT']);

function hopTable(title: string, hops: TraceHop[], id: string): HTMLElement {
  const table = el('div', 'hop-table');
  table.id = id;
  table.setAttribute('role', 'table');
  table.setAttribute('aria-label', `${title} hops`);
  const head = el(
    'div',
    'hop-head',
    el('span', 'hop-no', '#'),
    el('span', 'action', 'action'),
    el('span', 'where', 'where'),
    el('span', 'packet', 'packet (src → dst)'),
    el('span', 'rule-col', 'rule'),
  );
  head.setAttribute('role', 'row');
  for (const c of Array.from(head.children)) c.setAttribute('role', 'columnheader');
  table.appendChild(head);
  let prev: TraceHop | undefined;
  hops.forEach((hop, i) => {
    table.appendChild(hopRow(hop, prev, i, id));
    prev = hop;
  });
  return table;
}

/** A copyable address: a click copies it (through the extension, which checks it is one). */
function address(value: string, key: string, rewritten: boolean, was: string | undefined): HTMLElement {
  const b = button(`addr${rewritten ? ' rewritten' : ''}`, key, value || '—', () => vscode.postMessage({ type: 'copy', text: value }), `Copy ${value}`);
  if (!value) b.disabled = true;
  return rewritten && was !== undefined ? el('span', 'addr-wrap', b, el('span', 'was', `was ${was}`)) : b;
}

function hopRow(hop: TraceHop, prev: TraceHop | undefined, i: number, table: string): HTMLElement {
  const nat = NAT.has(hop.action);
  const srcChanged = nat && prev !== undefined && prev.src !== hop.src;
  const dstChanged = nat && prev !== undefined && prev.dst !== hop.dst;
  const row = el(
    'div',
    `hop action-${hop.action.replace(/[^A-Za-z]/g, '')}${hop.source ? ' has-source' : ''}`,
    el('span', 'hop-no', `${i + 1}`),
    el('span', 'action', hop.action),
    el('span', 'where', el('span', 'at', whereText(hop)), hop.iface ? el('span', 'iface', hop.iface) : null),
    el(
      'span',
      'packet',
      address(hop.src, `${table}:${i}:src`, srcChanged, prev?.src),
      el('span', 'arrow-text', ' → '),
      address(hop.dst, `${table}:${i}:dst`, dstChanged, prev?.dst),
    ),
    el(
      'span',
      'rule-col',
      hop.policySources && hop.policySources.length > 1 ? policyLinks(hop.policySources, `${table}:${i}`) : ruleChip(hop, `${table}:${i}`),
    ),
    hop.note ? el('span', 'note', hop.note) : null,
  );
  row.setAttribute('role', 'row');
  row.dataset['hop'] = String(i);
  const source = hop.source;
  if (source) {
    row.tabIndex = 0;
    row.dataset['focus'] = `${table}:${i}`;
    row.title = 'Open the manifest behind this hop';
    const open = () => vscode.postMessage({ type: 'open', location: source });
    row.addEventListener('click', open);
    row.addEventListener('keydown', (e) => {
      if (e.target === row && (e.key === 'Enter' || e.key === ' ')) {
        e.preventDefault();
        open();
      }
    });
  }
  return row;
}

/** Several policies decided the hop: each name opens its own manifest (the hop itself opens the first). */
function policyLinks(sources: NonNullable<TraceHop['policySources']>, key: string): HTMLElement {
  const links = sources.map(({ policy, location }, j) =>
    linkChip('rule policy-link', `${key}:policy:${j}`, policy, `Open NetworkPolicy ${policy}`, () => vscode.postMessage({ type: 'open', location })),
  );
  return el('span', 'policies', ...links);
}

/** A hop's rule: a rule id opens its section of docs/rules.md; policy names (from `policies`) stay text. */
function ruleChip(hop: TraceHop, key: string): HTMLElement | null {
  const rule = hop.rule;
  if (!rule) return null;
  if (!isRuleId(rule)) return el('span', 'rule', hop.policies?.join(', ') ?? rule);
  return linkChip('rule rule-link', `${key}:rule`, rule, `Open rule ${rule} in docs/rules.md`, () => vscode.postMessage({ type: 'openRule', rule }));
}

/** A keyboard-reachable link inside a hop row: click, Enter or Space runs `open`, not the row's own click. */
function linkChip(className: string, key: string, text: string, title: string, open: () => void): HTMLElement {
  const a = el('span', className, text);
  a.tabIndex = 0;
  a.dataset['focus'] = key;
  a.setAttribute('role', 'link');
  a.title = title;
  const run = (e: Event) => {
    e.stopPropagation();
    open();
  };
  a.addEventListener('click', run);
  a.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      run(e);
    }
  });
  return a;
}

// ---------------------------------------------------------------------------------------------

window.addEventListener('message', (event: MessageEvent<ToWebview>) => {
  const m = event.data;
  switch (m.type) {
    case 'loading':
      status = { kind: 'loading', request: m.request };
      break;
    case 'trace': {
      // Same request again (re-run after an edit): keep the selected candidate, reply toggle and open groups.
      const same = state.request?.from === m.request.from && state.request?.to === m.request.to;
      state = same ? { ...state, request: m.request, trace: m.trace } : { request: m.request, trace: m.trace, tab: 0, showReply: false, expanded: [] };
      status = { kind: 'idle' };
      save();
      break;
    }
    case 'error':
      state = { request: m.request, tab: 0, showReply: false, expanded: [] };
      status = { kind: 'error', message: m.message };
      save();
      break;
    case 'notice': {
      notice = m.message;
      // Only the status line changes: no re-render, so focus and scroll stay where they are.
      const live = app.querySelector('.notice');
      if (live) live.textContent = notice;
      return;
    }
    default:
      return;
  }
  render();
});

render();
vscode.postMessage({ type: 'ready' });
