/**
 * @rembg-kit/strapi-plugin: removes the background of images uploaded to Strapi's Media Library, keeping the
 * original. Core does the removal; this plugin translates between Strapi's upload service and core.
 */
import bootstrap from './bootstrap'
import config from './config'
import contentTypes from './content-types'
import controllers from './controllers'
import destroy from './destroy'
import policies from './policies'
import register from './register'
import routes from './routes'
import services from './services'

export type { RembgPluginConfig } from './options'

const plugin: {
  register: typeof register
  bootstrap: typeof bootstrap
  destroy: typeof destroy
  config: typeof config
  contentTypes: typeof contentTypes
  controllers: typeof controllers
  policies: typeof policies
  routes: typeof routes
  services: typeof services
} = { register, bootstrap, destroy, config, contentTypes, controllers, policies, routes, services }

export default plugin
