// Bundles src (core included) into dist/, the folder action.yml runs from. sharp, onnxruntime-node and protobufjs are
// loaded by core with createRequire at first use, so they stay outside: the action installs them at run time.
//   node bundle.mjs [outdir]   (tests bundle into a temp folder and compare it with the committed dist)
//
// Layout: dist/index.js is the entry action.yml runs; the other files of dist/ are chunks it imports, split by esbuild
// where the code loads something with import(). Node compiles every file a run imports before its first line runs,
// so a warm run (every cutout from the cache, nothing to commit) should import only what it uses:
// - The REST client (src/octokit.ts: Octokit and its plugins, 150 KB) is a chunk imported on pull requests only, while
//   git answers whether the branch moved on; push and workflow_dispatch never load it. It runs on Node's fetch:
//   @actions/github, whose fetch is a bundled undici (850 KB more), is a chunk of its own loaded only on a runner with
//   a proxy variable (Node's fetch ignores those).
// - core's own lazy parts (the ONNX session and model conversion, the composer, the remote engine's axios) are chunks
//   loaded on the first cache miss, as in core's build.
// - @actions/core imports @actions/http-client (undici again) for getIDToken alone, which the action never calls: the
//   plugin below declares that import free of side effects, so esbuild leaves it out while nothing uses it.
// (src/index.ts also keeps V8 from optimising fetch's llhttp WebAssembly in the background: exit waited for it.)
// Not minified: a readable dist is what users of an action audit, and minifying did not make a warm run faster.
import { readdir, rm } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const packageDir = fileURLToPath(new URL('.', import.meta.url))
const outdir = resolve(process.argv[2] ?? join(packageDir, 'dist'))

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
  entryPoints: { index: join(packageDir, 'src', 'index.ts') },
  outdir,
  // The paths esbuild writes in its comments are relative to this: the same bundle from any working directory.
  absWorkingDir: packageDir,
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
