import { defineConfig } from 'tsdown'
import { packageBuild } from '../../tsdown.base.ts'

type Exports = Record<string, unknown>

// Every top-level file of src is a public entry (`src/vite.ts` is `@rembg-kit/unplugin/vite`), so a new entry needs
// no change here: the build writes package.json's `exports` from them. src/core is private by where it sits. The
// loaders are entries but not subpaths: the plugins hand the bundler their paths (`../webpack-loader.js` from
// core/hosts, `./next-loader.js` from next), which unbundled output (dist mirrors src) keeps where they are.
// The types-only subpaths (ambient declarations of `?rembg` imports) are listed as they are.
// The shared build (tsdown.base.ts at the root) makes ESM and CommonJS side by side, each with its types, so `import`
// and `require` both work (Next loads `next.config.ts` with `require`).
export default defineConfig({
  ...packageBuild,
  entry: ['src/*.ts', 'src/core/webpack-loader.ts'],
  exports: {
    exclude: ['core/webpack-loader', 'next-loader'],
    customExports: (exports: Exports) => ({
      ...withTypes(exports),
      './client': { types: './client.d.ts' },
      './next-client': { types: './next-client.d.ts' },
    }),
  },
})

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
