#!/usr/bin/env node
// Measures what packages/core/src/onnx does for inference speed, on the IS-Net fp16 model shipped by
// @imgly/background-removal-data: per-run time (median of 3 after one warm-up), peak RSS and the largest difference
// between the original and the optimized model's outputs. Each configuration runs in its own process so that peak
// RSS is its own.
//
//   pnpm build && node bench/onnx-speed.mjs --photo some.jpg [--runs 3] [--core-dist packages/core/dist]
//
// Configurations: the original model with onnxruntime-node's defaults, with intraOpNumThreads = cores and with core's
// session options; the optimized model (fp16 → fp32, pruned to 'output', large 3x3 convolutions in Winograd form) with
// core's session options (the engine's default) and without the CPU memory arena; the optimized model with the
// opt-in Winograd convolutions ('optimized-winograd').
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { availableParallelism, tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
// Dependencies are installed for packages/core, not at the workspace root (pnpm does not hoist them).
const requireCore = createRequire(join(root, 'packages/core/package.json'))
const { values: args } = parseArgs({
  options: {
    photo: { type: 'string' },
    runs: { type: 'string', default: '3' },
    'core-dist': { type: 'string', default: join(root, 'packages/core/dist') },
    child: { type: 'string' },
    model: { type: 'string' },
    input: { type: 'string' },
  },
})
const work = join(tmpdir(), 'rembg-kit-bench')

if (args.child) await child(args.child)
else await main()

async function main() {
  mkdirSync(work, { recursive: true })
  const source = assembleImgly()
  const input = await makeInput(args.photo)
  const dist = resolve(args['core-dist'])
  if (!existsSync(join(dist, 'onnx/optimize.js')))
    throw new Error(`${dist}/onnx/optimize.js is missing: run pnpm build`)
  const { optimizeModel } = await import(pathToFileURL(join(dist, 'onnx/optimize.js')).href)
  // A fresh folder each time, so that the conversion itself is measured (and its memory).
  const cacheDir = mkdtempSync(join(work, 'optimized-'))
  const started = performance.now()
  const optimized = await optimizeModel(source, { cacheDir })
  const optimizeMs = performance.now() - started
  const optimizeRss = Math.round(process.resourceUsage().maxRSS / 1024)
  console.log(`optimizeModel: ${optimizeMs.toFixed(0)} ms, peak RSS ${optimizeRss} MB, ${JSON.stringify(optimized)}`)
  const winograd = await optimizeModel(source, { cacheDir, winograd: true })
  const configs = ['original-defaults', 'original-threads', 'original-tuned', 'optimized', 'optimized-no-arena']
  configs.push('optimized-winograd')
  const results = {}
  for (const config of configs) {
    const model =
      config === 'optimized-winograd' ? winograd.path : config.startsWith('optimized') ? optimized.path : source
    const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), ...childArgs(config, model, input)])
    results[config] = JSON.parse(out.toString())
    const { runs, median, maxRssMb, loadMs } = results[config]
    console.log(
      `${config.padEnd(18)} load ${loadMs} ms, runs ${runs.join(' / ')} ms, median ${median} ms, peak RSS ${maxRssMb} MB`,
    )
  }
  const a = new Float32Array(readFileSync(results['original-defaults'].output).buffer.slice(0))
  const b = new Float32Array(readFileSync(results.optimized.output).buffer.slice(0))
  let max = 0
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs((a[i] ?? 0) - (b[i] ?? 0)))
  console.log(`max |original - optimized| = ${max.toExponential(3)} (${(max * 255).toFixed(3)} / 255)`)
  const c = new Float32Array(readFileSync(results['optimized-winograd'].output).buffer.slice(0))
  let maxWinograd = 0
  for (let i = 0; i < a.length; i++) maxWinograd = Math.max(maxWinograd, Math.abs((a[i] ?? 0) - (c[i] ?? 0)))
  console.log(`max |original - optimized-winograd| = ${(maxWinograd * 255).toFixed(3)} / 255`)
  rmSync(cacheDir, { recursive: true, force: true })
}

function childArgs(config, model, input) {
  return ['--child', config, '--model', model, '--input', input, '--runs', args.runs, '--core-dist', args['core-dist']]
}

/** Joins the package's chunks into one .onnx file (once). */
function assembleImgly() {
  const target = join(work, 'isnet-medium.onnx')
  if (existsSync(target)) return target
  const dist = join(dirname(requireCore.resolve('@imgly/background-removal-data/package.json')), 'dist')
  const resources = JSON.parse(readFileSync(join(dist, 'resources.json'), 'utf8'))
  const chunks = resources['/models/medium'].chunks.map((chunk) => readFileSync(join(dist, chunk.hash)))
  writeFileSync(target, Buffer.concat(chunks))
  return target
}

/** 1x3x1024x1024 float32, (pixel / 255 - 0.5) / 1 as rembg's isnet: from a photo, or a generated gradient. */
async function makeInput(photo) {
  const sharp = requireCore('sharp')
  const image = photo
    ? sharp(photo)
    : sharp({ create: { width: 1024, height: 1024, channels: 3, background: '#808080' } }).png()
  const rgb = await image.removeAlpha().resize(1024, 1024, { fit: 'fill' }).raw().toBuffer()
  const plane = 1024 * 1024
  const data = new Float32Array(3 * plane)
  for (let i = 0; i < plane; i++) for (let c = 0; c < 3; c++) data[c * plane + i] = rgb[i * 3 + c] / 255 - 0.5
  const file = join(work, 'input.f32')
  writeFileSync(file, data)
  return file
}

async function child(config) {
  const ort = requireCore('onnxruntime-node')
  const { sessionOptions } = await import(pathToFileURL(join(resolve(args['core-dist']), 'onnx/session.js')).href)
  const cores = availableParallelism()
  const options = {
    'original-defaults': {},
    'original-threads': { intraOpNumThreads: cores },
    'original-tuned': sessionOptions(cores),
    optimized: sessionOptions(cores),
    'optimized-no-arena': { ...sessionOptions(cores), enableCpuMemArena: false },
    'optimized-winograd': sessionOptions(cores),
  }[config]
  const loadStart = performance.now()
  const session = await ort.InferenceSession.create(args.model, options)
  const loadMs = Math.round(performance.now() - loadStart)
  const data = new Float32Array(readFileSync(args.input).buffer.slice(0))
  const feeds = { input: new ort.Tensor('float32', data, [1, 3, 1024, 1024]) }
  let result = await session.run(feeds)
  const runs = []
  for (let i = 0; i < Number(args.runs); i++) {
    const start = performance.now()
    result = await session.run(feeds)
    runs.push(Math.round(performance.now() - start))
  }
  const output = join(work, `${config}.out.f32`)
  writeFileSync(output, result.output.data)
  const median = [...runs].sort((x, y) => x - y)[Math.floor(runs.length / 2)]
  const maxRssMb = Math.round(process.resourceUsage().maxRSS / 1024)
  process.stdout.write(JSON.stringify({ config, loadMs, runs, median, maxRssMb, output }))
}
