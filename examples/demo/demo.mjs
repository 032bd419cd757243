/**
 * The demo: removes the background of three generated photos with the local IS-Net model, offline, then asks for
 * them again in other sizes and formats to show that every variant reuses one inference, and a second pass costs
 * nothing. Prints a table and where the outputs are.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createRemover } from '@rembg-kit/core'
import sharp from 'sharp'
import { iou, renderScene, sceneNames } from './scenes.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const outDir = join(here, 'output')
const cacheDir = join(here, 'node_modules', '.cache', 'rembg-kit')
const fresh = process.argv.includes('--fresh')

// The imgly IS-Net weights install from npm with this repo's dev dependencies, so the demo needs no download.
const remover = createRemover({ model: 'isnet-imgly', cacheDir })
const variants = [
  { label: 'cutout', params: { format: 'png' } },
  { label: 'w320', params: { format: 'webp', w: 320 } },
  { label: 'white', params: { format: 'jpeg', bg_color: 'white' } },
]

if (fresh) await rm(cacheDir, { recursive: true, force: true })
await mkdir(join(outDir, 'input'), { recursive: true })
const rows = []
const scenes = []
for (const name of sceneNames) {
  const scene = await renderScene(name)
  scenes.push(scene)
  const inputPath = join(outDir, 'input', `${name}.png`)
  await writeFile(inputPath, scene.png)
  for (const pass of ['first', 'again']) {
    for (const { label, params } of pass === 'again' ? variants.slice(0, 1) : variants) {
      const started = performance.now()
      const result = await remover.remove(inputPath, params)
      const ms = performance.now() - started
      const outPath = join(outDir, `${name}.${label}.${result.extension}`)
      await writeFile(outPath, result.data)
      const hit = result.cache.output ? 'output' : result.cache.matte ? 'matte' : 'no (inference)'
      rows.push([
        relative(here, outPath),
        `${result.width}x${result.height}`,
        kb(result.data.length),
        `${ms.toFixed(0)} ms`,
        hit,
        pass,
      ])
    }
  }
}

printTable(['file', 'size', 'bytes', 'time', 'cache hit', 'pass'], rows)
if (rows.some((row) => row[4] === 'no (inference)')) {
  // A run served from the cache never loads the model; the first inference of a run pays for it.
  console.log('(the first inference includes loading the model, and the first run ever converting it once)')
}
await printQuality(scenes)
await writeBeforeAfter(scenes)
console.log(
  `\nOutputs: ${relative(process.cwd(), outDir) || '.'}/  (inputs in input/, cache in ${relative(process.cwd(), cacheDir)})`,
)
// The remover was made with a model, so its engine is the local one.
const engine = /** @type {import('@rembg-kit/core').LocalEngine} */ (remover.engine)
console.log(
  `Engine: local ${engine.spec.name} on ${engine.provider ?? 'cpu (not even loaded: every row came from the cache)'}. Run again: every row is a cache hit.`,
)

function kb(bytes) {
  return `${(bytes / 1024).toFixed(1)} KB`
}

function printTable(header, body) {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => String(r[i]).length)))
  const line = (cells) => cells.map((c, i) => String(c).padEnd(widths[i])).join('  ')
  console.log(line(header))
  console.log(widths.map((w) => '-'.repeat(w)).join('  '))
  for (const row of body) console.log(line(row))
}

/** How well the cut matches the known silhouette (intersection over union of the alpha with the ground truth). */
async function printQuality(list) {
  const parts = []
  for (const scene of list) {
    const alpha = await sharp(join(outDir, `${scene.name}.cutout.png`))
      .extractChannel(3)
      .raw()
      .toBuffer()
    parts.push(`${scene.name} ${(iou(alpha, scene.truth) * 100).toFixed(2)} %`)
  }
  console.log(`\nCut quality (IoU with the true silhouette): ${parts.join(', ')}`)
}

/** The README's picture: each photo beside its cutout over a checkerboard. */
async function writeBeforeAfter(list) {
  const cell = { width: 320, height: 240 }
  const checker = await sharp(
    Buffer.from(
      `<svg xmlns="http://www.w3.org/2000/svg" width="${cell.width}" height="${cell.height}"><defs><pattern id="c" width="16" height="16" patternUnits="userSpaceOnUse"><rect width="16" height="16" fill="#ffffff"/><rect width="8" height="8" fill="#d0d0d0"/><rect x="8" y="8" width="8" height="8" fill="#d0d0d0"/></pattern></defs><rect width="100%" height="100%" fill="url(#c)"/></svg>`,
    ),
  )
    .png()
    .toBuffer()
  const tiles = []
  for (const [row, scene] of list.entries()) {
    const before = await sharp(scene.png).resize(cell.width, cell.height).toBuffer()
    const cut = await sharp(join(outDir, `${scene.name}.cutout.png`))
      .resize(cell.width, cell.height)
      .toBuffer()
    const after = await sharp(checker)
      .composite([{ input: cut }])
      .png()
      .toBuffer()
    tiles.push(
      { input: before, left: row * cell.width, top: 0 },
      { input: after, left: row * cell.width, top: cell.height },
    )
  }
  const picture = join(outDir, 'before-after.png')
  await sharp({ create: { width: cell.width * list.length, height: cell.height * 2, channels: 3, background: '#fff' } })
    .composite(tiles)
    .png()
    .toFile(picture)
}
