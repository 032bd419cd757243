import { defineConfig } from 'tsdown'
import { packageBuild } from '../../tsdown.base.ts'

// Bundled, unlike the shared build: loading one file per module cost a warm build about 45 ms of module loading
// for a cache hit's few milliseconds of work. Each entry is one file plus shared chunks, and what only a cache miss
// needs (the ONNX session and model conversion, the composer, the API client) sits behind dynamic imports, so it is
// a chunk of its own that a process answered from the cache never loads. Paths relative to import.meta.url resolve
// package names only (createRequire), so they stay right wherever a chunk lands in dist.
export default defineConfig({
  ...packageBuild,
  unbundle: false,
  entry: ['src/index.ts', 'src/internal.ts', 'src/cli/main.ts'],
  // Chunks named without a hash: the shared build overwrites dist in place (clean: false), so hashed names would pile
  // up a stale copy of a chunk at each change, and a tarball packed from a working tree would ship them. `chunk-`
  // first, so that no chunk takes an entry's name (a types chunk named `index.d.ts` would push the entry's aside).
  outputOptions: (options) => ({
    ...options,
    chunkFileNames: String(options.chunkFileNames).replace('[name]-[hash]', 'chunk-[name]'),
  }),
})
