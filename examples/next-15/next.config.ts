import { withRembg } from '@rembg-kit/unplugin/next'
import type { NextConfig } from 'next'

const nextConfig: NextConfig = {}

// The local engine with the IS-Net weights of @imgly/background-removal-data: builds offline.
export default withRembg(nextConfig, { model: 'isnet-imgly', logLevel: 'verbose' })
