// One process as a one-image CLI run is, timed in parts: Node's start, core's import, the session ready, decode, the
// first run, compose and encode. Prints one JSON line. Argument: the photo.
const startMs = process.uptime() * 1000
const t0 = performance.now()
// The internal entry holds the steps a remover runs one after the other (load, decode, compose), timed apart here.
const [core, internal] = await Promise.all([import('@rembg-kit/core'), import('@rembg-kit/core/internal')])
const t1 = performance.now()
const engine = core.createLocalEngine({ model: 'isnet-imgly' })
const { form } = await engine.load()
const t2 = performance.now()
const image = await internal.decodeInput(await internal.loadInput(process.argv[2]))
const t3 = performance.now()
const matte = await engine.matte(image)
const t4 = performance.now()
await internal.compose(image, matte, core.resolveParams({ format: 'png' }))
const t5 = performance.now()
console.log(
  JSON.stringify({
    form,
    startMs,
    importMs: t1 - t0,
    sessionMs: t2 - t1,
    decodeMs: t3 - t2,
    firstRunMs: t4 - t3,
    encodeMs: t5 - t4,
    totalMs: process.uptime() * 1000,
  }),
)
