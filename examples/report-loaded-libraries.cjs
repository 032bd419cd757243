// Preload (`node --require ./report-loaded-libraries.cjs ...`, or in NODE_OPTIONS) that says, when the process exits,
// which of the heavy native libraries it loaded: sharp's (libvips) and onnxruntime-node's. Node's own report lists the
// shared objects the process mapped, so an `import` and a `require` are both seen, whoever made them. A run answered
// by the result cache should list none. The list goes to the file named by REMBG_KIT_LOADED_REPORT (JSON), else to
// stderr.
const { writeFileSync } = require('node:fs')
const { basename } = require('node:path')

const heavy = /^(libvips|sharp-|libonnxruntime|onnxruntime_binding)/

process.on('exit', () => {
  const loaded = process.report
    .getReport()
    .sharedObjects.map((path) => basename(path))
    .filter((name) => heavy.test(name))
  const target = process.env.REMBG_KIT_LOADED_REPORT
  if (target) writeFileSync(target, JSON.stringify(loaded))
  else process.stderr.write(`heavy native libraries loaded: ${loaded.length ? loaded.join(', ') : 'none'}\n`)
})
