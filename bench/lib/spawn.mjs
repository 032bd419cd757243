// Starts one configuration in its own process and waits for its JSON result.
import { spawn } from 'node:child_process'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const childScript = fileURLToPath(new URL('./child.mjs', import.meta.url))
// A configuration that hangs must not hold the whole run: the slowest expected one takes about three minutes.
const timeoutMs = 15 * 60 * 1000

/**
 * Runs `job` (see configs.mjs) in a fresh Node process. Resolves to its result, or to `{ error }` with the tail of
 * what it printed when it fails, so that one configuration failing leaves the others' figures standing.
 */
export async function runChild(id, job, workDir) {
  const jobFile = join(workDir, `${id}.job.json`)
  const resultFile = join(workDir, `${id}.result.json`)
  await writeFile(jobFile, JSON.stringify({ ...job, resultFile }))
  const started = performance.now()
  const { code, output } = await spawnNode([childScript, jobFile])
  const wallMs = performance.now() - started
  if (code !== 0) return { error: output.trim().split('\n').slice(-12).join('\n') || `exit code ${code}`, wallMs }
  return { ...JSON.parse(await readFile(resultFile, 'utf8')), wallMs }
}

function spawnNode(args) {
  return new Promise((resolve) => {
    // The measured libraries print on both streams (core names its provider on stderr): keep it for failures only.
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    const collect = (chunk) => {
      output = (output + chunk).slice(-20_000)
    }
    child.stdout.on('data', collect)
    child.stderr.on('data', collect)
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({ code: signal ? `${signal} (timeout ${timeoutMs / 60000} min?)` : code, output })
    })
  })
}
