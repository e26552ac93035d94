// Writes media/icon.png, the extension's 128x128 icon: a packet's path between three nodes on Kubernetes blue.
// Run `node media/icon.mjs` after changing it; the PNG is committed. Node only (zlib for the PNG's deflate).
import { deflateSync } from 'node:zlib';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const S = 128;
const px = new Float64Array(S * S * 4); // RGBA, 0..1

/** Coverage of a pixel by a shape, 4x4 supersampled for smooth edges. */
function paint(inside, [r, g, b], alpha = 1) {
  for (let y = 0; y < S; y++) {
    for (let x = 0; x < S; x++) {
      let hit = 0;
      for (let sy = 0; sy < 4; sy++) for (let sx = 0; sx < 4; sx++) if (inside(x + (sx + 0.5) / 4, y + (sy + 0.5) / 4)) hit++;
      const a = (hit / 16) * alpha;
      if (!a) continue;
      const i = (y * S + x) * 4;
      px[i] = px[i] * (1 - a) + r * a;
      px[i + 1] = px[i + 1] * (1 - a) + g * a;
      px[i + 2] = px[i + 2] * (1 - a) + b * a;
      px[i + 3] = px[i + 3] + a * (1 - px[i + 3]);
    }
  }
}

const roundedSquare = (x, y) => {
  const r = 24,
    lo = 4,
    hi = S - 4;
  const cx = Math.min(Math.max(x, lo + r), hi - r),
    cy = Math.min(Math.max(y, lo + r), hi - r);
  return x >= lo && x <= hi && y >= lo && y <= hi && (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
};
const circle = (cx, cy, r) => (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
const segment = (ax, ay, bx, by, w) => (x, y) => {
  const dx = bx - ax,
    dy = by - ay;
  const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
  return (x - ax - t * dx) ** 2 + (y - ay - t * dy) ** 2 <= (w / 2) ** 2;
};

const blue = [0x32 / 255, 0x6c / 255, 0xe5 / 255];
const white = [1, 1, 1];
const amber = [1, 0.76, 0.2];
const nodes = [
  [34, 40],
  [94, 52],
  [58, 96],
];
paint(roundedSquare, blue);
// The path: node 1 -> node 2 -> node 3, then the highlighted hop.
paint(segment(...nodes[0], ...nodes[1], 7), white, 0.85);
paint(segment(...nodes[1], ...nodes[2], 7), white, 0.85);
for (const [x, y] of nodes) paint(circle(x, y, 13), white);
paint(circle(...nodes[2], 7), amber);
paint(circle(...nodes[0], 7), blue);
paint(circle(...nodes[1], 7), blue);

// PNG: signature, IHDR, one IDAT (filter byte 0 per row), IEND.
const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
};
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(S, 0);
ihdr.writeUInt32BE(S, 4);
ihdr[8] = 8; // bit depth
ihdr[9] = 6; // RGBA
const raw = Buffer.alloc(S * (S * 4 + 1));
for (let y = 0; y < S; y++) {
  raw[y * (S * 4 + 1)] = 0;
  for (let x = 0; x < S; x++) {
    const i = (y * S + x) * 4;
    const a = px[i + 3];
    const o = y * (S * 4 + 1) + 1 + x * 4;
    // Colours were blended over transparent black: un-premultiply.
    for (let c = 0; c < 3; c++) raw[o + c] = a ? Math.round(Math.min(1, px[i + c] / a) * 255) : 0;
    raw[o + 3] = Math.round(a * 255);
  }
}
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', ihdr),
  chunk('IDAT', deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
writeFileSync(fileURLToPath(new URL('./icon.png', import.meta.url)), png);
