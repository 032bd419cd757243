/** Admin routes, under the plugin's prefix: `/rembg/...`, for logged-in admins (admin JWT). */
const policies = ['admin::isAuthenticatedAdmin']

export default {
  admin: {
    type: 'admin',
    routes: [
      { method: 'POST', path: '/files/:id/process', handler: 'rembg.processFile', config: { policies } },
      { method: 'POST', path: '/folders/:id/process', handler: 'rembg.processFolder', config: { policies } },
      { method: 'GET', path: '/jobs/:id', handler: 'rembg.job', config: { policies } },
      { method: 'GET', path: '/settings', handler: 'rembg.settings', config: { policies } },
    ],
  },
}
