// Webview layer, pure part: turns one candidate path of a trace into a picture an engineer would draw — the
// outside client, each node as a box holding eth0/flannel.1/cni0 and the pods the path touches, the VXLAN
// overlay between nodes, the packet's path as numbered arrows with every rewrite labelled old → new.
// Imports only shared/ types; no DOM (the unit tests run it in node), no vscode, no model. Geometry is in CSS
// pixels for a monospace font of FONT px (CHAR px per character), so text is measured without a DOM.
import type { HopSubject, TraceHop, TraceNode, TracePath } from '../../shared/trace';

export const FONT = 12;
export const CHAR = 7.2;
const LINE = 16;

// ---------------------------------------------------------------------------------------------
// Scene: what is in the picture (places and moves), before any geometry.

export type Iface = 'eth0' | 'flannel.1' | 'cni0';
export const IFACES: readonly Iface[] = ['eth0', 'flannel.1', 'cni0'];

/** A place a packet can be: an interface of a node, a pod (on a node), or something outside the cluster. */
export type Anchor =
  | { kind: 'iface'; node: string; iface: Iface }
  /** `controller`: the pod proxies (an ingress controller, or the proxy of `gateway`, a Gateway's `NS/NAME`, GW-6). */
  | { kind: 'pod'; node: string; id: string; controller: boolean; gateway?: string }
  | { kind: 'outside'; id: string; what: 'host' | 'load-balancer' | 'ingress-controller' | 'gateway' };

export function anchorKey(a: Anchor): string {
  return a.kind === 'iface' ? `iface|${a.node}|${a.iface}` : a.kind === 'pod' ? `pod|${a.id}` : `outside|${a.what}|${a.id}`;
}

export interface Rewrite {
  /** DNAT / SNAT on the way there; un-DNAT / un-SNAT where conntrack undoes them on the reply. */
  kind: 'DNAT' | 'SNAT' | 'un-DNAT' | 'un-SNAT';
  old: string;
  new: string;
  hop: number;
}

export interface Move {
  from: string;
  to: string;
  /** 1-based number of the hop at which the packet arrives: the same number as in the hop table. */
  hop: number;
  reply: boolean;
  rewrites: Rewrite[];
  /** Through the VXLAN overlay (encap on one node, decap on the other, TR-2). */
  vxlan?: { from: string; to: string };
  /** The packet is dropped where this move arrives. */
  dropped: boolean;
}

export interface Scene {
  anchors: Map<string, Anchor>;
  /** Node names in the order the picture draws them (the order of the trace's node list, then first use). */
  nodes: string[];
  moves: Move[];
  /** The anchor where the packet was dropped, with the hop number and why. */
  drop?: { anchor: string; hop: number; why: string };
  /** A NetworkPolicy decided at this anchor (a policy hop): drawn as a shield mark. */
  checks: { anchor: string; hop: number; allowed: boolean; policies: string[] }[];
}

/** The interface a node-side hop is drawn at. `veth` plugs into the cni0 bridge; `lo`/`dns` are the node itself, drawn at eth0. */
function ifaceOf(hop: TraceHop): Iface {
  if (hop.action === 'encap') return 'flannel.1'; // the VXLAN device encapsulates; the outer packet then leaves eth0
  if (hop.iface === 'flannel.1') return 'flannel.1';
  if (hop.iface === 'cni0' || hop.iface === 'veth') return 'cni0';
  return 'eth0';
}

/** Where a hop is drawn, from its structured subject (issue 9: never from `at`). */
export function anchorOf(hop: TraceHop): Anchor {
  const s: HopSubject = hop.subject;
  switch (s.kind) {
    case 'node':
      return { kind: 'iface', node: s.id, iface: ifaceOf(hop) };
    case 'pod':
      return s.node ? { kind: 'pod', node: s.node, id: s.id, controller: false } : { kind: 'outside', id: s.id, what: 'host' };
    case 'ingress-controller':
      return s.id && s.node
        ? { kind: 'pod', node: s.node, id: s.id, controller: true }
        : { kind: 'outside', id: s.id || 'ingress controller', what: 'ingress-controller' };
    case 'gateway':
      // GW-6: drawn like the ingress controller: in its pod when the files hold one, else as a box outside.
      return s.node ? { kind: 'pod', node: s.node, id: `gateway ${s.id}`, controller: true } : { kind: 'outside', id: s.id, what: 'gateway' };
    case 'load-balancer':
      return { kind: 'outside', id: s.id, what: 'load-balancer' };
    default:
      return { kind: 'outside', id: s.id, what: 'host' };
  }
}

