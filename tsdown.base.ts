import type { UserConfig } from 'tsdown'

/**
 * The build every published TypeScript package shares; a package's tsdown.config.ts adds its entries (and unplugin its
 * exports map). ESM (`.js`) and CommonJS (`.cjs`) side by side, each with its types (`.d.ts`, `.d.cts`), so `import`
 * and `require` both work (Next's and Strapi's configs, Jest and older tools load packages with `require`).
 * Unbundled: dist mirrors src, so a path relative to `import.meta.url` stays right and every module can be loaded on
 * its own.
 */
export const packageBuild = {
  tsconfig: 'tsconfig.build.json',
  format: ['esm', 'cjs'],
  platform: 'node',
  target: 'node20.19',
  unbundle: true,
  fixedExtension: false,
  dts: true,
  shims: true,
  checks: { legacyCjs: false },
  // Files are overwritten in place, as tsc did: a test or a dev server running beside a rebuild never finds dist
  // empty. A module removed from src leaves its file behind until dist is deleted (CI starts without one).
  clean: false,
} satisfies UserConfig
