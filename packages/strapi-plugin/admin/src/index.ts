/**
 * The plugin's admin side: a page (menu link "Background removal"), a settings page, and a side panel in the Content
 * Manager's edit view. It only registers: the pages load on first visit, and the server checks every call again.
 */
import { Magic } from '@strapi/icons'
import type { StrapiApp } from '@strapi/strapi/admin'
import { EditViewPanel, type SidePanel } from './components/EditViewPanel'
import { permissions } from './permissions'
import { pluginId } from './pluginId'
import { prefixKeys, translationId } from './utils/translate'

interface ContentManagerApis {
  addEditViewSidePanel(panels: SidePanel[]): void
}

type Translations = { data: Record<string, string>; locale: string }[]

const plugin = {
  register(app: StrapiApp): void {
    app.addMenuLink({
      to: `plugins/${pluginId}`,
      icon: Magic,
      intlLabel: { id: translationId('plugin.name'), defaultMessage: 'Background removal' },
      permissions: permissions.read,
      Component: () => import('./pages/FilesPage'),
    })
    app.addSettingsLink('global', {
      id: pluginId,
      to: pluginId,
      intlLabel: { id: translationId('settings.title'), defaultMessage: 'Background removal' },
      permissions: permissions.settingsRead,
      Component: () => import('./pages/SettingsPage'),
    })
    app.registerPlugin({ id: pluginId, name: pluginId })
  },

  bootstrap(app: Pick<StrapiApp, 'getPlugin'>): void {
    const contentManager = app.getPlugin('content-manager')
    ;(contentManager?.apis as unknown as ContentManagerApis | undefined)?.addEditViewSidePanel([EditViewPanel])
  },

  /** One JSON file a language in translations/ (en.json is the reference); a missing one falls back to English. */
  async registerTrads({ locales }: { locales: string[] }): Promise<Translations> {
    return Promise.all(
      locales.map(async (locale) => {
        try {
          const { default: data } = (await import(`./translations/${locale}.json`)) as {
            default: Record<string, string>
          }
          return { data: prefixKeys(data), locale }
        } catch {
          return { data: {}, locale }
        }
      }),
    )
  },
}

export default plugin
