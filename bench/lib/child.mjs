#!/usr/bin/env node
// One benchmark configuration in a process of its own: `node child.mjs <job.json>`. The job names the configuration
// and its images; the result (times, outputs, peak RSS) is written as JSON to job.resultFile, not to stdout, which
// the libraries measured here are free to print on.
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { configs } from './configs.mjs'
import { peakRssMib } from './stats.mjs'

const job = JSON.parse(await readFile(process.argv[2], 'utf8'))
const run = configs[job.config]
if (!run) throw new Error(`unknown configuration '${job.config}'`)
if (job.outDir) await mkdir(job.outDir, { recursive: true })
const result = await run(job)
await writeFile(job.resultFile, JSON.stringify({ ...result, config: job.config, peakRssMib: peakRssMib() }))
