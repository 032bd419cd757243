import { defineConfig } from 'tsdown'
import { packageBuild } from '../../tsdown.base.ts'

export default defineConfig({
  ...packageBuild,
  entry: ['src/index.ts', 'src/internal.ts', 'src/cli/main.ts'],
})
