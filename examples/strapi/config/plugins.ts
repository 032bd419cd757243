// The rembg-kit plugin: every image uploaded to the Media Library gets `formats.rembg`, its background removed
// on this machine with the IS-Net weights of @imgly/background-removal-data (no network, no API key).
export default () => ({
  rembg: {
    enabled: true,
    config: {
      engine: 'local',
      model: 'isnet-imgly',
      params: { format: 'png' },
    },
  },
})
