import rembg from '@rembg-kit/unplugin/vite'
import { defineConfig } from 'vite'

export default defineConfig({
  plugins: [rembg({ model: 'isnet-imgly' })],
})
