import { measureColdStart, coldStartSection, coldStartTarget } from './lib/cold-start.mjs'
import { listPhotos } from './lib/inputs.mjs'
import { mkdtemp } from 'node:fs/promises'
const photos = await listPhotos('/work/shared/photos')
const workDir = await mkdtemp('/tmp/cs-')
const r = await measureColdStart({ root: '/work/main', photos, workDir, runs: 3, log: (m) => console.error(m) })
console.log(coldStartSection(r)); console.log(coldStartTarget(r))
