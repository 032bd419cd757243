import rembg from '@rembg-kit/unplugin/vite'

export default defineNuxtConfig({
  compatibilityDate: '2025-07-15',
  devtools: { enabled: false },
  telemetry: false,
  // Nuxt builds with Vite: the plugin goes in Vite's plugins. Its cache is the project's node_modules/.cache/rembg-kit.
  vite: { plugins: [rembg({ model: 'isnet-imgly' })] },
})
