import rembg from '@rembg-kit/unplugin/vite'
import { sveltekit } from '@sveltejs/kit/vite'
import { defineConfig } from 'vite'

export default defineConfig({
  // Before sveltekit(): the plugin makes the cutouts of ?rembg imports and of url() in <style> blocks.
  plugins: [rembg({ model: 'isnet-imgly' }), sveltekit()],
})
