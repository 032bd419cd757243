/**
 * Route policies (`plugin::rembg.<name>`): processing rewrites Media Library files, so besides the plugin's own
 * action the caller must be allowed to update them there. `admin::hasPermissions` ignores permission conditions
 * (an Author's `plugin::upload.assets.update` carries `admin::is-creator`), so these check them as the upload
 * plugin's own routes do. A refused call answers 403 before the controller runs: nothing changes.
 */
import type { Core as Strapi } from '@strapi/strapi'
import { updateAssets } from '../permissions'

const fileUid = 'plugin::upload.file'

/** A CASL rule as the admin's ability holds it (only what is read here). */
interface Rule {
  inverted: boolean
  conditions?: unknown
}

interface Ability {
  cannot(action: string, subject: unknown): boolean
  rulesFor(action: string, subjectType: string): Rule[]
}

interface PermissionsManager {
  ability: Ability
  action: string
  toSubject(entity: unknown): unknown
}

export interface PolicyContext {
  params: Record<string, string | undefined>
  state: { userAbility?: Ability }
}

type Policy = (ctx: PolicyContext, config: unknown, context: { strapi: Strapi.Strapi }) => Promise<boolean> | boolean

/**
 * The file of the route's `:id` may be updated by the caller, conditions included (an Author: only their own files).
 * An id that names no file passes: the controller answers 404.
 */
const mayUpdateFile: Policy = async (ctx, _config, { strapi }) => {
  const ability = ctx.state.userAbility
  if (!ability) return false
  const id = Number(ctx.params.id)
  if (!Number.isInteger(id) || id <= 0) return true
  const file = (await strapi.db.query(fileUid).findOne({ where: { id }, populate: ['createdBy', 'folder'] })) as {
    createdBy?: { id: number } | null
  } | null
  if (!file) return true
  const manager = strapi
    .service('admin::permission')
    .createPermissionsManager({ ability, action: updateAssets, model: fileUid }) as PermissionsManager
  // Conditions such as `admin::has-same-role-as-creator` read the creator's roles: load them as the upload plugin does.
  const creatorId = file.createdBy?.id
  const creator = creatorId ? await strapi.service('admin::user').findOne(creatorId, ['roles']) : null
  return !manager.ability.cannot(manager.action, manager.toSubject({ ...file, createdBy: creator }))
}

/**
 * The caller may update every file of the Media Library: `plugin::upload.assets.update` without conditions. A folder
 * or library job processes files of every author, so a conditioned grant (an Author's) is refused rather than
 * silently narrowed: such a user processes their own files one by one.
 */
const mayUpdateEveryFile: Policy = (ctx) => {
  const rules = ctx.state.userAbility?.rulesFor(updateAssets, fileUid) ?? []
  return rules.some((rule) => !rule.inverted && rule.conditions === undefined) && !rules.some((rule) => rule.inverted)
}

const policies: { 'may-update-file': Policy; 'may-update-every-file': Policy } = {
  'may-update-file': mayUpdateFile,
  'may-update-every-file': mayUpdateEveryFile,
}

export default policies
