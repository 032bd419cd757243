import rembg from '@rembg-kit/unplugin/vite'
import { defineConfig } from 'astro/config'

export default defineConfig({
  // Astro builds with Vite: the plugin goes in Vite's plugins.
  vite: { plugins: [rembg({ model: 'isnet-imgly' })] },
})
