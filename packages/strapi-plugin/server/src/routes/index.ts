/**
 * Admin routes, under the plugin's prefix (`/rembg/...`), for logged-in admins (admin JWT). Each checks the plugin's
 * permission action (../permissions.ts) with `admin::hasPermissions`; processing also needs the Media Library's
 * `plugin::upload.assets.update`, with its conditions on the one file (`may-update-file`: an Author, only their own) and
 * without conditions for a folder or the whole library (`may-update-every-file`). A refused call answers 403.
 */
import { actions, updateAssets } from '../permissions'

type Policy = string | { name: string; config: { actions: string[] } }

const hasPermissions = (...required: string[]): Policy => ({
  name: 'admin::hasPermissions',
  config: { actions: required },
})
const mayUpdateFile = 'plugin::rembg.may-update-file'
const mayUpdateEveryFile = 'plugin::rembg.may-update-every-file'

const route = (method: 'GET' | 'POST' | 'PUT', path: string, handler: string, policies: Policy[]) => ({
  method,
  path,
  handler: `rembg.${handler}`,
  config: { policies: ['admin::isAuthenticatedAdmin', ...policies] },
})

export default {
  admin: {
    type: 'admin',
    routes: [
      route('GET', '/files', 'files', [hasPermissions(actions.read, 'plugin::upload.read')]),
      route('POST', '/files/:id/process', 'processFile', [
        hasPermissions(actions.process, updateAssets),
        mayUpdateFile,
      ]),
      route('POST', '/folders/:id/process', 'processFolder', [
        hasPermissions(actions.process, updateAssets),
        mayUpdateEveryFile,
      ]),
      route('POST', '/library/process', 'processLibrary', [
        hasPermissions(actions.process, updateAssets),
        mayUpdateEveryFile,
      ]),
      route('GET', '/jobs', 'jobs', [hasPermissions(actions.read)]),
      route('GET', '/jobs/:id', 'job', [hasPermissions(actions.read)]),
      route('POST', '/jobs/:id/cancel', 'cancelJob', [hasPermissions(actions.process)]),
      route('GET', '/settings', 'settings', [hasPermissions(actions.settingsRead)]),
      route('PUT', '/settings', 'updateSettings', [hasPermissions(actions.settingsUpdate)]),
    ],
  },
}