/** The rewrite a NAT hop made, from the packet before it (the previous hop) and after it. */
function rewriteOf(hop: TraceHop, before: TraceHop | undefined, n: number, reply: boolean): Rewrite | undefined {
  if ((hop.action !== 'DNAT' && hop.action !== 'SNAT') || !before) return undefined;
  const dnat = hop.action === 'DNAT';
  const old = dnat ? before.dst : before.src;
  const now = dnat ? hop.dst : hop.src;
  if (old === now) return undefined;
  // On the reply, conntrack's DNAT undoes the SNAT and its SNAT undoes the DNAT (TR-5).
  const kind = reply ? (dnat ? 'un-SNAT' : 'un-DNAT') : hop.action;
  return { kind, old, new: now, hop: n };
}

/** Policies named by a hop: its structured list. */
function policiesOf(hop: TraceHop): string[] {
  return hop.policies ?? [];
}

function dropWhy(hop: TraceHop, reason: string | null): string {
  const p = policiesOf(hop);
  if (p.length) return `denied by NetworkPolicy ${p.join(', ')}`;
  return reason ?? 'dropped';
}

/**
 * The scene of one path (and its reply when `withReply`). A `policy` hop is a check where the packet is,
 * not a move; a NAT hop that happens where the packet already is labels the next move out (or the
 * last one in, when the packet goes no further).
 */
export function sceneOf(path: TracePath, nodes: readonly TraceNode[] | undefined, withReply: boolean): Scene {
  const anchors = new Map<string, Anchor>();
  const order: string[] = [];
  const scene: Scene = { anchors, nodes: [], moves: [], checks: [] };
  const use = (a: Anchor): string => {
    const k = anchorKey(a);
    // The controller's pod is one place whether a hop calls it a pod or the ingress controller (TR-8).
    const had = anchors.get(k);
    if (!had || (a.kind === 'pod' && a.controller && had.kind === 'pod' && !had.controller)) anchors.set(k, a);
    if (a.kind !== 'outside' && !order.includes(a.node)) order.push(a.node);
    return k;
  };
  const walk = (hops: TraceHop[], reply: boolean) => {
    let here: string | undefined;
    let pending: Rewrite[] = [];
    let lastMove: Move | undefined;
    let encapFrom: string | undefined;
    let checkAt: string | undefined;
    hops.forEach((hop, i) => {
      const n = i + 1;
      const rw = rewriteOf(hop, hops[i - 1], n, reply);
      if (hop.action === 'policy') {
        // A check, not a move: drawn where the policy applies (the destination pod for ingress, the sender's node for egress).
        checkAt = use(anchorOf(hop));
        scene.checks.push({ anchor: checkAt, hop: n, allowed: true, policies: policiesOf(hop) });
        return;
      }
      // GW-6: the Gateway proxies in the pod the packet was just delivered to (its subject names the Gateway,
      // not the pod): one box, the pod's, marked as the Gateway's proxy.
      const inPod = here !== undefined ? anchors.get(here) : undefined;
      if (hop.subject.kind === 'gateway' && inPod?.kind === 'pod' && inPod.node === hop.subject.node) {
        anchors.set(here as string, { ...inPod, controller: true, gateway: hop.subject.id });
      }
      let at = hop.subject.kind === 'gateway' && inPod?.kind === 'pod' && inPod.node === hop.subject.node ? (here as string) : use(anchorOf(hop));
      // Denied on the way into a pod (NP-5): the packet got as far as the pod's veth; draw the blocked last step to the pod.
      if (hop.action === 'drop' && hop.policies?.length && checkAt && checkAt !== here) at = checkAt;
      if (hop.action === 'encap') encapFrom = hop.subject.node ?? hop.subject.id;
      if (here !== undefined && at !== here) {
        const move: Move = { from: here, to: at, hop: n, reply, rewrites: [...pending, ...(rw ? [rw] : [])], dropped: hop.action === 'drop' };
        if (hop.action === 'decap' && encapFrom) move.vxlan = { from: encapFrom, to: hop.subject.node ?? hop.subject.id };
        scene.moves.push(move);
        lastMove = move;
        pending = [];
      } else if (rw) {
        pending.push(rw);
      }
      here = at;
      if (hop.action === 'drop' && !reply) {
        scene.drop = { anchor: at, hop: n, why: dropWhy(hop, path.reason) };
        // A check that decided the drop was a denial.
        for (const c of scene.checks)
          if (c.anchor === at || policiesOf(hop).some((p) => c.policies.includes(p)))
            c.allowed = c.allowed && !policiesOf(hop).some((p) => c.policies.includes(p));
      }
    });
    if (pending.length && lastMove) lastMove.rewrites.push(...pending);
  };
  walk(path.hops, false);
  if (withReply && path.reply) walk(path.reply, true);
  // Nodes in the trace's order (node1, node2, …), then any the hops name that the list lacks.
  const listed = (nodes ?? []).map((x) => x.name).filter((x) => order.includes(x));
  scene.nodes = [...listed, ...order.filter((x) => !listed.includes(x))];
  return scene;
}

