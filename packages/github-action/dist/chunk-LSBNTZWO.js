import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
import {
  RembgError,
  cropMarginTooLarge,
  invalidCropMargin,
  invalidSignature,
  limits
} from "./chunk-XPT3MNYB.js";

// ../core/dist/chunk-bmp.js
var sidePattern = /^(?:(\d+)(px)?|(\d+(?:\.\d+)?|\.\d+)(%))$/i;
function parseSide(token) {
  const match = sidePattern.exec(token);
  if (!match) return void 0;
  return match[1] === void 0 ? {
    value: Number(match[3]),
    unit: "%"
  } : {
    value: Number(match[1]),
    unit: "px"
  };
}
var tooLarge = (side) => side.value > (side.unit === "px" ? limits.maxCropMarginPx : limits.maxCropMarginPercent);
function parseCropMargin(text) {
  const tokens = text.trim().split(/[\s,]+/);
  const sides = tokens.map(parseSide);
  if (![
    1,
    2,
    4
  ].includes(sides.length) || sides.some((side) => side === void 0)) return invalidCropMargin(text);
  const oversized = sides.findIndex((side) => side !== void 0 && tooLarge(side));
  if (oversized >= 0) return cropMarginTooLarge(tokens[oversized]);
  const [top, right = top, bottom = top, left = right] = sides;
  return {
    top,
    right,
    bottom,
    left
  };
}
var formatSide = (side) => `${side.value}${side.unit}`;
function formatCropMargin(margin) {
  const [top, right, bottom, left] = [
    margin.top,
    margin.right,
    margin.bottom,
    margin.left
  ].map(formatSide);
  if (top === bottom && right === left) return top === right ? `${top}` : `${top} ${right}`;
  return `${top} ${right} ${bottom} ${left}`;
}
function subjectBox(matte, width, height, threshold) {
  let top = -1;
  let bottom = -1;
  let left = width;
  let right = -1;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let first = -1;
    for (let x = 0; x < width; x++) if (matte[row + x] > threshold) {
      first = x;
      break;
    }
    if (first < 0) continue;
    if (top < 0) top = y;
    bottom = y;
    left = Math.min(left, first);
    for (let x = width - 1; x > right; x--) if (matte[row + x] > threshold) {
      right = x;
      break;
    }
  }
  return top < 0 ? null : {
    left,
    top,
    width: right - left + 1,
    height: bottom - top + 1
  };
}
var sidePixels = (side, subjectSide) => side.unit === "px" ? side.value : Math.round(side.value * subjectSide / 100);
function cropBox(subject, margin) {
  const top = sidePixels(margin.top, subject.height);
  const bottom = sidePixels(margin.bottom, subject.height);
  const left = sidePixels(margin.left, subject.width);
  const right = sidePixels(margin.right, subject.width);
  return {
    left: subject.left - left,
    top: subject.top - top,
    width: subject.width + left + right,
    height: subject.height + top + bottom
  };
}
function planCrop(matte, width, height, params) {
  if (!params.crop) return void 0;
  const margin = parseCropMargin(params.crop_margin);
  if (margin instanceof RembgError) throw margin;
  const subject = subjectBox(matte, width, height, params.crop_threshold);
  if (subject === null) return { skipped: `no pixel above the threshold (${params.crop_threshold})` };
  return {
    subject,
    box: cropBox(subject, margin)
  };
}
var FILE_HEADER_SIZE = 14;
var CORE_HEADER_SIZE = 12;
var INFO_HEADER_SIZE = 40;
var V4_HEADER_SIZE = 108;
var MASKS_OFFSET = FILE_HEADER_SIZE + INFO_HEADER_SIZE;
var LCS_SRGB = 1934772034;
var PIXELS_PER_METRE = 2835;
var BI_RGB = 0;
var BI_BITFIELDS = 3;
var BI_ALPHABITFIELDS = 6;
var unsupportedCompressions = {
  1: "RLE8 compression",
  2: "RLE4 compression",
  4: "embedded JPEG",
  5: "embedded PNG",
  11: "CMYK",
  12: "CMYK RLE8 compression",
  13: "CMYK RLE4 compression"
};
function isBmp(bytes) {
  return bytes.length >= 2 && bytes[0] === 66 && bytes[1] === 77;
}
function readBmpSize(bytes) {
  const { width, height } = readHeader(bytes);
  return {
    width,
    height
  };
}
function decodeBmp(bytes) {
  const header = readHeader(bytes);
  checkSupported(header);
  checkLength(bytes, header);
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (header.bitsPerPixel <= 8) return decodePaletted(view, header);
  if (header.bitsPerPixel === 24) return decodeBgr(view, header);
  return decodeMasked(view, header, readMasks(view, header));
}
function encodeBmp(image) {
  const { width, height, channels, data } = image;
  if (width < 1 || height < 1 || data.length !== width * height * channels) throw new RangeError(`RawImage of ${width}x${height}x${channels} cannot hold ${data.length} bytes`);
  const pixelOffset = FILE_HEADER_SIZE + V4_HEADER_SIZE;
  const out = Buffer.alloc(pixelOffset + width * height * 4);
  out.write("BM", 0, "latin1");
  out.writeUInt32LE(out.length, 2);
  out.writeUInt32LE(pixelOffset, 10);
  writeV4Header(out, image);
  writeBgraRows(out, image, pixelOffset);
  return out;
}
var unsupported = (what) => new RembgError(`Unsupported BMP: ${what}. Supported: uncompressed 1, 2, 4, 8, 16, 24 and 32-bit (BI_RGB, BI_BITFIELDS).`, {
  status: 400,
  code: "UNSUPPORTED_BMP",
  field: "image"
});
function readHeader(bytes) {
  if (!isBmp(bytes) || bytes.length < FILE_HEADER_SIZE + 4) throw invalidSignature();
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerSize = view.readUInt32LE(FILE_HEADER_SIZE);
  const core = headerSize === CORE_HEADER_SIZE;
  if (!core && headerSize < INFO_HEADER_SIZE || view.length < FILE_HEADER_SIZE + headerSize) throw invalidSignature();
  const width = core ? view.readUInt16LE(18) : view.readInt32LE(18);
  const storedHeight = core ? view.readUInt16LE(20) : view.readInt32LE(22);
  if (width <= 0 || storedHeight === 0) throw invalidSignature();
  return {
    headerSize,
    width,
    height: Math.abs(storedHeight),
    topDown: storedHeight < 0,
    bitsPerPixel: view.readUInt16LE(core ? 24 : 28),
    compression: core ? BI_RGB : view.readUInt32LE(30),
    pixelOffset: view.readUInt32LE(10),
    colorsUsed: core ? 0 : view.readUInt32LE(46)
  };
}
function checkSupported(header) {
  const { headerSize, bitsPerPixel: bpp, compression } = header;
  if (headerSize === 16 || headerSize === 64) throw unsupported(`OS/2 2.x header (${headerSize} bytes)`);
  const name = unsupportedCompressions[compression];
  if (name !== void 0) throw unsupported(name);
  if (![
    BI_RGB,
    BI_BITFIELDS,
    BI_ALPHABITFIELDS
  ].includes(compression)) throw unsupported(`compression ${compression}`);
  if (![
    1,
    2,
    4,
    8,
    16,
    24,
    32
  ].includes(bpp)) throw unsupported(`${bpp} bits per pixel`);
  if (compression !== BI_RGB && bpp !== 16 && bpp !== 32) throw unsupported(`bit fields with ${bpp} bits per pixel`);
}
var rowStride = (header) => Math.floor((header.bitsPerPixel * header.width + 31) / 32) * 4;
function rowOffset(header, y) {
  const storedRow = header.topDown ? y : header.height - 1 - y;
  return header.pixelOffset + storedRow * rowStride(header);
}
function checkLength(bytes, header) {
  const lastRowStart = header.pixelOffset + (header.height - 1) * rowStride(header);
  const lastRowBytes = Math.ceil(header.width * header.bitsPerPixel / 8);
  if (header.pixelOffset < FILE_HEADER_SIZE + header.headerSize || lastRowStart + lastRowBytes > bytes.length) throw invalidSignature();
}
function readPalette(view, header) {
  const size = 1 << header.bitsPerPixel;
  const entryBytes = header.headerSize === CORE_HEADER_SIZE ? 3 : 4;
  const start = FILE_HEADER_SIZE + header.headerSize;
  const available = Math.floor((header.pixelOffset - start) / entryBytes);
  const count = Math.min(header.colorsUsed || size, size, available);
  const palette = new Uint8Array(size * 3);
  for (let i = 0; i < count; i++) {
    const at = start + i * entryBytes;
    palette[i * 3] = view[at + 2] ?? 0;
    palette[i * 3 + 1] = view[at + 1] ?? 0;
    palette[i * 3 + 2] = view[at] ?? 0;
  }
  return palette;
}
function decodePaletted(view, header) {
  const { width, height, bitsPerPixel: bpp } = header;
  const palette = readPalette(view, header);
  const data = Buffer.alloc(width * height * 3);
  const perByte = 8 / bpp;
  const indexMask = (1 << bpp) - 1;
  for (let y = 0; y < height; y++) {
    const row = rowOffset(header, y);
    for (let x = 0; x < width; x++) {
      const index = (view[row + Math.floor(x / perByte)] ?? 0) >> (perByte - 1 - x % perByte) * bpp & indexMask;
      const to = (y * width + x) * 3;
      data[to] = palette[index * 3] ?? 0;
      data[to + 1] = palette[index * 3 + 1] ?? 0;
      data[to + 2] = palette[index * 3 + 2] ?? 0;
    }
  }
  return {
    data,
    width,
    height,
    channels: 3
  };
}
function decodeBgr(view, header) {
  const { width, height } = header;
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    const row = rowOffset(header, y);
    for (let x = 0; x < width; x++) {
      const from = row + x * 3;
      const to = (y * width + x) * 3;
      data[to] = view[from + 2] ?? 0;
      data[to + 1] = view[from + 1] ?? 0;
      data[to + 2] = view[from] ?? 0;
    }
  }
  return {
    data,
    width,
    height,
    channels: 3
  };
}
function channel(mask) {
  const unsignedMask = mask >>> 0;
  if (unsignedMask === 0) return {
    mask: 0,
    shift: 0,
    max: 0
  };
  const shift = 31 - Math.clz32(unsignedMask & -unsignedMask);
  return {
    mask: unsignedMask,
    shift,
    max: unsignedMask >>> shift
  };
}
function readMasks(view, header) {
  const { compression, headerSize, bitsPerPixel } = header;
  if (compression === BI_RGB) {
    const [r, g, b, a] = bitsPerPixel === 16 ? [
      31744,
      992,
      31,
      0
    ] : [
      16711680,
      65280,
      255,
      4278190080
    ];
    return {
      red: channel(r),
      green: channel(g),
      blue: channel(b),
      alpha: channel(a)
    };
  }
  const hasAlphaMask = headerSize >= 56 || compression === BI_ALPHABITFIELDS;
  const end = MASKS_OFFSET + (hasAlphaMask ? 16 : 12);
  if (view.length < end) throw invalidSignature();
  return {
    red: channel(view.readUInt32LE(MASKS_OFFSET)),
    green: channel(view.readUInt32LE(MASKS_OFFSET + 4)),
    blue: channel(view.readUInt32LE(MASKS_OFFSET + 8)),
    alpha: channel(hasAlphaMask ? view.readUInt32LE(MASKS_OFFSET + 12) : 0)
  };
}
function hasImplicitAlpha(view, header) {
  for (let y = 0; y < header.height; y++) {
    const row = rowOffset(header, y);
    for (let x = 0; x < header.width; x++) if (view[row + x * 4 + 3] !== 0) return true;
  }
  return false;
}
function scaled(pixel, c) {
  const value = (pixel & c.mask) >>> c.shift;
  return c.max === 255 ? value : Math.round(value * 255 / c.max);
}
function decodeMasked(view, header, masks) {
  const { width, height, bitsPerPixel, compression } = header;
  const hasAlpha = masks.alpha.max > 0 && (compression !== BI_RGB || hasImplicitAlpha(view, header));
  const channels = hasAlpha ? 4 : 3;
  const bytesPerPixel = bitsPerPixel / 8;
  const data = Buffer.alloc(width * height * channels);
  for (let y = 0; y < height; y++) {
    const row = rowOffset(header, y);
    for (let x = 0; x < width; x++) {
      const at = row + x * bytesPerPixel;
      const pixel = bytesPerPixel === 2 ? view.readUInt16LE(at) : view.readUInt32LE(at);
      const to = (y * width + x) * channels;
      data[to] = scaled(pixel, masks.red);
      data[to + 1] = scaled(pixel, masks.green);
      data[to + 2] = scaled(pixel, masks.blue);
      if (hasAlpha) data[to + 3] = scaled(pixel, masks.alpha);
    }
  }
  return {
    data,
    width,
    height,
    channels
  };
}
function writeV4Header(out, image) {
  const at = FILE_HEADER_SIZE;
  out.writeUInt32LE(V4_HEADER_SIZE, at);
  out.writeInt32LE(image.width, at + 4);
  out.writeInt32LE(image.height, at + 8);
  out.writeUInt16LE(1, at + 12);
  out.writeUInt16LE(32, at + 14);
  out.writeUInt32LE(BI_BITFIELDS, at + 16);
  out.writeUInt32LE(image.width * image.height * 4, at + 20);
  out.writeInt32LE(PIXELS_PER_METRE, at + 24);
  out.writeInt32LE(PIXELS_PER_METRE, at + 28);
  out.writeUInt32LE(16711680, MASKS_OFFSET);
  out.writeUInt32LE(65280, MASKS_OFFSET + 4);
  out.writeUInt32LE(255, MASKS_OFFSET + 8);
  out.writeUInt32LE(image.channels === 4 ? 4278190080 : 0, MASKS_OFFSET + 12);
  out.writeUInt32LE(LCS_SRGB, MASKS_OFFSET + 16);
}
function writeBgraRows(out, image, pixelOffset) {
  const { data, width, height, channels } = image;
  for (let y = 0; y < height; y++) {
    let to = pixelOffset + (height - 1 - y) * width * 4;
    let from = y * width * channels;
    for (let x = 0; x < width; x++, to += 4, from += channels) {
      out[to] = data[from + 2] ?? 0;
      out[to + 1] = data[from + 1] ?? 0;
      out[to + 2] = data[from] ?? 0;
      out[to + 3] = channels === 4 ? data[from + 3] ?? 0 : 255;
    }
  }
}

export {
  parseCropMargin,
  formatCropMargin,
  planCrop,
  isBmp,
  readBmpSize,
  decodeBmp,
  encodeBmp
};
