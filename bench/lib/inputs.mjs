// The files the benchmark feeds to its configurations, all made in the run's work folder: the bare pipeline's model,
// a warm-up image, the 12-megapixel photo and the cut-quality composites. The photos themselves are only read.
import { readdir, readFile, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { basename, dirname, join } from 'node:path'
import sharp from 'sharp'

const require = createRequire(import.meta.url)

/** The photos to measure: every .jpg of `dir`, by name, with its size. */
export async function listPhotos(dir) {
  const names = (await readdir(dir)).filter((name) => name.toLowerCase().endsWith('.jpg')).sort()
  const photos = []
  for (const file of names) {
    const path = join(dir, file)
    const { width, height } = await sharp(path).metadata()
    photos.push({ name: basename(file, '.jpg'), path, width, height })
  }
  return photos
}

/**
 * Joins the chunks of `/models/medium` from @imgly/background-removal-data's resources.json into one .onnx file, as
 * a user of the bare pipeline would, and checks the total size the index announces.
 */
export async function assembleImglyMedium(workDir) {
  const dist = join(dirname(require.resolve('@imgly/background-removal-data/package.json')), 'dist')
  const entry = JSON.parse(await readFile(join(dist, 'resources.json'), 'utf8'))['/models/medium']
  const chunks = await Promise.all(entry.chunks.map((chunk) => readFile(join(dist, chunk.hash))))
  const model = Buffer.concat(chunks)
  if (model.length !== entry.size) throw new Error(`imgly medium model: ${model.length} bytes, expected ${entry.size}`)
  const path = join(workDir, 'imgly-medium-fp16.onnx')
  await writeFile(path, model)
  return path
}

/** A synthetic 800x600 photo (a red disc on a gradient) so that warming up touches none of the measured images. */
export async function makeWarmup(workDir) {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="800" height="600">
    <defs><linearGradient id="g" x2="1" y2="1"><stop offset="0" stop-color="#9ab"/><stop offset="1" stop-color="#234"/></linearGradient></defs>
    <rect width="800" height="600" fill="url(#g)"/><ellipse cx="400" cy="320" rx="180" ry="220" fill="#c33"/></svg>`
  const path = join(workDir, 'warmup.jpg')
  await sharp(Buffer.from(svg)).jpeg({ quality: 90 }).toFile(path)
  return path
}

/** `photo` upscaled to 4000x3000 (12 megapixels), the size of a phone camera's picture. */
export async function makeTwelveMegapixel(photo, workDir) {
  const path = join(workDir, `${photo.name}-12mp.jpg`)
  await sharp(photo.path).resize(4000, 3000, { fit: 'fill' }).jpeg({ quality: 90 }).toFile(path)
  return { name: `${photo.name}-12mp`, path }
}

const backgrounds = {
  plain: () => '<rect width="100%" height="100%" fill="#3cb371"/>',
  gradient: () =>
    '<defs><linearGradient id="g" x2="1" y2="1"><stop offset="0" stop-color="#ff7e5f"/>' +
    '<stop offset="1" stop-color="#2b5876"/></linearGradient></defs><rect width="100%" height="100%" fill="url(#g)"/>',
}

/**
 * Each RGBA cutout of `dir` pasted over a plain and over a gradient background, saved as lossless RGB PNGs. The
 * cutout's alpha is the exact answer for the composite's matte, and its colours the exact answer inside the subject.
 */
export async function makeComposites(dir, workDir) {
  const names = (await readdir(dir)).filter((name) => name.toLowerCase().endsWith('.png')).sort()
  const composites = []
  for (const file of names) {
    const cutout = join(dir, file)
    const { width, height } = await sharp(cutout).metadata()
    for (const [background, fill] of Object.entries(backgrounds)) {
      const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${fill()}</svg>`
      const pasted = await sharp(Buffer.from(svg))
        .composite([{ input: cutout }])
        .png()
        .toBuffer()
      const name = `${basename(file, '.png')}-${background}`
      const path = join(workDir, `${name}.png`)
      // A second pass: sharp composites last, after any removeAlpha of the same pipeline.
      await sharp(pasted).removeAlpha().png().toFile(path)
      composites.push({ name, path, cutout, background })
    }
  }
  return composites
}
