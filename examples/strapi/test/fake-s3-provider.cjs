// An upload provider standing in for S3: it stores files in a folder of its own (not public/uploads) and gives them
// absolute URLs on another server, as a bucket behind a CDN would. Strapi lower-cases the provider name and requires
// it, so this module sits at an absolute, lower-case path.
const { createWriteStream } = require('node:fs')
const { mkdir, rm, writeFile } = require('node:fs/promises')
const { join } = require('node:path')
const { pipeline } = require('node:stream/promises')

module.exports = {
  init({ dir, baseUrl }) {
    const key = (file) => `${file.hash}${file.ext}`
    const stored = (file) => {
      file.url = `${baseUrl}/${key(file)}`
      file.provider_metadata = { bucket: 'fake-s3', key: key(file) }
    }
    return {
      async uploadStream(file) {
        await mkdir(dir, { recursive: true })
        await pipeline(file.stream, createWriteStream(join(dir, key(file))))
        stored(file)
      },
      async upload(file) {
        await mkdir(dir, { recursive: true })
        await writeFile(join(dir, key(file)), file.buffer)
        stored(file)
      },
      async delete(file) {
        await rm(join(dir, key(file)), { force: true })
      },
    }
  },
}
