// Bundles src (core included) into dist/, the folder action.yml runs from. sharp, onnxruntime-node and protobufjs are
// loaded by core with createRequire at first use, so they stay outside: the action installs them at run time.
//   node bundle.mjs [outdir]   (tests bundle into a temp folder and compare it with the committed dist)
//
// Layout: dist/index.js is the entry action.yml runs; the other files of dist/ are chunks it imports, split by esbuild
// where the code loads something with import(). Node compiles every file a run imports before its first line runs,
// so a warm run (every cutout from the cache, nothing to commit) should import only what it uses:
// - @actions/github (its Octokit and undici, about 1 MB) is a chunk of its own, imported by main.ts on pull requests
//   while git answers whether the branch moved on; push and workflow_dispatch never load it.
// - core's own lazy parts (the ONNX session and model conversion, the composer, the remote engine's axios) are chunks
//   loaded on the first cache miss, as in core's build.
// - @actions/core imports @actions/http-client (undici again) for getIDToken alone, which the action never calls: the
//   plugin below declares that import free of side effects, so esbuild leaves it out while nothing uses it.
// Not minified: a readable dist is what users of an action audit, and minifying did not make a warm run faster.
import { readdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { build } from 'esbuild'

const outdir = process.argv[2] ?? new URL('./dist', import.meta.url).pathname

/** @type {import('esbuild').Plugin} */
const unusedOidcClient = {
  name: 'unused-oidc-client',
  setup(bundle) {
    bundle.onResolve({ filter: /^@actions\/http-client(\/|$)/ }, async (args) => {
      if (args.pluginData?.resolving || !/[\\/]@actions[\\/]core[\\/]/.test(args.importer)) return undefined
      const { importer, kind, resolveDir } = args
      const resolved = await bundle.resolve(args.path, { importer, kind, resolveDir, pluginData: { resolving: true } })
      return { ...resolved, sideEffects: false }
    })
  },
}

// Chunk names carry a content hash: the files of an earlier bundle would linger beside the new ones.
for (const name of await readdir(outdir).catch(() => [])) {
  if (name.endsWith('.js')) await rm(join(outdir, name))
}

await build({
  entryPoints: { index: new URL('./src/index.ts', import.meta.url).pathname },
  outdir,
  bundle: true,
  splitting: true,
  chunkNames: '[name]-[hash]',
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // supports-color is debug's optional extra (required in a try): which copy pnpm lets debug see depends on the
  // install's history, so bundling it would make the committed dist differ between checkouts.
  external: ['sharp', 'onnxruntime-node', 'protobufjs', '@imgly/background-removal-data', 'supports-color'],
  plugins: [unusedOidcClient],
  // Bundled CommonJS dependencies call require(); an ES module has none unless it is made (in every chunk).
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);",
  },
  legalComments: 'none',
  logLevel: 'warning',
})
