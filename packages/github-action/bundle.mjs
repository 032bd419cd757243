// Bundles src (core included) into dist/index.js, the file action.yml runs. sharp, onnxruntime-node and protobufjs are
// loaded by core with createRequire at first use, so they stay outside: the action installs them at run time.
//   node bundle.mjs [outfile]   (tests bundle into a temp file and compare it with the committed dist)
import { build } from 'esbuild'

const outfile = process.argv[2] ?? new URL('./dist/index.js', import.meta.url).pathname

await build({
  entryPoints: [new URL('./src/index.ts', import.meta.url).pathname],
  outfile,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // supports-color is debug's optional extra (required in a try): which copy pnpm lets debug see depends on the
  // install's history, so bundling it would make the committed dist differ between checkouts.
  external: ['sharp', 'onnxruntime-node', 'protobufjs', '@imgly/background-removal-data', 'supports-color'],
  // Bundled CommonJS dependencies call require(); an ES module has none unless it is made.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);",
  },
  legalComments: 'none',
  logLevel: 'warning',
})
