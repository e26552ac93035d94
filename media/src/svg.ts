// Webview layer (browser): draws a Layout (topology.ts) as SVG with DOM APIs, and exports it as a standalone
// SVG file. Imports only shared/ types and the pure layout; must not import vscode, node:* or the model. Text
// goes in through textContent only; colours come from CSS classes (panel.css, var(--vscode-*)), so a theme
// change recolours the picture without a re-render, and the export resolves them into attributes.
import type { Arrow, Box, Layout } from './topology';
import { FONT } from './topology';

const NS = 'http://www.w3.org/2000/svg';
const LINE = 16;

type Attrs = Record<string, string | number>;
function s<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (SVGElement | null | undefined)[]): SVGElementTagNameMap[K] {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  for (const c of children) if (c) e.appendChild(c);
  return e;
}

function text(x: number, y: number, content: string, cls: string, attrs: Attrs = {}): SVGTextElement {
  const t = s('text', { x, y, class: cls, ...attrs });
  t.textContent = content;
  return t;
}

function title(content: string): SVGTitleElement {
  const t = s('title');
  t.textContent = content;
  return t;
}

const pts = (p: [number, number][]) => p.map(([x, y]) => `${Math.round(x * 10) / 10},${Math.round(y * 10) / 10}`).join(' ');

