// Core alone on the Vite benchmark's images: one process, one Remover, every requested cutout at once, as the plugin
// asks for them while Vite loads the modules (core's engine runs one inference at a time, as in the plugin).
//
//   node core-cold.mjs JOB.json   (JOB: { images: [path], variants: [params], cacheDir })
// Prints one JSON line: { images, inferences, fromCache }.
import { readFile } from 'node:fs/promises'
import { createRemover } from '@rembg-kit/core'

const job = JSON.parse(await readFile(process.argv[2], 'utf8'))
const remover = createRemover({ model: 'isnet-imgly', cacheDir: job.cacheDir })
const requests = job.images.flatMap((image) => job.variants.map((params) => remover.remove(image, params)))
const results = await Promise.all(requests)
const inferences = results.filter((result) => !result.cache.matte).length
const fromCache = results.filter((result) => result.cache.output).length
console.log(JSON.stringify({ images: results.length, inferences, fromCache }))
