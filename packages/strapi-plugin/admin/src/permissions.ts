/**
 * The plugin's permission actions as the admin checks them (the server registers them and checks every route again:
 * hiding a button is for the editor's comfort, not for security).
 */
const permission = (action: string): { action: string; subject: null } => ({ action, subject: null })

export const permissions = {
  /** The plugin page, the file list and the jobs. */
  read: [permission('plugin::rembg.read')],
  /** Process, retry, process a folder or the library, cancel a job. */
  process: [permission('plugin::rembg.process')],
  settingsRead: [permission('plugin::rembg.settings.read')],
  settingsUpdate: [permission('plugin::rembg.settings.update')],
}