// ---------------------------------------------------------------------------------------------
// Text that fits.

/**
 * `name` shortened to at most `max` characters: first dropping whole middle segments of a generated pod
 * name (`redis-84d9cf6d4d-4bmhd` → `redis-…-4bmhd`), else cutting characters out of the middle.
 */
export function fitName(name: string, max: number): string {
  if (name.length <= max) return name;
  if (max <= 1) return '…';
  const parts = name.split('-');
  if (parts.length >= 3) {
    const short = `${parts[0]}-…-${parts[parts.length - 1]}`;
    if (short.length <= max) return short;
  }
  const keep = max - 1;
  const head = Math.ceil(keep / 2);
  return `${name.slice(0, head)}…${name.slice(name.length - (keep - head))}`;
}

/** Characters of FONT-px monospace text that fit in `px`. */
export function charsIn(px: number): number {
  return Math.max(1, Math.floor(px / CHAR));
}

// ---------------------------------------------------------------------------------------------
// Layout: geometry in CSS pixels.

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** A drawn box: a node, an interface chip, a pod, an outside place. `lines` are already fitted to the box. */
export interface Box extends Rect {
  key: string;
  cls: 'node' | 'iface' | 'pod' | 'controller' | 'outside';
  lines: string[];
  /** The whole text, for the <title> (names are truncated in the picture). */
  title: string;
  /** Drawn faint: an interface the path does not use. */
  idle?: boolean;
}

export interface Arrow {
  points: [number, number][];
  hop: number;
  reply: boolean;
  vxlan: boolean;
  nat: boolean;
  dropped: boolean;
  /** Where the number is drawn. */
  badge: [number, number];
  /** Label lines (rewrites, VXLAN) and their top-left; `title` is the whole label. */
  label?: { x: number; y: number; lines: string[]; title: string; w: number };
}

export interface Layout {
  width: number;
  height: number;
  orientation: 'wide' | 'narrow';
  boxes: Box[];
  arrows: Arrow[];
  /** The VXLAN overlay: a band joining the nodes' flannel.1 chips. */
  overlay: { points: [number, number][]; label: [number, number] } | null;
  drop?: { x: number; y: number; hop: number; why: string; lines: string[] };
  checks: { x: number; y: number; hop: number; allowed: boolean; title: string }[];
}

const PAD = 8;
const SLOT_H = 24;
const POD_H = 36;
const SLOT_GAP = 14;
const HEAD_H = 24;
const OUT_W = 140;
const GAP_WIDE = 140;
const GAP_NARROW = 56;
/** The drop note under the slot where the packet is dropped: a head line and up to three lines of why. */
const DROP_NOTE_H = 4 * LINE;
const LANE = 8;
const LANES = 4;
/** From a slot's right edge to where labels beside the lanes start. */
const LABEL_OFF = 10 + LANES * LANE + 4;
/** A stacked picture is never wider than this, however wide the panel. */
const NARROW_MAX = 620;

/** Width of the node box's slots (chips and pods); right of them is the channel for arrows and their labels. */
function slotWidth(width: number, wide: boolean): number {
  return wide ? 170 : Math.max(104, Math.min(200, Math.floor((Math.min(width, NARROW_MAX) - 2 * PAD) * 0.38)));
}
const CHANNEL_W = 190;