function marker(id: string, cls: string): SVGMarkerElement {
  return s(
    'marker',
    { id, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse', class: cls },
    s('path', { d: 'M0,0 L10,5 L0,10 z' }),
  );
}

function boxEl(b: Box): SVGGElement {
  const g = s('g', { class: `box ${b.cls}${b.idle ? ' idle' : ''}` }, title(b.title));
  g.appendChild(s('rect', { x: b.x, y: b.y, width: b.w, height: b.h, rx: b.cls === 'node' ? 6 : 3 }));
  b.lines.forEach((l, i) => {
    const y = b.cls === 'node' ? b.y + 16 : b.y + (b.lines.length === 1 ? b.h / 2 + FONT / 2 - 2 : 14 + i * 15);
    g.appendChild(text(b.x + 6, y, l, i === 0 ? 'name' : 'sub'));
  });
  return g;
}

function arrowKind(a: Arrow): string {
  return a.dropped ? 'drop' : a.reply ? 'reply' : a.vxlan ? 'vxlan' : a.nat ? 'nat' : 'req';
}

function arrowTitle(a: Arrow): SVGTitleElement {
  return title(`${a.reply ? 'reply ' : ''}hop ${a.hop}${a.dropped ? ' (dropped)' : ''}${a.label ? `: ${a.label.title}` : ''}`);
}

/** The line of an arrow (drawn under every badge and label, so no line crosses a label). */
function arrowLine(a: Arrow): SVGGElement {
  const kind = arrowKind(a);
  return s('g', { class: `arrow ${kind}`, 'data-hop': a.hop }, arrowTitle(a), s('polyline', { points: pts(a.points), 'marker-end': `url(#m-${kind})` }));
}

/** The arrow's number and its label (rewrites old → new, the VXLAN tunnel). */
function arrowMarks(a: Arrow): SVGGElement {
  const g = s('g', { class: `arrow ${arrowKind(a)} marks` }, arrowTitle(a));
  const [bx, by] = a.badge;
  g.appendChild(s('circle', { cx: bx, cy: by, r: 8, class: 'badge' }));
  g.appendChild(text(bx, by + 4, `${a.reply ? 'r' : ''}${a.hop}`, 'badge-text', { 'text-anchor': 'middle' }));
  if (a.label) {
    const { x, y, lines, w } = a.label;
    g.appendChild(s('rect', { x: x - 3, y: y - 1, width: w, height: lines.length * LINE + 3, rx: 2, class: 'label-bg' }));
    lines.forEach((l, i) => g.appendChild(text(x, y + 12 + i * LINE, l, 'label')));
  }
  return g;
}

/** The picture of one path, `caption` its accessible name. */
export function renderPicture(lay: Layout, caption: string): SVGSVGElement {
  const svg = s('svg', {
    width: lay.width,
    height: lay.height,
    viewBox: `0 0 ${lay.width} ${lay.height}`,
    class: `topo ${lay.orientation}`,
    role: 'img',
    'font-size': FONT,
  });
  svg.appendChild(title(caption));
  svg.appendChild(
    s('defs', {}, marker('m-req', 'req'), marker('m-reply', 'reply'), marker('m-nat', 'nat'), marker('m-vxlan', 'vxlan'), marker('m-drop', 'drop')),
  );
  for (const b of lay.boxes.filter((x) => x.cls === 'node')) svg.appendChild(boxEl(b));
  if (lay.overlay) {
    svg.appendChild(
      s(
        'g',
        { class: 'overlay' },
        title('the VXLAN overlay between the nodes (flannel.1, UDP/8472)'),
        s('polyline', { points: pts(lay.overlay.points) }),
        text(lay.overlay.label[0], lay.overlay.label[1], 'VXLAN overlay', 'overlay-label', {
          'text-anchor': lay.orientation === 'wide' ? 'middle' : 'start',
          ...(lay.orientation === 'wide' ? {} : { transform: `rotate(-90 ${lay.overlay.label[0]} ${lay.overlay.label[1]})` }),
        }),
      ),
    );
  }
  for (const b of lay.boxes.filter((x) => x.cls !== 'node')) svg.appendChild(boxEl(b));
  for (const c of lay.checks) {
    svg.appendChild(
      s(
        'g',
        { class: `check ${c.allowed ? 'allowed' : 'denied'}` },
        title(c.title),
        s('rect', { x: c.x - 12, y: c.y, width: 20, height: 12, rx: 2 }),
        text(c.x - 2, c.y + 10, 'NP', 'check-text', { 'text-anchor': 'middle', 'font-size': 9 }),
      ),
    );
  }
  for (const a of lay.arrows) svg.appendChild(arrowLine(a));
  for (const a of lay.arrows) svg.appendChild(arrowMarks(a));
  if (lay.drop) {
    const d = lay.drop;
    const g = s('g', { class: 'drop-note' }, title(`hop ${d.hop}: dropped — ${d.why}`));
    d.lines.forEach((l, i) => g.appendChild(text(d.x, d.y + 12 + i * LINE, l, i === 0 ? 'drop-head' : 'drop-why')));
    svg.appendChild(g);
  }
  return svg;
}

/** Computed properties written into the exported file, where no stylesheet and no theme variables exist. */
const EXPORTED = [
  'fill',
  'stroke',
  'stroke-width',
  'stroke-dasharray',
  'stroke-opacity',
  'fill-opacity',
  'opacity',
  'font-family',
  'font-size',
  'font-weight',
] as const;

/**
 * A standalone copy of the drawn picture: every element's computed colours and fonts written as attributes
 * (the file has no VS Code theme), on the panel's background, classes and ids of the page dropped.
 */
export function exportSvg(drawn: SVGSVGElement): string {
  const copy = drawn.cloneNode(true) as SVGSVGElement;
  const src = [drawn, ...Array.from(drawn.querySelectorAll('*'))];
  const dst = [copy, ...Array.from(copy.querySelectorAll('*'))];
  src.forEach((from, i) => {
    const to = dst[i];
    if (!to || from instanceof SVGTitleElement) return;
    const cs = getComputedStyle(from);
    for (const p of EXPORTED) {
      const v = cs.getPropertyValue(p);
      if (v) to.setAttribute(p, v);
    }
    to.removeAttribute('class');
  });
  const bg = getComputedStyle(document.body).backgroundColor;
  copy.insertBefore(s('rect', { x: 0, y: 0, width: '100%', height: '100%', fill: bg || '#ffffff' }), copy.children[1] ?? null);
  copy.removeAttribute('role');
  const out = new XMLSerializer().serializeToString(copy);
  // XMLSerializer writes the namespace first for an element made with createElementNS; make sure of it.
  return out.startsWith(`<svg xmlns="${NS}"`) ? out : out.replace(/^<svg/, `<svg xmlns="${NS}"`);
}
