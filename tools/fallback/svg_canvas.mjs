// A canvas 2D context that records what is drawn as SVG, for the site build's static
// pictures of the explorers (tools/fallback/render_views.mjs). It implements the part of
// CanvasRenderingContext2D that backprop_lab/explorers/js/*.js uses: paths (moveTo,
// lineTo, arc, rect, roundRect, closePath), fill and stroke with their styles, rectangles,
// text (measured with approximate Helvetica widths), save/restore, transforms, clipping,
// line dashes, global alpha, and pixel images (createImageData, putImageData, drawImage of
// another canvas), which become PNG images inside the SVG.
import { deflateSync } from "node:zlib";

const round = (v) => Math.round(v * 100) / 100;

// Advance widths of Helvetica's printable ASCII (32..126), in thousandths of an em: the
// usual metrics of a sans-serif, enough to place labels as the page would.
const WIDTHS = [
  278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556,
  556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833,
  722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556,
  556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334,
  260, 334, 584,
];

function fontSize(font) {
  const match = /(\d+(?:\.\d+)?)px/.exec(font);
  return match ? Number(match[1]) : 10;
}

function textWidth(text, font) {
  let em = 0;
  for (const ch of String(text)) {
    const code = ch.codePointAt(0);
    em += code >= 32 && code <= 126 ? WIDTHS[code - 32] : 600;
  }
  const bold = /\bbold\b|\b[6-9]00\b/.test(font) ? 1.05 : 1;
  return (em / 1000) * fontSize(font) * bold;
}

function escapeXml(text) {
  return String(text).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
}

// ------------------------------------------------------------------------------ PNG

const CRC_TABLE = new Uint32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, "ascii");
  Buffer.from(data).copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** An RGBA image (`width` x `height`, bytes row by row) as a PNG file. */
