// Which uploads the plugin takes, narrowed by config: Media Library folders (by name, subfolders included), file name
// globs (`include`) and a size limit (`maxSize`). Uploads through the admin route, where an editor picks the folder.
import sharp from 'sharp'
import { afterAll, beforeAll, expect, it } from 'vitest'
import {
  adminFile,
  createFolder,
  expectProcessed,
  expectUntouched,
  scene,
  type Upload,
  uploadThroughAdmin,
} from './media.ts'
import { type RunningStrapi, startStrapi } from './strapi.ts'

const maxSize = 200_000
let app: RunningStrapi
let products: number

beforeAll(async () => {
  app = await startStrapi('selection', {
    plugins: { rembg: { config: { folders: ['/Products'], include: ['*.jpg'], maxSize } } },
  })
  products = await createFolder(app, 'Products')
})
afterAll(() => app?.close())

async function upload(file: Upload, folder: number | null): Promise<Awaited<ReturnType<typeof adminFile>>> {
  const [row] = await uploadThroughAdmin(app, [file], { folder })
  if (!row) throw new Error('no row answered')
  return adminFile(app, row.id)
}

it('a JPEG in /Products and one in its subfolder /Products/Shoes are processed', async () => {
  await expectProcessed(app, await upload(await scene('ball'), products))
  const shoes = await createFolder(app, 'Shoes', products)
  await expectProcessed(app, await upload(await scene('vase'), shoes))
})

it('a JPEG outside /Products is not', async () => {
  expectUntouched(await upload(await scene('box', 'elsewhere.jpg'), null))
  const other = await createFolder(app, 'Blog')
  expectUntouched(await upload(await scene('box', 'blog.jpg'), other))
})

it('a PNG in /Products is not (include: *.jpg)', async () => {
  const png = await sharp((await scene('ball')).bytes)
    .png()
    .toBuffer()
  expectUntouched(await upload({ name: 'ball.png', bytes: png, type: 'image/png' }, products))
})

it(`a JPEG over maxSize (${maxSize} bytes) in /Products is not`, async () => {
  const big = await sharp((await scene('vase')).bytes)
    .resize(2400, 1800)
    .jpeg({ quality: 100 })
    .toBuffer()
  expect(big.length).toBeGreaterThan(maxSize)
  expectUntouched(await upload({ name: 'big.jpg', bytes: big, type: 'image/jpeg' }, products))
})
