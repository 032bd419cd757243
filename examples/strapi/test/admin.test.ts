/**
 * The plugin's admin panel in a real browser: the example's admin built with `strapi build` (./admin-build.ts), served
 * by a real Strapi, driven by headless Chromium (Debian's `chromium`, playwright-core). Editors log in through the login
 * form, upload through the Media Library and work on the plugin page, the settings page and the Content Manager's
 * side panel; what they see is checked against what the server stored. Each view is saved as a screenshot (the
 * plugin README's pictures: `UPDATE_SCREENSHOTS=1`).
 */
import { existsSync } from 'node:fs'
import { mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describeError, resolveParams } from '@rembg-kit/core'
import { decodeInput, loadInput } from '@rembg-kit/core/internal'
import { type Browser, chromium, type Page } from 'playwright-core'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { expectCutout, repoRoot } from '../../test-support.ts'
import { adminBuild } from './admin-build.ts'
import {
  adminRequest,
  createFolder,
  expectProcessed,
  type FileRow,
  fetchStored,
  scene,
  uploadThroughAdmin,
  uploadThroughContentApi,
} from './media.ts'
import { fixture, type RunningStrapi, startStrapi } from './strapi.ts'

// Debian's chromium (`apt-get install chromium`; .ci/run installs it). Without it, on a developer's machine these
// tests are skipped with this note; in CI they run and fail loudly instead.
const chromiumPath = '/usr/bin/chromium'
const browserMissing = !existsSync(chromiumPath) && !process.env.CI
if (browserMissing) console.warn(`${chromiumPath} is missing: the admin panel tests of examples/strapi are skipped`)

// Every run saves its screenshots under .vitest/ (ignored by git); UPDATE_SCREENSHOTS=1 writes them over the README's
// pictures in packages/strapi-plugin/docs/ instead, so that a test run leaves the tree as it was.
const screenshotsDir = process.env.UPDATE_SCREENSHOTS
  ? join(repoRoot, 'packages', 'strapi-plugin', 'docs')
  : join(repoRoot, '.vitest', 'screenshots')
const apiKey = 'rk-admin-test-secret-4711'
const password = 'Editor1234'
const users = {
  superAdmin: { email: 'admin@example.com', password: 'Admin1234' },
  editor: { email: 'editor@example.com', password },
  author: { email: 'author@example.com', password },
  viewer: { email: 'viewer@example.com', password },
}

/** The parts of a browser's `HTMLImageElement` the tests read (the tests' types have no DOM). */
interface BrowserImage {
  complete: boolean
  naturalWidth: number
  src: string
  addEventListener(type: 'load' | 'error', listener: () => void, options: { once: boolean }): void
}

/** Core's message for a value it refuses: what the server must answer word for word. */
function coreMessage(params: Record<string, unknown>): string {
  try {
    resolveParams(params)
  } catch (error) {
    return describeError(error)
  }
  throw new Error(`core accepted ${JSON.stringify(params)}`)
}