export function encodePng(width, height, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bits per channel
  header[9] = 6; // RGBA
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0; // no filter
    Buffer.from(rgba.buffer, rgba.byteOffset + y * width * 4, width * 4).copy(raw, y * (width * 4 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(raw, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

// --------------------------------------------------------------------------- context

const DEFAULTS = {
  fillStyle: "#000000",
  strokeStyle: "#000000",
  lineWidth: 1,
  lineCap: "butt",
  lineJoin: "miter",
  font: "10px sans-serif",
  textAlign: "start",
  textBaseline: "alphabetic",
  globalAlpha: 1,
  imageSmoothingEnabled: true,
};

/** 2-D affine matrix [a, b, c, d, e, f] as canvas's setTransform. */
function multiply(m, n) {
  return [
    m[0] * n[0] + m[2] * n[1],
    m[1] * n[0] + m[3] * n[1],
    m[0] * n[2] + m[2] * n[3],
    m[1] * n[2] + m[3] * n[3],
    m[0] * n[4] + m[2] * n[5] + m[4],
    m[1] * n[4] + m[3] * n[5] + m[5],
  ];
}

export class SvgContext {
  constructor(canvas) {
    this.canvas = canvas;
    this.reset();
  }

  /** Forget everything drawn (a canvas is cleared when its size is set). */
  reset() {
    Object.assign(this, DEFAULTS);
    this.matrix = [1, 0, 0, 1, 0, 0];
    this.dash = [];
    this.stack = [];
    this.parts = [];
    this.defs = [];
    this.path = [];
    this.clips = 0; // open <g clip-path> groups of the current save level
    this.pixels = null; // an RGBA buffer when putImageData drew here
  }

  // ---- state
  save() {
    this.stack.push({ ...this.state(), clips: this.clips });
    this.clips = 0;
  }

  restore() {
    const saved = this.stack.pop();
    if (!saved) return;
    for (; this.clips > 0; this.clips--) this.parts.push("</g>");
    Object.assign(this, saved);
  }

  state() {
    const s = {};
    for (const key of Object.keys(DEFAULTS)) s[key] = this[key];
    s.matrix = this.matrix.slice();
    s.dash = this.dash.slice();
    return s;
  }

  setTransform(a, b, c, d, e, f) {
    this.matrix = [a, b, c, d, e, f];
  }

  transform(a, b, c, d, e, f) {
    this.matrix = multiply(this.matrix, [a, b, c, d, e, f]);
  }

  translate(x, y) {
    this.transform(1, 0, 0, 1, x, y);
  }

  scale(x, y) {
    this.transform(x, 0, 0, y, 0, 0);
  }

  rotate(angle) {
    const c = Math.cos(angle);
    const s = Math.sin(angle);
    this.transform(c, s, -s, c, 0, 0);
  }

  setLineDash(dash) {
    this.dash = Array.from(dash);
  }

  getLineDash() {
    return this.dash.slice();
  }

  measureText(text) {
    const size = fontSize(this.font);
    return { width: textWidth(text, this.font), actualBoundingBoxAscent: 0.72 * size, actualBoundingBoxDescent: 0.22 * size };
  }

  // ---- paths (kept in user coordinates, drawn under the matrix of the moment)
  beginPath() {
    this.path = [];
  }

  moveTo(x, y) {
    this.path.push(`M${round(x)} ${round(y)}`);
  }

  lineTo(x, y) {
    this.path.push(`L${round(x)} ${round(y)}`);
  }

  closePath() {
    this.path.push("Z");
  }

  rect(x, y, w, h) {
    this.path.push(`M${round(x)} ${round(y)}h${round(w)}v${round(h)}h${round(-w)}Z`);
  }

  roundRect(x, y, w, h, radius = 0) {
    const r = Math.max(0, Math.min(Array.isArray(radius) ? radius[0] : radius, Math.abs(w) / 2, Math.abs(h) / 2));
    if (!r) return this.rect(x, y, w, h);
    this.path.push(
      `M${round(x + r)} ${round(y)}H${round(x + w - r)}A${r} ${r} 0 0 1 ${round(x + w)} ${round(y + r)}` +
        `V${round(y + h - r)}A${r} ${r} 0 0 1 ${round(x + w - r)} ${round(y + h)}H${round(x + r)}` +
        `A${r} ${r} 0 0 1 ${round(x)} ${round(y + h - r)}V${round(y + r)}A${r} ${r} 0 0 1 ${round(x + r)} ${round(y)}Z`,
    );
  }

  arc(x, y, r, start, end, counterclockwise = false) {
    let sweep = counterclockwise ? start - end : end - start;
    const full = sweep >= 2 * Math.PI - 1e-9;
    if (full) {
      // a whole circle: two half arcs (one SVG arc cannot end where it starts)
      const x0 = x + r * Math.cos(start);
      const y0 = y + r * Math.sin(start);
      const x1 = x - r * Math.cos(start);
      const y1 = y - r * Math.sin(start);
      const flag = counterclockwise ? 0 : 1;
      this.path.push(`${this.path.length ? "L" : "M"}${round(x0)} ${round(y0)}`);
      this.path.push(`A${round(r)} ${round(r)} 0 1 ${flag} ${round(x1)} ${round(y1)}`);
      this.path.push(`A${round(r)} ${round(r)} 0 1 ${flag} ${round(x0)} ${round(y0)}`);
      return;
    }
    sweep = ((sweep % (2 * Math.PI)) + 2 * Math.PI) % (2 * Math.PI);
    const x0 = x + r * Math.cos(start);
    const y0 = y + r * Math.sin(start);
    const x1 = x + r * Math.cos(end);
    const y1 = y + r * Math.sin(end);
    this.path.push(`${this.path.length ? "L" : "M"}${round(x0)} ${round(y0)}`);
    this.path.push(`A${round(r)} ${round(r)} 0 ${sweep > Math.PI ? 1 : 0} ${counterclockwise ? 0 : 1} ${round(x1)} ${round(y1)}`);
  }

  // ---- painting
  transformAttribute() {
    const m = this.matrix;
    if (m[0] === 1 && m[1] === 0 && m[2] === 0 && m[3] === 1 && m[4] === 0 && m[5] === 0) return "";
    return ` transform="matrix(${m.map(round).join(" ")})"`;
  }

  alphaAttribute() {
    return this.globalAlpha < 1 ? ` opacity="${round(this.globalAlpha)}"` : "";
  }

  strokeAttributes() {
    let out = ` fill="none" stroke="${escapeXml(this.strokeStyle)}" stroke-width="${round(this.lineWidth)}"`;
    if (this.lineCap !== "butt") out += ` stroke-linecap="${this.lineCap}"`;
    if (this.lineJoin !== "miter") out += ` stroke-linejoin="${this.lineJoin}"`;
    if (this.dash.length) out += ` stroke-dasharray="${this.dash.map(round).join(" ")}"`;
    return out;
  }

  fill() {
    if (!this.path.length) return;
    this.parts.push(
      `<path d="${this.path.join("")}" fill="${escapeXml(this.fillStyle)}"${this.alphaAttribute()}${this.transformAttribute()}/>`,
    );
  }

  stroke() {
    if (!this.path.length) return;
    this.parts.push(`<path d="${this.path.join("")}"${this.strokeAttributes()}${this.alphaAttribute()}${this.transformAttribute()}/>`);
  }

  fillRect(x, y, w, h) {
    this.parts.push(
      `<rect x="${round(x)}" y="${round(y)}" width="${round(w)}" height="${round(h)}" fill="${escapeXml(this.fillStyle)}"` +
        `${this.alphaAttribute()}${this.transformAttribute()}/>`,
    );
  }

  strokeRect(x, y, w, h) {
    this.parts.push(
      `<rect x="${round(x)}" y="${round(y)}" width="${round(w)}" height="${round(h)}"${this.strokeAttributes()}` +
        `${this.alphaAttribute()}${this.transformAttribute()}/>`,
    );
  }

  clearRect(x, y, w, h) {
    this.parts.push(`<rect x="${round(x)}" y="${round(y)}" width="${round(w)}" height="${round(h)}" fill="#ffffff"${this.transformAttribute()}/>`);
  }

  clip() {
    const id = `c${SvgContext.clipCount++}`;
    this.defs.push(`<clipPath id="${id}"><path d="${this.path.join("")}"${this.transformAttribute()}/></clipPath>`);
    this.parts.push(`<g clip-path="url(#${id})">`);
    this.clips += 1;
  }

  textAttributes(x, y) {
    const anchor = { center: "middle", right: "end", end: "end" }[this.textAlign] || "start";
    const baseline = { middle: "central", top: "hanging", hanging: "hanging", bottom: "text-after-edge" }[this.textBaseline];
    let out = ` x="${round(x)}" y="${round(y)}" style="font:${escapeXml(this.font)}"`;
    if (anchor !== "start") out += ` text-anchor="${anchor}"`;
    if (baseline) out += ` dominant-baseline="${baseline}"`;
    return out + this.alphaAttribute() + this.transformAttribute();
  }

  fillText(text, x, y) {
    this.parts.push(`<text${this.textAttributes(x, y)} fill="${escapeXml(this.fillStyle)}">${escapeXml(text)}</text>`);
  }

  strokeText(text, x, y) {
    this.parts.push(`<text${this.textAttributes(x, y)}${this.strokeAttributes()}>${escapeXml(text)}</text>`);
  }

  // ---- pixels
  createImageData(width, height) {
    return { width, height, data: new Uint8ClampedArray(width * height * 4) };
  }

  putImageData(image, x = 0, y = 0) {
    const { width, height } = this.canvas;
    if (!this.pixels) this.pixels = new Uint8ClampedArray(width * height * 4);
    for (let row = 0; row < image.height; row++) {
      const ty = row + y;
      if (ty < 0 || ty >= height) continue;
      for (let col = 0; col < image.width; col++) {
        const tx = col + x;
        if (tx < 0 || tx >= width) continue;
        const from = (row * image.width + col) * 4;
        const to = (ty * width + tx) * 4;
        for (let k = 0; k < 4; k++) this.pixels[to + k] = image.data[from + k];
      }
    }
  }

  drawImage(source, ...args) {
    const context = source.__svgContext;
    if (!context || !context.pixels) return;
    const sw = source.width;
    const sh = source.height;
    const [dx, dy, dw = sw, dh = sh] = args.length >= 8 ? args.slice(4) : args;
    const png = encodePng(sw, sh, context.pixels).toString("base64");
    const rendering = this.imageSmoothingEnabled ? "" : ' style="image-rendering:pixelated"';
    this.parts.push(
      `<image x="${round(dx)}" y="${round(dy)}" width="${round(dw)}" height="${round(dh)}" preserveAspectRatio="none"` +
        `${rendering} href="data:image/png;base64,${png}"${this.alphaAttribute()}${this.transformAttribute()}/>`,
    );
  }

  /** What was drawn, as one SVG element `width` x `height` CSS pixels (the canvas's size
   * in CSS pixels). */
  svg(width, height, label) {
    const open = this.clips + this.stack.reduce((n, s) => n + s.clips, 0);
    return (
      `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${round(width)} ${round(height)}" width="${round(width)}" ` +
      `height="${round(height)}" role="img" aria-label="${escapeXml(label)}">` +
      (this.defs.length ? `<defs>${this.defs.join("")}</defs>` : "") +
      this.parts.join("") +
      "</g>".repeat(open) +
      "</svg>"
    );
  }
}
SvgContext.clipCount = 0;
