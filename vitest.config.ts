import { defineConfig } from 'vitest/config'

// One run over every package. The JSON report is what .ci/run counts (N passed, N failed).
export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts', 'examples/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
    globalSetup: ['./vitest.global-setup.ts'],
    reporters: ['default', ['json', { outputFile: '.vitest/results.json' }]],
  },
})