describe.skipIf(browserMissing)('the plugin in the admin panel (headless Chromium)', () => {
  let app: RunningStrapi
  let browser: Browser
  const pages = new Map<string, Page>()

  beforeAll(async () => {
    // No feedback survey nor Enterprise promotion popping over the pages under test.
    process.env.FLAG_NPS = 'false'
    process.env.FLAG_PROMOTE_EE = 'false'
    app = await startStrapi('admin', { adminBuild: await adminBuild(), plugins: { rembg: { config: { apiKey } } } })
    const roleId = async (code: string): Promise<number> =>
      (await app.strapi.service('admin::role').findOne({ code })).id
    const editor = await roleId('strapi-editor')
    await grant(editor, ['plugin::rembg.read', 'plugin::rembg.process'])
    await createUser('editor', editor)
    await createUser('author', await roleId('strapi-author'))
    // A role of its own that may look but not process.
    const { data: viewer } = await adminRequest<{ data: { id: number } }>(app, 'POST', '/admin/roles', {
      name: 'Viewer',
      description: 'Sees the Media Library and the background removal page',
    })
    await grant(viewer.id, ['plugin::upload.read', 'plugin::rembg.read'])
    await createUser('viewer', viewer.id)
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    })
    await mkdir(screenshotsDir, { recursive: true })
  }, 900_000)

  afterAll(async () => {
    await browser?.close()
    await app?.close()
  })

  async function createUser(name: Exclude<keyof typeof users, 'superAdmin'>, roleId: number): Promise<void> {
    await app.strapi.service('admin::user').create({
      ...users[name],
      firstname: name[0]?.toUpperCase() + name.slice(1),
      lastname: 'Example',
      registrationToken: null,
      isActive: true,
      roles: [roleId],
    })
  }

  /** Adds actions to a role as the role editor does: its permissions, read and written back through the admin API. */
  async function grant(roleId: number, actions: string[]): Promise<void> {
    const { data } = await adminRequest<{ data: Record<string, unknown>[] }>(
      app,
      'GET',
      `/admin/roles/${roleId}/permissions`,
    )
    const kept = data.map(({ action, subject, properties, conditions }) => ({
      action,
      subject,
      properties,
      conditions,
    }))
    const added = actions.map((action) => ({ action, subject: null, properties: {}, conditions: [] }))
    await adminRequest(app, 'PUT', `/admin/roles/${roleId}/permissions`, { permissions: [...kept, ...added] })
  }

  /** A logged-in tab of `user` (one login each: Strapi limits login attempts per address and e-mail). */
  async function pageOf(user: keyof typeof users): Promise<Page> {
    const known = pages.get(user)
    if (known) return known
    const context = await browser.newContext({ viewport: { width: 1440, height: 960 }, deviceScaleFactor: 1 })
    const page = await context.newPage()
    await page.goto(`${app.url}/admin/auth/login`)
    await page.getByLabel('Email').fill(users[user].email)
    await page.getByLabel('Password').fill(users[user].password)
    await page.getByRole('button', { name: 'Login' }).click()
    await page.getByRole('link', { name: 'Media Library' }).waitFor()
    // Strapi 5.54 announces its new Media Library in a banner over every page: closed, as a user would.
    await page
      .getByRole('button', { name: 'Close the banner.' })
      .click({ timeout: 5_000 })
      .catch(() => undefined)
    pages.set(user, page)
    return page
  }

  const screenshot = (page: Page, name: string): Promise<Buffer> =>
    page.screenshot({ path: join(screenshotsDir, `${name}.png`), animations: 'disabled' })

  /** The plugin page's row of a file (a table row named after the file). */
  const rowOf = (page: Page, name: string) => page.getByRole('row', { name })

  /** The plugin page as its menu link opens it, fresh (filters reset, folders and jobs read again). */
  async function openPluginPage(page: Page): Promise<void> {
    await page.goto(`${app.url}/admin`)
    await page.getByRole('link', { name: 'Background removal' }).click()
    await page.getByRole('heading', { name: 'Background removal' }).waitFor()
  }

  /** The `src` of an image once the browser has loaded it (an image that fails to load never resolves this). */
  async function loadedImage(page: Page, alt: string): Promise<string> {
    const image = page.getByRole('img', { name: alt, exact: true })
    await image.waitFor()
    await image.evaluate(
      (element: BrowserImage) =>
        new Promise<void>((resolve, reject) => {
          if (element.complete && element.naturalWidth > 0) return resolve()
          element.addEventListener('load', () => resolve(), { once: true })
          element.addEventListener('error', () => reject(new Error(`${element.src} did not load`)), { once: true })
        }),
    )
    return (await image.getAttribute('src')) as string
  }

  it('an editor uploads a photo in the Media Library and sees it done on the plugin page, original and cutout side by side', async () => {
    const page = await pageOf('editor')
    await page.getByRole('link', { name: 'Media Library' }).click()
    await page.getByRole('button', { name: 'New' }).click()
    const [chooser] = await Promise.all([
      page.waitForEvent('filechooser'),
      page.getByRole('menuitem', { name: 'File upload', exact: true }).click(),
    ])
    const [uploaded] = await Promise.all([
      page.waitForResponse(
        (response) => response.request().method() === 'POST' && new URL(response.url()).pathname === '/upload/files',
      ),
      chooser.setFiles(fixture('vase.jpg')),
    ])
    expect(uploaded.status()).toBe(201)

    await openPluginPage(page)
    const row = rowOf(page, 'vase.jpg')
    await row.getByText('done', { exact: true }).waitFor()
    for (const text of ['isnet-imgly', 'local']) await row.getByText(text, { exact: true }).waitFor()
    // Before and after, as the browser shows them: the original as uploaded, the cutout a transparent PNG.
    const original = await fetchStored(app, await loadedImage(page, 'vase.jpg (Original)'))
    expect((await sharp(original).metadata()).format).toBe('jpeg')
    const cutout = await fetchStored(app, await loadedImage(page, 'vase.jpg (Cutout)'))
    await expectCutout(cutout, { format: 'png', width: 640, height: 480 })
    await screenshot(page, 'plugin-page')
  })

  it('a corrupt JPEG shows failed with its reason, and Retry processes it again', async () => {
    // A JPEG header and then noise: Strapi stores it as a file, core cannot decode it.
    const bytes = Buffer.concat([(await readFile(fixture('ball.jpg'))).subarray(0, 20), Buffer.alloc(20_000, 0x55)])
    const reason = await loadInput(bytes, { fileName: 'broken.jpg' })
      .then(decodeInput)
      .then(
        () => 'decoded',
        (error: Error) => error.message,
      )
    expect(reason).toBe('File does not appear to be a valid image (invalid file signature)')
    const [file] = await uploadThroughContentApi(app, [{ name: 'broken.jpg', bytes, type: 'image/jpeg' }])

    const page = await pageOf('editor')
    await openPluginPage(page)
    await page.getByRole('combobox', { name: 'Status' }).click()
    await page.getByRole('option', { name: 'failed' }).click()
    await rowOf(page, 'vase.jpg').waitFor({ state: 'detached' })
    const row = rowOf(page, 'broken.jpg')
    await row.getByText('failed', { exact: true }).waitFor()
    await row.getByText(reason, { exact: true }).waitFor()
    expect(await page.getByRole('row').count()).toBe(2) // the heading row and broken.jpg: the filter applies
    await screenshot(page, 'failed')

    const [answer] = await Promise.all([
      page.waitForResponse((response) => new URL(response.url()).pathname === `/rembg/files/${file?.id}/process`),
      row.getByRole('button', { name: 'Retry' }).click(),
    ])
    expect(answer.request().method()).toBe('POST')
    // Processed again: the bytes are still broken, so the record is new and says the same.
    const stored = (await adminRequest<FileRow>(app, 'GET', `/upload/files/${file?.id}`)).rembg
    expect(stored).toMatchObject({ status: 'failed', error: reason })
    expect(stored?.at).not.toBe(file?.rembg?.at)
    await row.getByText(reason, { exact: true }).waitFor()
  })

  it('"Process again" shows core’s message for a bad value word for word, and processes with other parameters', async () => {
    const page = await pageOf('editor')
    await openPluginPage(page)
    const row = rowOf(page, 'vase.jpg')
    await row.getByRole('button', { name: 'Process again' }).click()
    const dialog = page.getByRole('dialog', { name: 'Process vase.jpg again' })
    await dialog.getByLabel('Width (w)').fill('wide')
    await dialog.getByRole('button', { name: 'Process' }).click()
    await dialog
      .getByRole('alert')
      .getByText(coreMessage({ w: 'wide' }), { exact: true })
      .waitFor()
    await screenshot(page, 'process-again')

    await dialog.getByLabel('Width (w)').fill('320')
    await dialog.getByRole('button', { name: 'Process' }).click()
    await dialog.waitFor({ state: 'detached' })
    await page.getByText('vase.jpg processed').waitFor()
    const cutout = await fetchStored(app, await loadedImage(page, 'vase.jpg (Cutout)'))
    await expectCutout(cutout, { format: 'png', width: 320, height: 240 })
  })

  it('a folder job shows its progress, which a reload keeps; a library job can be cancelled', async () => {
    const folder = await createFolder(app, 'Products')
    // Left unprocessed at upload (the admin route pairs each fileInfo with its file by name): the job does the work.
    const images = [await scene('box'), await scene('ball')]
    await uploadThroughAdmin(
      app,
      images,
      images.map(({ name }) => ({ name, folder, rembg: false })),
    )
    const page = await pageOf('editor')
    await openPluginPage(page)
    await page.getByRole('combobox', { name: 'Folder' }).click()
    await page.getByRole('option', { name: '/Products' }).click()
    // The page lists what the plugin handled: nothing in this folder yet.
    await page.getByText('No image of this folder or status was handled yet.').waitFor()
    await page.getByRole('button', { name: 'Process folder' }).click()
    const job = page.getByRole('group', { name: 'Folder /Products' }).first()
    await job.getByText('finished', { exact: true }).waitFor()
    await job.getByText('2 done, 0 failed, 0 skipped, of 2', { exact: true }).waitFor()
    for (const name of ['box.jpg', 'ball.jpg']) await rowOf(page, name).getByText('done', { exact: true }).waitFor()
    await page.reload()
    await page
      .getByRole('group', { name: 'Folder /Products' })
      .first()
      .getByText('2 done, 0 failed, 0 skipped, of 2', { exact: true })
      .waitFor()

    // Images no cache holds, left unprocessed at upload: the library job has work for a while.
    const fresh = await Promise.all(
      Array.from({ length: 6 }, async (_, index) => {
        const bytes = await sharp(fixture('ball.jpg'))
          .modulate({ hue: 40 * (index + 1) })
          .jpeg()
          .toBuffer()
        return { name: `hue-${index}.jpg`, bytes, type: 'image/jpeg' }
      }),
    )
    await uploadThroughAdmin(
      app,
      fresh,
      fresh.map(({ name }) => ({ name, rembg: false })),
    )
    await page.getByRole('button', { name: 'Process whole library' }).click()
    await page.getByRole('alertdialog').getByRole('button', { name: 'Confirm' }).click()
    const library = page.getByRole('group', { name: 'Whole library' }).first()
    await library.getByText('running', { exact: true }).waitFor()
    await screenshot(page, 'jobs')
    await library.getByRole('button', { name: 'Cancel' }).click()
    await library.getByText('cancelled', { exact: true }).waitFor()
    // Stopped before the end: fewer files handled than the job counted.
    const progress = await library.getByText(/ done, .* of \d+$/).textContent()
    const [done, failed, skipped, total] = (progress?.match(/\d+/g) ?? []).map(Number)
    expect((done ?? 0) + (failed ?? 0) + (skipped ?? 0)).toBeLessThan(total as number)
  })

  it('the Content Manager’s side panel removes the background of an entry’s image', async () => {
    const [photo] = await uploadThroughAdmin(app, [await scene('box', 'product-box.jpg')], { rembg: false })
    const { data } = await adminRequest<{ data: { documentId: string } }>(
      app,
      'POST',
      '/content-manager/collection-types/api::product.product',
      { name: 'Box', photo: photo?.id },
    )
    const page = await pageOf('superAdmin')
    await page.goto(`${app.url}/admin/content-manager/collection-types/api::product.product/${data.documentId}`)
    const image = page.getByRole('group', { name: 'product-box.jpg' })
    await image.getByText('not processed', { exact: true }).waitFor()
    await image.getByRole('button', { name: 'Remove background' }).click()
    await image.getByText('done', { exact: true }).waitFor()
    await expectProcessed(app, await adminRequest<FileRow>(app, 'GET', `/upload/files/${photo?.id}`))
    await screenshot(page, 'edit-view-panel')
  })

  it('the settings page shows the configuration with the API key masked and refuses a bad value with its message', async () => {
    const page = await pageOf('superAdmin')
    await page.goto(`${app.url}/admin/settings/rembg`)
    await page.getByRole('heading', { name: 'Background removal' }).waitFor()
    await page.getByText('********', { exact: true }).waitFor()
    expect(await page.content()).not.toContain(apiKey)
    await screenshot(page, 'settings')

    const params = page.getByLabel('Output parameters (JSON)')
    await params.fill('{ "format": "gif" }')
    await page.getByRole('button', { name: 'Save' }).click()
    await page
      .getByRole('alert')
      .getByText(`params.format: ${coreMessage({ format: 'gif' })}`, { exact: true })
      .waitFor()
    expect(
      (await adminRequest<{ editable: { params: { format: string } } }>(app, 'GET', '/rembg/settings')).editable,
    ).toMatchObject({ params: { format: 'png' } })

    await params.fill('{ "format": "webp", "w": 800 }')
    await page.getByRole('button', { name: 'Save' }).click()
    await page.getByText('Settings saved').waitFor()
    const saved = await adminRequest<{ editable: { params: Record<string, unknown> } }>(app, 'GET', '/rembg/settings')
    expect(saved.editable.params).toMatchObject({ format: 'webp', w: 800 })
  })

  it('a role that may read but not process sees the files and jobs without any button that processes', async () => {
    const page = await pageOf('viewer')
    await openPluginPage(page)
    await rowOf(page, 'vase.jpg').getByText('done', { exact: true }).waitFor()
    await rowOf(page, 'broken.jpg').getByText('failed', { exact: true }).waitFor()
    await page.getByRole('group', { name: 'Whole library' }).first().waitFor()
    for (const name of ['Retry', 'Process again', 'Process folder', 'Process whole library', 'Cancel']) {
      expect(await page.getByRole('button', { name }).count(), name).toBe(0)
    }
  })

  it('a role without the plugin’s permissions sees neither its page nor its settings, and its calls are refused', async () => {
    const page = await pageOf('author')
    await page.getByRole('link', { name: 'Content Manager' }).waitFor()
    expect(await page.getByRole('link', { name: 'Background removal' }).count()).toBe(0)
    await page.goto(`${app.url}/admin/plugins/rembg`)
    await page.getByText("You don't have the permissions to access that content").waitFor()
    expect(await page.getByRole('heading', { name: 'Background removal' }).count()).toBe(0)
    await screenshot(page, 'no-permission')
    await page.goto(`${app.url}/admin/settings`)
    await page.getByRole('link', { name: 'Overview' }).waitFor()
    expect(await page.getByRole('link', { name: 'Background removal' }).count()).toBe(0)

    const login = await fetch(`${app.url}/admin/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(users.author),
    })
    const { data } = (await login.json()) as { data: { token: string } }
    const files = await fetch(`${app.url}/rembg/files`, { headers: { authorization: `Bearer ${data.token}` } })
    expect(files.status).toBe(403)
  })
})
