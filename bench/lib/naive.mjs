// (a) The bare pipeline a user would write from the IS-Net model card, with nothing tuned: the fp16 weights as
// @imgly/background-removal-data ships them, onnxruntime-node's default session options, every output of the graph
// computed (a plain session.run does that), sharp's default resize kernel. It is the baseline core must beat.
import ort from 'onnxruntime-node'
import sharp from 'sharp'

const size = 1024

/** Opens the model with onnxruntime-node's defaults. */
export function openNaiveSession(modelPath) {
  return ort.InferenceSession.create(modelPath)
}

/**
 * Photo file → PNG cutout (RGBA, the photo's size). Returns the PNG and the time spent in session.run alone, so the
 * report can tell inference from pre- and post-processing.
 */
export async function naiveCutout(session, photo) {
  const { data: rgb, info } = await sharp(photo).removeAlpha().raw().toBuffer({ resolveWithObject: true })
  const raw = { width: info.width, height: info.height, channels: info.channels }
  const small = await sharp(rgb, { raw }).resize(size, size, { fit: 'fill' }).raw().toBuffer()
  const feeds = { [session.inputNames[0]]: new ort.Tensor('float32', toPlanar(small), [1, 3, size, size]) }
  const start = performance.now()
  const outputs = await session.run(feeds)
  const runMs = performance.now() - start
  const matte = toMatte(outputs[session.outputNames[0]].data)
  // A one-channel raw image comes out of sharp's resize as three channels: keep the first.
  const alpha = await sharp(matte, { raw: { width: size, height: size, channels: 1 } })
    .resize(info.width, info.height, { fit: 'fill' })
    .extractChannel(0)
    .raw()
    .toBuffer()
  const png = await sharp(rgb, { raw })
    .joinChannel(alpha, { raw: { width: info.width, height: info.height, channels: 1 } })
    .png()
    .toBuffer()
  return { png, runMs, width: info.width, height: info.height }
}

/** Interleaved RGB bytes → planar float32, (x - 128) / 256 as @imgly/background-removal normalises. */
function toPlanar(rgb) {
  const plane = size * size
  const data = new Float32Array(3 * plane)
  for (let i = 0; i < plane; i++) {
    data[i] = (rgb[i * 3] - 128) / 256
    data[plane + i] = (rgb[i * 3 + 1] - 128) / 256
    data[2 * plane + i] = (rgb[i * 3 + 2] - 128) / 256
  }
  return data
}

/** The first output clamped to 0..1 and scaled to bytes. */
function toMatte(values) {
  const matte = new Uint8Array(size * size)
  for (let i = 0; i < matte.length; i++) matte[i] = Math.round(Math.min(1, Math.max(0, values[i])) * 255)
  return matte
}
