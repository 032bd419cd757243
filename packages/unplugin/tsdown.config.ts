import { defineConfig } from 'tsdown'
import { packageBuild } from '../../tsdown.base.ts'

type Exports = Record<string, unknown>

// Every top-level file of src is an entry (`src/vite.ts` is `@rembg-kit/unplugin/vite`), so a new entry needs no
// change here: the build writes package.json's `exports` from them. src/core is private by where it sits. The
// loaders are entries but not subpaths: the plugins hand the bundler their paths (`./webpack-loader.js`,
// `./next-loader.js`, relative to the built file that names them). The types-only subpaths (ambient declarations of
// `?rembg` imports) are listed as they are.
// The shared build (tsdown.base.ts at the root) makes ESM and CommonJS side by side, each with its types, so `import`
// and `require` both work (Next loads `next.config.ts` with `require`).
// Bundled, unlike the shared build: a Vite config importing the plugin loaded 17 files of ours one by one, which a
// warm build (every cutout from the cache) pays on top of the plain build. Each entry is one file plus shared chunks,
// and every one of them sits at dist's root, so a loader's path relative to import.meta.url is right from whichever
// chunk the code that names it lands in.
export default defineConfig({
  ...packageBuild,
  unbundle: false,
  entry: ['src/*.ts'],
  // Chunks named without a hash (the shared build overwrites dist in place, so hashed names would pile up stale
  // copies that a tarball packed from a working tree would ship), never in a folder (see above), and `chunk-` first
  // so that no chunk takes an entry's name (a types chunk named `index.d.ts` pushed the entry's to `index2.d.ts`).
  outputOptions: (options) => ({
    ...options,
    chunkFileNames: String(options.chunkFileNames).replace('[name]-[hash]', 'chunk-[name]'),
    // The private modules (src/core, src/next) in one chunk, not one per set of entries sharing them: an entry loads
    // two or three files, and the loaders' chunk is the one the plugin has already loaded. None of them imports
    // unplugin, so Next's loader processes (next-loader) do not load it.
    codeSplitting: { groups: [{ name: 'plugin', test: isPrivateCode }] },
  }),
  exports: {
    exclude: ['webpack-loader', 'next-loader'],
    customExports: (exports: Exports) => ({
      ...withTypes(exports),
      './client': { types: './client.d.ts' },
      './next-client': { types: './next-client.d.ts' },
    }),
  },
})

/** A module of src/core or src/next: its code, not the declarations the types build sees as modules too (`x.d.ts`). */
function isPrivateCode(id: string): boolean {
  return /[\\/]src[\\/](?:core|next)[\\/]/.test(id) && !id.endsWith('.d.ts')
}

/** `{ import: 'x.js', require: 'x.cjs' }` → each condition with its own types (`x.d.ts`, `x.d.cts`). */
function withTypes(exports: Exports): Exports {
  const typesOf = (file: string): string => file.replace(/\.js$/, '.d.ts').replace(/\.cjs$/, '.d.cts')
  return Object.fromEntries(
    Object.entries(exports).map(([subpath, target]) => {
      if (typeof target !== 'object' || target === null) return [subpath, target]
      const { import: esm, require: cjs } = target as { import: string; require: string }
      return [
        subpath,
        {
          import: { types: typesOf(esm), default: esm },
          require: { types: typesOf(cjs), default: cjs },
        },
      ]
    }),
  )
}
