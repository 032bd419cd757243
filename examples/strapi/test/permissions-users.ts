/**
 * Admin users of other roles, made as an administrator would in the admin panel, through its HTTP API: a role created
 * with `POST /admin/roles` and given permissions with `PUT /admin/roles/:id/permissions`, a user invited with
 * `POST /admin/users` and registered with `POST /admin/register`. Plus a request helper that answers the status, for
 * the 403s a test expects.
 */
import type { Upload } from './media.ts'
import type { RunningStrapi } from './strapi.ts'

export interface Permission {
  action: string
  subject?: string | null
  properties?: Record<string, unknown>
  conditions?: string[]
}

export interface Answer<T = unknown> {
  status: number
  body: T
}

/** An admin route with a given JWT; answers the status and the parsed body, whatever the status. */
export async function call<T = unknown>(
  app: RunningStrapi,
  jwt: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<Answer<T>> {
  const response = await fetch(`${app.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${jwt}`,
      ...(body === undefined || body instanceof FormData ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: body instanceof FormData ? body : JSON.stringify(body) }),
  })
  const text = await response.text()
  return { status: response.status, body: (text === '' ? null : JSON.parse(text)) as T }
}

/** Like {@link call}, failing the test unless the answer is 2xx. */
export async function ok<T>(app: RunningStrapi, jwt: string, method: string, path: string, body?: unknown): Promise<T> {
  const answer = await call<T>(app, jwt, method, path, body)
  if (answer.status >= 300)
    throw new Error(`${method} ${path} answered ${answer.status}: ${JSON.stringify(answer.body)}`)
  return answer.body
}

const asPermission = ({ action, subject = null, properties = {}, conditions = [] }: Permission): Permission => ({
  action,
  subject,
  properties,
  conditions,
})

/** Creates a role with exactly these permissions (none: a role that may only log in). Answers its id. */
export async function createRole(app: RunningStrapi, name: string, permissions: Permission[]): Promise<number> {
  const { data } = await ok<{ data: { id: number } }>(app, app.adminJwt, 'POST', '/admin/roles', {
    name,
    description: `${name} (tests)`,
  })
  await setPermissions(app, data.id, permissions)
  return data.id
}

/** The id of a default role: `strapi-editor` or `strapi-author`. */
export async function roleId(app: RunningStrapi, code: 'strapi-editor' | 'strapi-author'): Promise<number> {
  const { data } = await ok<{ data: { id: number; code: string }[] }>(app, app.adminJwt, 'GET', '/admin/roles')
  const role = data.find((each) => each.code === code)
  if (!role) throw new Error(`no role ${code}`)
  return role.id
}

/** Adds permissions to a role, keeping the ones it has (the admin API replaces the whole set). */
export async function grant(app: RunningStrapi, role: number, added: Permission[]): Promise<void> {
  const { data } = await ok<{ data: Permission[] }>(app, app.adminJwt, 'GET', `/admin/roles/${role}/permissions`)
  await setPermissions(app, role, [...data, ...added])
}

async function setPermissions(app: RunningStrapi, role: number, permissions: Permission[]): Promise<void> {
  await ok(app, app.adminJwt, 'PUT', `/admin/roles/${role}/permissions`, { permissions: permissions.map(asPermission) })
}

/** Invites and registers a user with these roles; answers their JWT. */
export async function createUser(app: RunningStrapi, email: string, roles: number[]): Promise<string> {
  const { data } = await ok<{ data: { registrationToken: string } }>(app, app.adminJwt, 'POST', '/admin/users', {
    email,
    firstname: email.split('@')[0],
    lastname: 'Tester',
    roles,
  })
  const registered = await ok<{ data: { token?: string; accessToken?: string } }>(
    app,
    app.adminJwt,
    'POST',
    '/admin/register',
    {
      registrationToken: data.registrationToken,
      userInfo: { firstname: 'Test', lastname: 'User', password: 'Tester1234' },
    },
  )
  const jwt = registered.data.token ?? registered.data.accessToken
  if (!jwt) throw new Error(`no JWT for ${email}: ${JSON.stringify(registered)}`)
  return jwt
}

/** `POST /upload` as this user (the Media Library records them as the file's creator). Answers the row's id. */
export async function uploadAs(app: RunningStrapi, jwt: string, file: Upload, fileInfo?: unknown): Promise<number> {
  const body = new FormData()
  body.append('files', new Blob([file.bytes], { type: file.type }), file.name)
  if (fileInfo) body.append('fileInfo', JSON.stringify(fileInfo))
  const [row] = await ok<{ id: number }[]>(app, jwt, 'POST', '/upload', body)
  if (!row) throw new Error('no row answered')
  return row.id
}
