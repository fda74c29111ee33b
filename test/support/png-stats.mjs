// Decodes a PNG (8-bit RGB or RGBA, not interlaced, as Chromium's --screenshot writes) and prints
// JSON: its size, the share of pixels that are not white, and for each colour given as an argument
// (#rrggbb) how many pixels have exactly it. Run as a child so a test worker never decodes megapixels.
//   node png-stats.mjs FILE [#rrggbb ...]
import console from 'node:console';
import { Buffer } from 'node:buffer';
import { readFileSync } from 'node:fs';
import process from 'node:process';
import { inflateSync } from 'node:zlib';

const [file, ...colors] = process.argv.slice(2);
const png = readFileSync(file);
if (png.readUInt32BE(0) !== 0x89504e47) throw new Error(`${file} is not a PNG`);
let offset = 8;
let header;
const data = [];
while (offset < png.length) {
  const length = png.readUInt32BE(offset);
  const type = png.toString('latin1', offset + 4, offset + 8);
  const body = png.subarray(offset + 8, offset + 8 + length);
  if (type === 'IHDR') header = { width: body.readUInt32BE(0), height: body.readUInt32BE(4), depth: body[8], colorType: body[9], interlace: body[12] };
  if (type === 'IDAT') data.push(body);
  offset += 12 + length;
}
const channels = { 2: 3, 6: 4 }[header.colorType];
if (header.depth !== 8 || !channels || header.interlace !== 0) throw new Error(`unsupported PNG: ${JSON.stringify(header)}`);
const raw = inflateSync(Buffer.concat(data));
const stride = header.width * channels;
const pixels = Buffer.alloc(stride * header.height);
for (let y = 0; y < header.height; y++) {
  const filter = raw[y * (stride + 1)];
  const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
  const out = pixels.subarray(y * stride, (y + 1) * stride);
  const previous = y ? pixels.subarray((y - 1) * stride, y * stride) : Buffer.alloc(stride);
  for (let i = 0; i < stride; i++) {
    const left = i >= channels ? out[i - channels] : 0;
    const up = previous[i];
    const upLeft = i >= channels ? previous[i - channels] : 0;
    let predictor = 0;
    if (filter === 1) predictor = left;
    else if (filter === 2) predictor = up;
    else if (filter === 3) predictor = (left + up) >> 1;
    else if (filter === 4) {
      const p = left + up - upLeft;
      const [pa, pb, pc] = [Math.abs(p - left), Math.abs(p - up), Math.abs(p - upLeft)];
      predictor = pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
    } else if (filter !== 0) throw new Error(`unknown PNG filter ${filter} in row ${y}`);
    out[i] = (line[i] + predictor) & 0xff;
  }
}
const wanted = new Map(colors.map((c) => [c.toLowerCase(), 0]));
let nonWhite = 0;
for (let i = 0; i < pixels.length; i += channels) {
  const [r, g, b] = [pixels[i], pixels[i + 1], pixels[i + 2]];
  if (r < 250 || g < 250 || b < 250) nonWhite++;
  const hex = `#${[r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('')}`;
  if (wanted.has(hex)) wanted.set(hex, wanted.get(hex) + 1);
}
const total = header.width * header.height;
console.log(JSON.stringify({ width: header.width, height: header.height, nonWhiteShare: nonWhite / total, colors: Object.fromEntries(wanted) }));
