// A small QR code reader for tests, independent of libqrencode: it reads the modules of
// the app's SVG (one "Mx yh1v1h-1z" square per dark module, 4 modules of quiet zone),
// finds the mask from the format information, unmasks, reads the codewords in the
// standard zigzag order, de-interleaves the data blocks and decodes the byte, numeric and
// alphanumeric segments.
// Versions 1 to 6 at error-correction level M (what the app makes for survey links); no
// error correction is attempted, so any wrong module shows as a wrong text or a throw.
//
//   import { decodeQrSvg } from './qr_decode.mjs';
//   decodeQrSvg(svgText)  // → 'https://surveys.example.org/s/residents-2026?c=stall'

// Level M, per version: [data codewords, blocks].
const LEVEL_M = { 1: [16, 1], 2: [28, 1], 3: [44, 1], 4: [64, 2], 5: [86, 2], 6: [108, 4] };

const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';

const MASKS = [
  (x, y) => (x + y) % 2 === 0,
  (x, y) => y % 2 === 0,
  (x) => x % 3 === 0,
  (x, y) => (x + y) % 3 === 0,
  (x, y) => (Math.floor(x / 3) + Math.floor(y / 2)) % 2 === 0,
  (x, y) => ((x * y) % 2) + ((x * y) % 3) === 0,
  (x, y) => (((x * y) % 2) + ((x * y) % 3)) % 2 === 0,
  (x, y) => (((x + y) % 2) + ((x * y) % 3)) % 2 === 0,
];

/** The 15 format bits for level M (format bits 00) and a mask, BCH-coded and masked. */
function formatBits(mask) {
  const data = (0 << 3) | mask;
  let rem = data;
  for (let i = 0; i < 10; i++) rem = (rem << 1) ^ ((rem >>> 9) * 0x537);
  return ((data << 10) | (rem & 0x3ff)) ^ 0x5412;
}

function modulesOf(svg) {
  const box = svg.match(/viewBox="0 0 (\d+) (\d+)"/);
  if (!box || box[1] !== box[2]) throw new Error('no square viewBox');
  const size = Number(box[1]) - 8;
  const dark = Array.from({ length: size }, () => new Array(size).fill(false));
  for (const m of svg.matchAll(/M(\d+) (\d+)h1v1h-1z/g)) {
    const x = Number(m[1]) - 4;
    const y = Number(m[2]) - 4;
    if (x < 0 || y < 0 || x >= size || y >= size) throw new Error(`a module in the quiet zone: ${x},${y}`);
    dark[y][x] = true;
  }
  return { size, dark };
}

function isFunction(size, version, x, y) {
  const last = size - 7;
  if ((x <= 8 && y <= 8) || (x >= size - 8 && y <= 8) || (x <= 8 && y >= size - 8)) return true;
  if (x === 6 || y === 6) return true;
  return version >= 2 && Math.abs(x - last) <= 2 && Math.abs(y - last) <= 2;
}

/** The mask the format information names (at level M); throws when it names none. */
function maskOf(size, dark) {
  const at = [];
  for (let i = 0; i <= 5; i++) at.push([8, i]);
  at.push([8, 7], [8, 8], [7, 8]);
  for (let i = 9; i < 15; i++) at.push([14 - i, 8]);
  const read = at.reduce((v, [x, y], i) => v | ((dark[y][x] ? 1 : 0) << i), 0);
  const mask = MASKS.findIndex((_, m) => formatBits(m) === read);
  if (mask < 0) throw new Error(`format bits ${read.toString(2)} are not level M with any mask`);
  return mask;
}

/** Every codeword, in the order placed (zigzag from the bottom right, two columns at a time). */
function codewords(size, version, dark, mask) {
  const bits = [];
  for (let right = size - 1; right >= 1; right -= 2) {
    if (right === 6) right = 5;
    for (let vert = 0; vert < size; vert++) {
      for (let j = 0; j < 2; j++) {
        const x = right - j;
        const y = ((right + 1) & 2) === 0 ? size - 1 - vert : vert;
        if (!isFunction(size, version, x, y)) bits.push(dark[y][x] !== MASKS[mask](x, y) ? 1 : 0);
      }
    }
  }
  const out = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) out.push(bits.slice(i, i + 8).reduce((v, b) => (v << 1) | b, 0));
  return out;
}

export function decodeQrSvg(svg) {
  const { size, dark } = modulesOf(svg);
  const version = (size - 17) / 4;
  if (!LEVEL_M[version]) throw new Error(`version ${version} is not one this reader knows`);
  const [ndata, nblocks] = LEVEL_M[version];
  const words = codewords(size, version, dark, maskOf(size, dark));
  const per = ndata / nblocks;
  const data = [];
  for (let b = 0; b < nblocks; b++) for (let k = 0; k < per; k++) data.push(words[k * nblocks + b]);
  const bits = data.flatMap((w) => Array.from({ length: 8 }, (_, i) => (w >> (7 - i)) & 1));
  let at = 0;
  const take = (n) => {
    if (at + n > bits.length) throw new Error('past the end of the data');
    const v = bits.slice(at, at + n).reduce((acc, b) => (acc << 1) | b, 0);
    at += n;
    return v;
  };
  const bytes = [];
  for (let mode = take(4); mode !== 0; mode = at + 4 <= bits.length ? take(4) : 0) {
    if (mode === 0b0100) {
      for (let n = take(8); n > 0; n--) bytes.push(take(8));
    } else if (mode === 0b0001) {
      let n = take(10);
      for (; n >= 3; n -= 3) bytes.push(...Buffer.from(String(take(10)).padStart(3, '0')));
      if (n > 0) bytes.push(...Buffer.from(String(take(n === 2 ? 7 : 4)).padStart(n, '0')));
    } else if (mode === 0b0010) {
      let n = take(9);
      for (; n >= 2; n -= 2) {
        const v = take(11);
        bytes.push(ALNUM.charCodeAt(Math.floor(v / 45)), ALNUM.charCodeAt(v % 45));
      }
      if (n > 0) bytes.push(ALNUM.charCodeAt(take(6)));
    } else throw new Error(`mode ${mode} is not one this reader knows`);
  }
  return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bytes));
}
