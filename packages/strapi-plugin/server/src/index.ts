/**
 * @rembg-kit/strapi-plugin: removes the background of images uploaded to Strapi's Media Library, keeping the
 * original. Core does the removal; this plugin translates between Strapi's upload service and core.
 */
import config from './config'
import controllers from './controllers'
import destroy from './destroy'
import register from './register'
import routes from './routes'
import services from './services'

export type { RembgPluginConfig } from './options'

const plugin: {
  register: typeof register
  destroy: typeof destroy
  config: typeof config
  controllers: typeof controllers
  routes: typeof routes
  services: typeof services
} = { register, destroy, config, controllers, routes, services }

export default plugin
