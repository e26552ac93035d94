// Webview layer (browser): renders a trace as a lane diagram. Imports only shared/ types; must not import vscode,
// node:* or the model. Every string from the manifests goes into the DOM through textContent (createTextNode),
// never innerHTML, so a pod named `<img src=x onerror=alert(1)>` is shown, not run.
import type { FromWebview, PanelState, ToWebview, TraceHop, TracePath, TraceRequest, TraceResult } from '../../shared/webview';
import { isRuleId } from '../../shared/rules';

interface VsCodeApi {
  postMessage(message: FromWebview): void;
  getState(): unknown;
  setState(state: PanelState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const app = document.getElementById('app') as HTMLElement;

let state: PanelState = restoreState(vscode.getState());
let status: { kind: 'idle' } | { kind: 'loading'; request: TraceRequest } | { kind: 'error'; message: string } = { kind: 'idle' };

function restoreState(raw: unknown): PanelState {
  const s = (typeof raw === 'object' && raw !== null ? raw : {}) as Partial<PanelState>;
  return {
    ...(s.request ? { request: s.request } : {}),
    ...(s.trace && Array.isArray(s.trace.paths) ? { trace: s.trace } : {}),
    tab: typeof s.tab === 'number' ? s.tab : 0,
    showReply: s.showReply === true,
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

// ---------------------------------------------------------------------------------------------
// Lanes: where the packet is. One column per place, of four kinds a network engineer would draw.

type LaneKind = 'client' | 'node' | 'overlay' | 'pod';
interface Lane {
  key: string;
  kind: LaneKind;
  label: string;
}

/** The lane a hop is drawn in. Encapsulation is drawn in the overlay lane: the packet is "in the tunnel". */
function laneOf(hop: TraceHop): Lane {
  if (hop.action === 'encap') return { key: 'overlay', kind: 'overlay', label: 'overlay (VXLAN)' };
  const at = hop.at;
  const colon = at.indexOf(':');
  const prefix = colon >= 0 ? at.slice(0, colon) : at;
  const name = colon >= 0 ? at.slice(colon + 1) : at;
  switch (prefix) {
    case 'pod':
      return { key: at, kind: 'pod', label: name };
    case 'node':
      return { key: at, kind: 'node', label: name };
    case 'ingress-controller':
      return { key: at, kind: 'pod', label: 'ingress controller' };
    case 'gateway':
      // GW-6: a Gateway's proxy is drawn like the ingress controller, as the pod the connection ends in.
      return { key: at, kind: 'pod', label: `gateway ${name}` };
    default:
      return { key: at, kind: 'client', label: name };
  }
}

function lanesFor(hopLists: TraceHop[][]): Lane[] {
  const seen = new Map<string, Lane>();
  for (const hops of hopLists) {
    for (const h of hops) {
      const l = laneOf(h);
      if (!seen.has(l.key)) seen.set(l.key, l);
    }
  }
  return [...seen.values()];
}

const NAT = new Set(['DNAT', 'SNAT']);

// ---------------------------------------------------------------------------------------------
// Rendering

function render(): void {
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
}

function header(req: TraceRequest): HTMLElement {
  const rerun = el('button', 'rerun', 'Re-run');
  rerun.title = 'Trace again on the current manifests';
  rerun.addEventListener('click', () => vscode.postMessage({ type: 'rerun', request: req }));
  return el('header', 'request', el('span', 'ref from', req.from), el('span', 'arrow-text', ' → '), el('span', 'ref to', req.to), req.port ? el('span', 'port', ` (${req.port})`) : null, rerun);
}

function verdictBanner(verdict: 'delivered' | 'dropped', reason: string | null, detail: string | undefined, id: string): HTMLElement {
  const banner = el(
    'div',
    `verdict ${verdict}`,
    el('span', 'verdict-word', verdict === 'delivered' ? '✓ delivered' : '✗ dropped'),
    reason ? el('span', 'reason', reason) : null,
    detail ? el('span', 'detail', detail) : null,
  );
  banner.id = id;
  return banner;
}

function traceView(trace: TraceResult): HTMLElement {
  const view = el('section', 'trace');
  const more = typeof trace.untracedPaths === 'number' && trace.untracedPaths > 0 ? ` (and ${trace.untracedPaths} more not drawn: one per node, workload and outcome is shown)` : '';
  view.appendChild(verdictBanner(trace.verdict, trace.reason, `${trace.paths.length} candidate path${trace.paths.length === 1 ? '' : 's'}${more}`, 'overall-verdict'));
  // TR-9: a mixed verdict says which entries work and which do not (textContent via el: no markup).
  if (trace.mixed) view.appendChild(el('p', 'mixed', `Only some paths deliver (TR-9): delivered ${trace.mixed.delivered.join(', ')}; dropped (${trace.mixed.reasons.join(', ')}) ${trace.mixed.dropped.join(', ')}.`));
  if (trace.paths.length === 0) {
    view.appendChild(el('p', 'empty', 'No path: nothing to forward to.'));
    return view;
  }
  const tab = Math.min(Math.max(state.tab, 0), trace.paths.length - 1);

  // One tab per candidate endpoint (kube-proxy load-balances over all of them).
  const tabs = el('div', 'tabs');
  tabs.setAttribute('role', 'tablist');
  trace.paths.forEach((p, i) => {
    const b = el('button', `tab ${p.verdict}`, p.verdict === 'delivered' ? '✓ ' : '✗ ', p.endpoint);
    b.setAttribute('role', 'tab');
    b.setAttribute('aria-selected', String(i === tab));
    b.addEventListener('click', () => {
      state = { ...state, tab: i };
      save();
      render();
    });
    tabs.appendChild(b);
  });
  view.appendChild(tabs);

  const path = trace.paths[tab] as TracePath;
  view.appendChild(pathView(path));
  return view;
}

function pathView(path: TracePath): HTMLElement {
  const box = el('div', 'path');
  box.setAttribute('role', 'tabpanel');
  const dropHop = path.hops.find((h) => h.action === 'drop' || h.action === 'policy');
  const why = path.verdict === 'dropped' && dropHop ? [dropHop.note, dropHop.rule && `(${dropHop.rule})`].filter(Boolean).join(' ') : undefined;
  box.appendChild(verdictBanner(path.verdict, path.reason, why, 'path-verdict'));

  const reply = path.reply ?? [];
  const lanes = lanesFor(state.showReply ? [path.hops, reply] : [path.hops]);
  box.appendChild(diagram('Request', path.hops, lanes, 'hops'));

  if (reply.length > 0) {
    const toggle = el('button', 'toggle-reply', state.showReply ? 'Hide reply path' : 'Show reply path');
    toggle.setAttribute('aria-expanded', String(state.showReply));
    toggle.addEventListener('click', () => {
      state = { ...state, showReply: !state.showReply };
      save();
      render();
    });
    box.appendChild(toggle);
    if (state.showReply) box.appendChild(diagram('Reply', reply, lanes, 'reply-hops'));
  }
  return box;
}

function diagram(title: string, hops: TraceHop[], lanes: Lane[], id: string): HTMLElement {
  const index = new Map(lanes.map((l, i) => [l.key, i] as const));
  const grid = el('div', 'lanes');
  grid.id = id;
  // Column sizes through the CSSOM (allowed by the CSP, unlike a style attribute).
  grid.style.gridTemplateColumns = `repeat(${lanes.length}, var(--lane-width)) minmax(12rem, 1fr)`;
  // Lanes narrow down with the panel so the hop details keep at least 16rem (see --lane-width in panel.css).
  grid.style.setProperty('--lanes', String(lanes.length));

  lanes.forEach((l, i) => {
    const h = el('div', `lane-head ${l.kind}`, el('span', 'lane-kind', l.kind), el('span', 'lane-name', l.label));
    h.title = l.key;
    h.style.gridColumn = String(i + 1);
    h.style.gridRow = '1';
    grid.appendChild(h);
  });
  const detailHead = el('div', 'detail-head', title);
  detailHead.style.gridColumn = String(lanes.length + 1);
  detailHead.style.gridRow = '1';
  grid.appendChild(detailHead);

  let prevLane: number | undefined;
  let prev: TraceHop | undefined;
  hops.forEach((hop, i) => {
    const row = i + 2;
    const lane = index.get(laneOf(hop).key) ?? 0;
    for (let j = 0; j < lanes.length; j++) {
      const cell = el('div', `lane-cell ${(lanes[j] as Lane).kind}${j === lane ? ' here' : ''}${j === lane && hop.action === 'drop' ? ' dropped' : ''}`);
      cell.style.gridColumn = String(j + 1);
      cell.style.gridRow = String(row);
      grid.appendChild(cell);
    }
    if (prevLane !== undefined && prevLane !== lane) {
      const a = el('div', `arrow ${lane > prevLane ? 'ltr' : 'rtl'}${NAT.has(hop.action) ? ' nat' : ''}`);
      a.style.gridColumn = `${Math.min(prevLane, lane) + 1} / ${Math.max(prevLane, lane) + 2}`;
      a.style.gridRow = String(row);
      grid.appendChild(a);
    }
    const d = hopDetail(hop, prev, i);
    d.style.gridColumn = String(lanes.length + 1);
    d.style.gridRow = String(row);
    grid.appendChild(d);
    prevLane = lane;
    prev = hop;
  });
  return el('div', 'diagram', grid);
}

/** Several policies decided the hop: each name opens its own manifest (the hop itself opens the first). */
function policyLinks(sources: NonNullable<TraceHop['policySources']>): HTMLElement {
  const links = sources.map(({ policy, location }) => linkChip('rule policy-link', policy, `Open NetworkPolicy ${policy}`, () => vscode.postMessage({ type: 'open', location })));
  return el('span', 'policies', ...links);
}

/** A hop's rule: a rule id opens its section of docs/rules.md; a policy name stays text (the hop opens the policy). */
function ruleChip(rule: string): HTMLElement {
  if (!isRuleId(rule)) return el('span', 'rule', rule);
  return linkChip('rule rule-link', rule, `Open rule ${rule} in docs/rules.md`, () => vscode.postMessage({ type: 'openRule', rule }));
}

/** A keyboard-reachable link inside a hop row: click, Enter or Space runs `open`, not the row's own click. */
function linkChip(className: string, text: string, title: string, open: () => void): HTMLElement {
  const a = el('span', className, text);
  a.tabIndex = 0;
  a.setAttribute('role', 'link');
  a.title = title;
  const run = (e: Event) => {
    e.stopPropagation(); // not the hop's own click, which opens the manifest
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

/** One hop's facts. On DNAT/SNAT the rewritten address is highlighted, with what it was before. */
function hopDetail(hop: TraceHop, prev: TraceHop | undefined, i: number): HTMLElement {
  const nat = NAT.has(hop.action);
  const addr = (value: string, before: string | undefined, cls: string) => {
    const rewritten = nat && before !== undefined && before !== value;
    const span = el('span', `addr ${cls}${rewritten ? ' rewritten' : ''}`, value || '—');
    if (rewritten) span.title = `was ${before}`;
    return rewritten ? el('span', 'addr-wrap', span, el('span', 'was', `was ${before}`)) : span;
  };
  const d = el(
    'div',
    `hop action-${hop.action.replace(/[^A-Za-z]/g, '')}${hop.source ? ' has-source' : ''}`,
    el('span', 'hop-no', `${i + 1}`),
    el('span', 'action', hop.action),
    el('span', 'at', hop.at),
    hop.iface ? el('span', 'iface', hop.iface) : null,
    el('div', 'packet', addr(hop.src, prev?.src, 'src'), el('span', 'arrow-text', ' → '), addr(hop.dst, prev?.dst, 'dst')),
    hop.note ? el('div', 'note', hop.note) : null,
    hop.policySources && hop.policySources.length > 1 ? policyLinks(hop.policySources) : hop.rule ? ruleChip(hop.rule) : null,
  );
  d.dataset['hop'] = String(i);
  const source = hop.source;
  if (source) {
    d.tabIndex = 0;
    d.setAttribute('role', 'button');
    d.title = 'Open the manifest behind this hop';
    const open = () => vscode.postMessage({ type: 'open', location: source });
    d.addEventListener('click', open);
    d.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        open();
      }
    });
  }
  return d;
}

// ---------------------------------------------------------------------------------------------

window.addEventListener('message', (event: MessageEvent<ToWebview>) => {
  const m = event.data;
  switch (m.type) {
    case 'loading':
      status = { kind: 'loading', request: m.request };
      break;
    case 'trace': {
      // Same request again (re-run after an edit): keep the selected tab and reply toggle.
      const same = state.request?.from === m.request.from && state.request?.to === m.request.to;
      state = { request: m.request, trace: m.trace, tab: same ? state.tab : 0, showReply: same ? state.showReply : false };
      status = { kind: 'idle' };
      save();
      break;
    }
    case 'error':
      state = { request: m.request, tab: 0, showReply: false };
      status = { kind: 'error', message: m.message };
      save();
      break;
    default:
      return;
  }
  render();
});

render();
vscode.postMessage({ type: 'ready' });