/** The width a wide (left-to-right) picture needs for these nodes; narrower panels get the stacked picture. */
export function wideWidth(scene: Scene): number {
  const hasOutside = [...scene.anchors.values()].some((a) => a.kind === 'outside');
  const nodeW = slotWidth(0, true) + CHANNEL_W + 2 * PAD;
  return 2 * PAD + (hasOutside ? OUT_W + GAP_WIDE : 0) + scene.nodes.length * nodeW + Math.max(0, scene.nodes.length - 1) * GAP_WIDE;
}

/** `DNAT 10.0.0.1:31017` / `→ 10.42.1.219:6379`, or three lines when two do not fit. */
function rewriteLines(r: Rewrite, room: number): string[] {
  const first = `${r.kind} ${r.old}`;
  const to = `→ ${r.new}`.length <= room ? `→ ${r.new}` : `→${r.new}`;
  if (first.length <= room) return [first, fitName(to, room)];
  return [r.kind, fitName(r.old, room), fitName(to, room)];
}

function labelOf(m: Move, room: number): { lines: string[]; title: string } | undefined {
  const lines: string[] = [];
  const whole: string[] = [];
  if (m.vxlan) {
    lines.push(fitName(`VXLAN ${m.vxlan.from}→${m.vxlan.to}`, room));
    whole.push(`VXLAN ${m.vxlan.from} → ${m.vxlan.to} (UDP/8472)`);
  }
  for (const r of m.rewrites) {
    lines.push(...rewriteLines(r, room));
    whole.push(`${r.kind} ${r.old} → ${r.new}`);
  }
  if (lines.length === 0) return undefined;
  return { lines: lines.map((l) => fitName(l, room)), title: whole.join('; ') };
}

/** Badges closer than this cover each other (two circles of radius 8). */
const BADGE_APART = 17;

/** The point of `run` nearest its middle at least BADGE_APART from every placed badge, if any. */
function freeSpot(run: [[number, number], [number, number]], placed: readonly [number, number][]): [number, number] | undefined {
  const [[x1, y1], [x2, y2]] = run;
  for (let k = 0; k <= 20; k++) {
    const t = 0.5 + (k % 2 ? 1 : -1) * Math.ceil(k / 2) * 0.05;
    const p: [number, number] = [x1 + (x2 - x1) * t, y1 + (y2 - y1) * t];
    if (placed.every(([x, y]) => Math.hypot(x - p[0], y - p[1]) >= BADGE_APART)) return p;
  }
  return undefined;
}

/** Pushes labels sharing a column down until none overlaps the one above it. */
function unclutter(labels: { x: number; y: number; lines: string[] }[]): void {
  const cols = new Map<number, { x: number; y: number; lines: string[] }[]>();
  for (const l of labels) {
    const k = Math.round(l.x / 40);
    cols.set(k, [...(cols.get(k) ?? []), l]);
  }
  for (const col of cols.values()) {
    col.sort((a, b) => a.y - b.y);
    for (let i = 1; i < col.length; i++) {
      const above = col[i - 1]!;
      const bottom = above.y + above.lines.length * LINE + 4;
      if (col[i]!.y < bottom) col[i]!.y = bottom;
    }
  }
}

/**
 * Lays the scene out for a panel `width` px wide: left to right when it fits (outside, node1, node2, … with
 * the overlay between them), else stacked top to bottom with the arrows routed down the right-hand side.
 */
