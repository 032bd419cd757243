// Who may do what on the plugin's admin routes, with roles made through the admin API as an administrator would:
// the plugin's own actions (read, process, settings.read, settings.update) and, to process a file, the Media
// Library's right to update that file with its conditions (an Author: only their own files).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { adminFile, createFolder, expectProcessed, expectUntouched, type FileRow, scene } from './media.ts'
import { call, createRole, createUser, grant, ok, type Permission, roleId, uploadAs } from './permissions-users.ts'
import { type RunningStrapi, startStrapi } from './strapi.ts'

let app: RunningStrapi
/** Files of the super admin and of the Author, uploaded opted out so they start untouched. */
let adminsFile: number
let authorsFile: number
let folder: number
/** A job's id: the Editor's folder job once it exists. */
let jobId = '1'
let author: string
let editor: string
/** A role that may use the Media Library fully but has none of the plugin's permissions. */
let outsider: string

const process_: Permission = { action: 'plugin::rembg.process' }
const read: Permission = { action: 'plugin::rembg.read' }

beforeAll(async () => {
  app = await startStrapi('permissions')
  folder = await createFolder(app, 'Team')
  adminsFile = await uploadAs(app, app.adminJwt, await scene('box', 'admins.jpg'), { folder, rembg: false })
  const uploadActions = ['read', 'assets.create', 'assets.update', 'assets.download', 'assets.copy-link']
  const outsiderRole = await createRole(
    app,
    'No background removal',
    uploadActions.map((action) => ({ action: `plugin::upload.${action}` })),
  )
  outsider = await createUser(app, 'outsider@example.com', [outsiderRole])
  const authorRole = await roleId(app, 'strapi-author')
  await grant(app, authorRole, [process_, read])
  author = await createUser(app, 'author@example.com', [authorRole])
  authorsFile = await uploadAs(app, author, await scene('box', 'authors.jpg'), { rembg: false })
  const editorRole = await roleId(app, 'strapi-editor')
  await grant(app, editorRole, [process_, read])
  editor = await createUser(app, 'editor@example.com', [editorRole])
})
afterAll(() => app?.close())

/** Every admin route of the plugin, with real ids. */
function everyRoute(): { method: string; path: string; body?: unknown }[] {
  return [
    { method: 'GET', path: '/rembg/files' },
    { method: 'POST', path: `/rembg/files/${adminsFile}/process` },
    { method: 'POST', path: `/rembg/files/${adminsFile}/process`, body: { params: { format: 'webp' } } },
    { method: 'POST', path: `/rembg/folders/${folder}/process` },
    { method: 'POST', path: '/rembg/library/process' },
    { method: 'GET', path: '/rembg/jobs' },
    { method: 'GET', path: `/rembg/jobs/${jobId}` },
    { method: 'POST', path: `/rembg/jobs/${jobId}/cancel` },
    { method: 'GET', path: '/rembg/settings' },
    { method: 'PUT', path: '/rembg/settings', body: { mode: 'replace' } },
  ]
}

/** What a change would alter on a file row. */
const snapshot = async (id: number): Promise<Pick<FileRow, 'formats' | 'rembg' | 'url' | 'hash'>> => {
  const { formats, rembg, url, hash } = await adminFile(app, id)
  return { formats, rembg, url, hash }
}

it('registers its four actions in the role editor, the settings ones under their category', async () => {
  type Section = { action: string; subCategory?: string; category?: string; plugin?: string }
  const { data } = await ok<{ data: { sections: { plugins: Section[]; settings: Section[] } } }>(
    app,
    app.adminJwt,
    'GET',
    '/admin/permissions',
  )
  const plugin = data.sections.plugins.filter((each) => each.action.startsWith('plugin::rembg.'))
  expect(plugin.map((each) => each.action).sort()).toEqual(['plugin::rembg.process', 'plugin::rembg.read'])
  const settings = data.sections.settings.filter((each) => each.action.startsWith('plugin::rembg.'))
  expect(settings.map((each) => [each.action, each.category])).toEqual([
    ['plugin::rembg.settings.read', 'background removal'],
    ['plugin::rembg.settings.update', 'background removal'],
  ])
})

describe('a role without the plugin’s permissions', () => {
  it('gets 403 from every route, and nothing changes', async () => {
    const files = [await snapshot(adminsFile), await snapshot(authorsFile)]
    const settings = await ok(app, app.adminJwt, 'GET', '/rembg/settings')
    for (const route of everyRoute()) {
      const answer = await call<{ error?: { status: number } }>(app, outsider, route.method, route.path, route.body)
      expect({ ...route, status: answer.status }).toEqual({ ...route, status: 403 })
    }
    expect([await snapshot(adminsFile), await snapshot(authorsFile)]).toEqual(files)
    expectUntouched(await adminFile(app, adminsFile))
    expect(await ok(app, app.adminJwt, 'GET', '/rembg/settings')).toEqual(settings)
    expect((await ok<{ results: unknown[] }>(app, app.adminJwt, 'GET', '/rembg/jobs')).results).toEqual([])
  })
})

describe('an Author with process', () => {
  it('processes their own file', async () => {
    const row = await ok<FileRow>(app, author, 'POST', `/rembg/files/${authorsFile}/process`)
    expect(row.id).toBe(authorsFile)
    await expectProcessed(app, row)
  })

  it('gets 403 on another user’s file, which stays as it was', async () => {
    const before = await snapshot(adminsFile)
    const answer = await call<{ error: { status: number; name: string } }>(
      app,
      author,
      'POST',
      `/rembg/files/${adminsFile}/process`,
    )
    expect(answer.status).toBe(403)
    expect(answer.body.error).toMatchObject({ status: 403, name: 'PolicyError' })
    expect(await snapshot(adminsFile)).toEqual(before)
  })

  it('gets 403 on folder and library jobs, which would process other users’ files', async () => {
    for (const path of [`/rembg/folders/${folder}/process`, '/rembg/library/process']) {
      expect({ path, status: (await call(app, author, 'POST', path)).status }).toEqual({ path, status: 403 })
    }
    expect((await ok<{ results: unknown[] }>(app, app.adminJwt, 'GET', '/rembg/jobs')).results).toEqual([])
  })

  it('reads the file list and the jobs, not the settings', async () => {
    expect((await call(app, author, 'GET', '/rembg/files')).status).toBe(200)
    expect((await call(app, author, 'GET', '/rembg/jobs')).status).toBe(200)
    expect((await call(app, author, 'GET', '/rembg/settings')).status).toBe(403)
    expect((await call(app, author, 'PUT', '/rembg/settings', { mode: 'replace' })).status).toBe(403)
  })
})

describe('an Editor with process', () => {
  it('processes any user’s file', async () => {
    const row = await ok<FileRow>(app, editor, 'POST', `/rembg/files/${adminsFile}/process`)
    expect(row.id).toBe(adminsFile)
    await expectProcessed(app, row)
  })

  it('starts a folder job', async () => {
    const { job } = await ok<{ job: { id: string | number; scope: unknown; total: number } }>(
      app,
      editor,
      'POST',
      `/rembg/folders/${folder}/process`,
    )
    expect(job).toMatchObject({ scope: { type: 'folder', folderId: folder }, total: 1 })
    jobId = String(job.id)
  })
})

describe('the Super Admin', () => {
  it('may call every route', async () => {
    for (const route of everyRoute()) {
      const answer = await call(app, app.adminJwt, route.method, route.path, route.body)
      expect({ ...route, status: answer.status }).toEqual({ ...route, status: 200 })
    }
  })
})
