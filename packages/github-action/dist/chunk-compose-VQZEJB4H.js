import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
import {
  encodeBmp,
  planCrop
} from "./chunk-LSBNTZWO.js";
import {
  __exportAll
} from "./chunk-CZNT7TPM.js";
import {
  invalidColor,
  loadSharp,
  mimeTypes
} from "./chunk-XPT3MNYB.js";
import "./chunk-NV5WPINZ.js";

// ../core/dist/chunk-compose.js
var compose_exports = /* @__PURE__ */ __exportAll({
  compose: () => compose,
  targetSize: () => targetSize
});
var white = [
  255,
  255,
  255,
  255
];
var transparent = {
  r: 0,
  g: 0,
  b: 0,
  alpha: 0
};
async function compose(image, matte, params) {
  const pixelCount = image.width * image.height;
  if (matte.length !== pixelCount) throw new TypeError(`compose: the matte has ${matte.length} bytes, the image ${pixelCount} pixels`);
  const start = params.mask ? matteOnly(image, matte) : cutOut(image, matte);
  const crop = planCrop(matte, image.width, image.height, params);
  const rotated = await rotate(await resize(crop !== void 0 && "box" in crop ? cropTo(start, crop.box) : start, params), params.angle, params.expand);
  const background = backgroundFor(params);
  const flat = background === null ? rotated : blendOver(rotated, background);
  const data = await encoders[params.format](flat);
  const { width, height } = flat;
  const composed = {
    data,
    width,
    height,
    format: params.format,
    mime: mimeTypes[params.format]
  };
  return crop === void 0 ? composed : {
    ...composed,
    crop
  };
}
function cutOut(image, matte) {
  const { width, height, channels, data: src } = image;
  const out = Buffer.allocUnsafe(width * height * 4);
  for (let p = 0, i = 0, o = 0; p < matte.length; p++, i += channels, o += 4) {
    const m = matte[p];
    out[o] = src[i];
    out[o + 1] = src[i + 1];
    out[o + 2] = src[i + 2];
    out[o + 3] = channels === 4 ? Math.round(src[i + 3] * m / 255) : m;
  }
  return {
    data: out,
    width,
    height,
    channels: 4
  };
}
function matteOnly(image, matte) {
  return {
    data: Buffer.from(matte.buffer, matte.byteOffset, matte.byteLength),
    width: image.width,
    height: image.height,
    channels: 1
  };
}
function cropTo(pixels, box) {
  return placeOn(pixels, box.width, box.height, -box.left, -box.top);
}
function targetSize(width, height, params) {
  const { w, h } = params;
  if (w === null && h === null) return null;
  const byWidth = (tw) => ({
    width: tw,
    height: Math.max(1, Math.round(height * tw / width))
  });
  const byHeight = (th) => ({
    width: Math.max(1, Math.round(width * th / height)),
    height: th
  });
  if (h === null) return byWidth(w);
  if (w === null) return byHeight(h);
  if (params.exact_resize) return {
    width: w,
    height: h
  };
  return w / width <= h / height ? byWidth(w) : byHeight(h);
}
async function resize(pixels, params) {
  const size = targetSize(pixels.width, pixels.height, params);
  if (size === null || size.width === pixels.width && size.height === pixels.height) return pixels;
  return toPixels(load(pixels).resize({
    width: size.width,
    height: size.height,
    fit: "fill"
  }));
}
async function rotate(pixels, angle, expand) {
  const turn = (angle % 360 + 360) % 360;
  if (turn === 0) return pixels;
  const background = pixels.channels === 4 ? transparent : "#000000";
  const rotated = await toPixels(load(pixels).rotate(360 - turn, { background }));
  return expand ? rotated : centreOn(rotated, pixels.width, pixels.height);
}
function centreOn(pixels, width, height) {
  if (pixels.width === width && pixels.height === height) return pixels;
  return placeOn(pixels, width, height, Math.floor((width - pixels.width) / 2), Math.floor((height - pixels.height) / 2));
}
function placeOn(pixels, width, height, dx, dy) {
  const { channels } = pixels;
  const out = Buffer.alloc(width * height * channels);
  const x0 = Math.max(0, dx);
  const x1 = Math.min(width, dx + pixels.width);
  if (x1 <= x0) return {
    data: out,
    width,
    height,
    channels
  };
  for (let y = Math.max(0, dy); y < Math.min(height, dy + pixels.height); y++) {
    const from = ((y - dy) * pixels.width + (x0 - dx)) * channels;
    pixels.data.copy(out, (y * width + x0) * channels, from, from + (x1 - x0) * channels);
  }
  return {
    data: out,
    width,
    height,
    channels
  };
}
function backgroundFor(params) {
  const colour = params.bg_color === null ? null : parseColour(params.bg_color);
  if (params.format !== "jpeg") return colour;
  return colour === null ? white : over(colour, white);
}
function parseColour(value) {
  if (!/^#[0-9a-f]{8}$/i.test(value)) throw invalidColor(value);
  const byte = (at) => Number.parseInt(value.slice(at, at + 2), 16);
  return [
    byte(1),
    byte(3),
    byte(5),
    byte(7)
  ];
}
function over(top, below) {
  const ta = top[3] / 255;
  const ba = below[3] / 255;
  const a = ta + ba * (1 - ta);
  if (a === 0) return [
    0,
    0,
    0,
    0
  ];
  const channel = (c) => Math.round((top[c] * ta + below[c] * ba * (1 - ta)) / a);
  return [
    channel(0),
    channel(1),
    channel(2),
    Math.round(a * 255)
  ];
}
function blendOver(pixels, background) {
  if (pixels.channels !== 4) return pixels;
  return background[3] === 255 ? blendOpaque(pixels, background) : blendTranslucent(pixels, background);
}
function blendOpaque(pixels, bg) {
  const { data: src, width, height } = pixels;
  const out = Buffer.allocUnsafe(width * height * 3);
  for (let i = 0, o = 0; i < src.length; i += 4, o += 3) {
    const a = src[i + 3];
    const b = 255 - a;
    out[o] = Math.round((src[i] * a + bg[0] * b) / 255);
    out[o + 1] = Math.round((src[i + 1] * a + bg[1] * b) / 255);
    out[o + 2] = Math.round((src[i + 2] * a + bg[2] * b) / 255);
  }
  return {
    data: out,
    width,
    height,
    channels: 3
  };
}
function blendTranslucent(pixels, bg) {
  const src = pixels.data;
  const out = Buffer.allocUnsafe(src.length);
  const bgA = bg[3] / 255;
  for (let i = 0; i < src.length; i += 4) {
    const a = src[i + 3] / 255;
    const under = bgA * (1 - a);
    const outA = a + under;
    for (let c = 0; c < 3; c++) out[i + c] = outA === 0 ? 0 : Math.round((src[i + c] * a + bg[c] * under) / outA);
    out[i + 3] = Math.round(outA * 255);
  }
  return {
    ...pixels,
    data: out
  };
}
var encoders = {
  webp: (pixels) => load(pixels).webp().toBuffer(),
  png: (pixels) => load(pixels).png().toBuffer(),
  jpeg: (pixels) => load(pixels).jpeg().toBuffer(),
  bmp: async (pixels) => encodeBmp(toRawImage(pixels))
};
function toRawImage(pixels) {
  const { channels } = pixels;
  if (channels !== 1) return {
    ...pixels,
    channels
  };
  const out = Buffer.allocUnsafe(pixels.data.length * 3);
  for (let p = 0, o = 0; p < pixels.data.length; p++, o += 3) {
    const v = pixels.data[p];
    out[o] = v;
    out[o + 1] = v;
    out[o + 2] = v;
  }
  return {
    data: out,
    width: pixels.width,
    height: pixels.height,
    channels: 3
  };
}
function load(pixels) {
  const { data, width, height, channels } = pixels;
  const pipeline = loadSharp()(data, { raw: {
    width,
    height,
    channels
  } });
  return channels === 1 ? pipeline.toColourspace("b-w") : pipeline;
}
async function toPixels(pipeline) {
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  const { width, height, channels } = info;
  if (channels !== 1 && channels !== 3 && channels !== 4) throw new TypeError(`compose: sharp returned ${channels} channels`);
  return {
    data,
    width,
    height,
    channels
  };
}
export {
  compose_exports as n,
  compose as t
};