export function layout(scene: Scene, nodeInfo: readonly TraceNode[] | undefined, width: number): Layout {
  const wide = width >= wideWidth(scene);
  const info = new Map((nodeInfo ?? []).map((n) => [n.name, n] as const));
  const boxes: Box[] = [];
  const slot = new Map<string, Rect>();
  const boxOfAnchor = new Map<string, Box>();
  const outside = [...scene.anchors.entries()].filter(([, a]) => a.kind === 'outside');
  const sw = slotWidth(width, wide);
  const nodeW = wide ? sw + CHANNEL_W + 2 * PAD : Math.max(sw + 2 * PAD, Math.min(width, NARROW_MAX) - 2 * PAD);
  const room = charsIn(sw - 12);

  const placeSlot = (key: string, r: Rect, parent: Box) => {
    slot.set(key, r);
    boxOfAnchor.set(key, parent);
  };

  // Outside places: a column on the left (wide) or a row of boxes on top (narrow).
  let x = PAD;
  let y = PAD;
  const outW = wide ? OUT_W : sw;
  outside.forEach(([key, a], i) => {
    if (a.kind !== 'outside') return;
    const what =
      a.what === 'load-balancer'
        ? 'load balancer'
        : a.what === 'ingress-controller'
          ? 'ingress controller'
          : a.what === 'gateway'
            ? 'gateway'
            : i === 0
              ? 'client'
              : 'host';
    const r: Box = {
      key,
      cls: 'outside',
      x,
      y: y + i * (POD_H + SLOT_GAP),
      w: outW,
      h: POD_H,
      lines: [fitName(what, charsIn(outW - 12)), fitName(a.id, charsIn(outW - 12))],
      title: `${what} ${a.id} (${a.what === 'gateway' ? 'its proxy pods are not in the files' : 'outside the cluster'})`,
    };
    boxes.push(r);
    placeSlot(key, r, r);
  });
  const outsideH = outside.length ? outside.length * (POD_H + SLOT_GAP) - SLOT_GAP : 0;
  if (outside.length) {
    if (wide) x += OUT_W + GAP_WIDE;
    else y += outsideH + GAP_NARROW;
  }

  // Node boxes: a header, the three interface chips, then the pods the path touches.
  const nodeBoxes: Box[] = [];
  for (const name of scene.nodes) {
    const n = info.get(name);
    const pods = [...scene.anchors.entries()].filter(([, a]) => a.kind === 'pod' && a.node === name);
    const used = new Set([...scene.anchors.values()].filter((a) => a.kind === 'iface' && a.node === name).map((a) => (a.kind === 'iface' ? a.iface : '')));
    // Chips hold `eth0 10.0.0.1` on one line, or the name over the address when the slot is too narrow.
    const chipText = (iface: Iface) => `${iface} ${n ? (iface === 'eth0' ? n.internalIP : iface === 'flannel.1' ? n.overlayIP : n.bridgeIP) : ''}`.trim();
    const chipH = IFACES.every((f) => chipText(f).length <= room) ? SLOT_H : POD_H;
    // Room under the slots for the drop note when the packet is dropped in this node.
    const dropHere = scene.drop
      ? (() => {
          const d = scene.anchors.get(scene.drop.anchor);
          return !!d && d.kind !== 'outside' && d.node === name;
        })()
      : false;
    const h = HEAD_H + IFACES.length * (chipH + SLOT_GAP) + pods.length * (POD_H + SLOT_GAP) + PAD + (dropHere ? DROP_NOTE_H : 0);
    const box: Box = {
      key: `node|${name}`,
      cls: 'node',
      x,
      y,
      w: nodeW,
      h,
      lines: [
        fitName(wide ? `node ${name}${n ? ` · ${n.podCIDR}` : ''}` : `${name}${n ? ` ${n.podCIDR}` : ''}`, charsIn(wide ? nodeW - 16 : sw + LABEL_OFF - 8)),
      ],
      title: `node ${name}${n ? ` (eth0 ${n.internalIP}, pod CIDR ${n.podCIDR})` : ''}`,
    };
    boxes.push(box);
    nodeBoxes.push(box);
    let sy = y + HEAD_H;
    for (const iface of IFACES) {
      const addr = n ? (iface === 'eth0' ? n.internalIP : iface === 'flannel.1' ? n.overlayIP : n.bridgeIP) : '';
      const key = anchorKey({ kind: 'iface', node: name, iface });
      const text = chipText(iface);
      const lines = chipH === SLOT_H ? [text] : addr ? [iface, fitName(addr, room)] : [iface];
      const chip: Box = {
        key,
        cls: 'iface',
        x: x + PAD,
        y: sy,
        w: sw,
        h: chipH,
        lines,
        title: `${name} ${iface}${addr ? ` ${addr}` : ''}`,
        idle: !used.has(iface),
      };
      boxes.push(chip);
      placeSlot(key, chip, box);
      sy += chipH + SLOT_GAP;
    }
    for (const [key, a] of pods) {
      if (a.kind !== 'pod') continue;
      const slash = a.id.indexOf('/');
      const [ns, podName] = slash >= 0 ? [a.id.slice(0, slash), a.id.slice(slash + 1)] : ['', a.id];
      const role = a.gateway ? `gateway ${a.gateway}` : a.controller ? (room >= 18 ? 'ingress controller' : 'controller') : ns;
      const what = a.gateway ? ` (proxy of Gateway ${a.gateway})` : a.controller ? ' (ingress controller)' : '';
      const p: Box = {
        key,
        cls: a.controller ? 'controller' : 'pod',
        x: x + PAD,
        y: sy,
        w: sw,
        h: POD_H,
        lines: [fitName(podName, room), fitName(role, room)],
        title: `pod ${a.id}${what}`,
      };
      boxes.push(p);
      placeSlot(key, p, box);
      sy += POD_H + SLOT_GAP;
    }
    if (wide) x += nodeW + GAP_WIDE;
    else y += h + GAP_NARROW;
  }

  // Arrows. Same box (or stacked picture): out of the slot's right edge into a lane of the box's channel,
  // along it, back into the other slot; labels in the channel beside the lane. Between boxes side by side:
  // a straight run across the gap, the label below its middle.
  const arrows: Arrow[] = [];
  const labels: { x: number; y: number; lines: string[] }[] = [];
  const pairCount = new Map<string, number>();
  const placed: [number, number][] = [];
  /** Lanes used so far in each channel (a node box's, or the one channel of the stacked picture). */
  const lanes = new Map<string, number>();
  for (const m of scene.moves) {
    const a = slot.get(m.from);
    const b = slot.get(m.to);
    const pa = boxOfAnchor.get(m.from);
    const pb = boxOfAnchor.get(m.to);
    if (!a || !b || !pa || !pb) continue;
    const pair = [m.from, m.to].sort().join('>');
    const nth = pairCount.get(pair) ?? 0;
    pairCount.set(pair, nth + 1);
    const off = nth * 6;
    const ay = a.y + a.h / 2 + off;
    const by = b.y + b.h / 2 + off;
    const sameBox = pa === pb;
    let points: [number, number][];
    let badge: [number, number];
    /** The stretch of the arrow its number may sit on. */
    let run: [[number, number], [number, number]];
    let labelAt: [number, number];
    let labelRoom: number;
    if (wide && !sameBox) {
      const right = b.x > a.x;
      const x1 = right ? pa.x + pa.w : pa.x;
      const x2 = right ? pb.x : pb.x + pb.w;
      points = [
        [right ? a.x + a.w : a.x, ay],
        [x1, ay],
        [x2, by],
        [right ? b.x : b.x + b.w, by],
      ];
      run = [
        [x1, ay],
        [x2, by],
      ];
      badge = [(x1 + x2) / 2, (ay + by) / 2];
      labelRoom = charsIn(GAP_WIDE - 10);
      labelAt = [Math.min(x1, x2) + 5, (ay + by) / 2 + 12];
    } else {
      // Into the channel right of the slots: the lane nearest the slots first, one lane per arrow.
      const slotsRight = Math.max(a.x + a.w, b.x + b.w);
      const channel = wide ? pa.key : 'stack';
      const lane = lanes.get(channel) ?? 0;
      lanes.set(channel, lane + 1);
      const chanX = slotsRight + 10 + (lane % LANES) * LANE;
      points = [
        [a.x + a.w, ay],
        [chanX, ay],
        [chanX, by],
        [b.x + b.w, by],
      ];
      run = [
        [chanX, ay],
        [chanX, by],
      ];
      badge = [chanX, (ay + by) / 2];
      const lx = slotsRight + LABEL_OFF;
      const boxRight = wide ? pa.x + pa.w - 4 : Math.min(width, NARROW_MAX) - 2;
      labelRoom = charsIn(Math.max(40, boxRight - lx));
      labelAt = [lx, Math.min(ay, by) + Math.abs(by - ay) / 2 - LINE / 2];
    }
    const lab = labelOf(m, labelRoom);
    // The number goes mid-run, or as near as it can without covering a number already drawn.
    badge = freeSpot(run, placed) ?? badge;
    placed.push(badge);
    const arrow: Arrow = { points, hop: m.hop, reply: m.reply, vxlan: !!m.vxlan, nat: m.rewrites.length > 0, dropped: m.dropped, badge };
    if (lab) {
      arrow.label = { x: labelAt[0], y: labelAt[1], lines: lab.lines, title: lab.title, w: Math.max(...lab.lines.map((l) => l.length)) * CHAR + 6 };
      labels.push(arrow.label);
    }
    arrows.push(arrow);
  }
  unclutter(labels);

  // The overlay: a band through the nodes' flannel.1 chips.
  let overlay: Layout['overlay'] = null;
  const fl = scene.nodes.map((n) => slot.get(anchorKey({ kind: 'iface', node: n, iface: 'flannel.1' }))).filter((r): r is Rect => !!r);
  if (fl.length >= 2) {
    const pts: [number, number][] = wide
      ? [
          [fl[0]!.x + fl[0]!.w, fl[0]!.y + fl[0]!.h / 2],
          [fl[fl.length - 1]!.x, fl[fl.length - 1]!.y + fl[fl.length - 1]!.h / 2],
        ]
      : fl.map((r) => [r.x - 4, r.y + r.h / 2] as [number, number]);
    if (!wide) {
      // Stacked: down the left margin, from the first node's flannel.1 to the last's.
      const lx = PAD / 2;
      overlay = {
        points: [
          [fl[0]!.x, fl[0]!.y + fl[0]!.h / 2],
          [lx, fl[0]!.y + fl[0]!.h / 2],
          [lx, fl[fl.length - 1]!.y + fl[fl.length - 1]!.h / 2],
          [fl[fl.length - 1]!.x, fl[fl.length - 1]!.y + fl[fl.length - 1]!.h / 2],
        ],
        label: [PAD + 2, (fl[0]!.y + fl[fl.length - 1]!.y) / 2 + 4],
      };
    } else {
      // Above the band, in the gap between the first two node boxes (the channel beside the chips holds labels).
      const [n1, n2] = nodeBoxes;
      const gx = n1 && n2 ? (n1.x + n1.w + n2.x) / 2 : (pts[0]![0] + pts[1]![0]) / 2;
      overlay = { points: pts, label: [gx, Math.min(pts[0]![1], pts[1]![1]) - 10] };
    }
  }

  let drop: Layout['drop'];
  if (scene.drop) {
    const r = slot.get(scene.drop.anchor);
    if (r) {
      const parent = boxOfAnchor.get(scene.drop.anchor);
      const dropRoom = charsIn(Math.max(sw, (parent ? parent.x + parent.w : width) - r.x - 8));
      const lines = [fitName(`${scene.drop.hop} ✗ dropped`, dropRoom), ...wrapWords(scene.drop.why, dropRoom)];
      drop = { x: r.x + 4, y: r.y + r.h + 2, hop: scene.drop.hop, why: scene.drop.why, lines };
    }
  }
  const checks = scene.checks.flatMap((c) => {
    const r = slot.get(c.anchor);
    return r
      ? [
          {
            x: r.x + r.w - 10,
            y: r.y + 2,
            hop: c.hop,
            allowed: c.allowed,
            title: `${c.hop}: NetworkPolicy ${c.policies.join(', ') || 'check'} ${c.allowed ? 'allows' : 'denies'}`,
          },
        ]
      : [];
  });

  // Height: the lowest box, label or drop note; width: as laid out (the wide picture may be wider than asked only if forced).
  let bottom = y;
  for (const b of boxes) bottom = Math.max(bottom, b.y + b.h);
  for (const l of labels) bottom = Math.max(bottom, l.y + l.lines.length * LINE);
  if (drop) bottom = Math.max(bottom, drop.y + drop.lines.length * LINE + 4);
  let right = 0;
  for (const b of boxes) right = Math.max(right, b.x + b.w);
  for (const a of arrows) for (const [px] of a.points) right = Math.max(right, px);
  return {
    width: Math.max(width, right + PAD),
    height: Math.ceil(bottom + PAD),
    orientation: wide ? 'wide' : 'narrow',
    boxes,
    arrows,
    overlay,
    ...(drop ? { drop } : {}),
    checks,
  };
}

/** Words of `text` in lines of at most `max` characters (a longer word is cut to fit). */
export function wrapWords(text: string, max: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const w of text.split(/\s+/).filter(Boolean)) {
    const word = fitName(w, max);
    if (line && line.length + 1 + word.length > max) {
      out.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out.slice(0, 3);
}
