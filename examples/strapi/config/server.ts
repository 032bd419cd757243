// The secrets' defaults are for development only: set APP_KEYS and the others in production (see .env.example).
export default ({ env }) => ({
  host: env('HOST', '0.0.0.0'),
  port: env.int('PORT', 1337),
  app: {
    keys: env.array('APP_KEYS', ['dev-app-key-1', 'dev-app-key-2']),
  },
})
