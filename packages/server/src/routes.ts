/**
 * The routes, in a scope of their own so that what they set (the error handler, the body parsers, the hooks that
 * answer while closing, the log serializers) stays theirs when a host app mounts them: `GET /healthz`,
 * `GET /api/membership-usage` and `POST /rmbg`. @fastify/multipart (busboy) streams the upload.
 */
import multipart from '@fastify/multipart'
import type { FastifyInstance, FastifyPluginAsync } from 'fastify'
import { sendError } from './http-errors.js'
import { membershipHandler } from './membership.js'
import { multipartLimits } from './multipart.js'
import { credentialSerializers } from './redaction.js'
import { rmbgHandler } from './rmbg.js'
import type { AppContext } from './service.js'

/**
 * The routes of `context`, for `app.register()` (a prefix given there applies to all three).
 *
 * @example
 * await app.register(rembgRoutes(service.context), { prefix: '/bg' })
 */
export function rembgRoutes(context: AppContext): FastifyPluginAsync {
  return async (scope: FastifyInstance) => {
    scope.setErrorHandler(sendError)
    answerWhileClosing(scope)
    // Per-route serializers are merged into whatever logger the app has, its own redaction or none.
    const logSerializers = credentialSerializers
    scope.get('/healthz', { logSerializers }, async (_request, reply) => {
      const health = context.health()
      return reply.code(health === 'ok' ? 200 : 503).send({ status: health })
    })
    scope.get('/api/membership-usage', { logSerializers }, membershipHandler(context))
    await scope.register(async (upload) => {
      // Any body reaches the handler unparsed: one that is not multipart answers the API's "No image file provided".
      upload.removeAllContentTypeParsers()
      upload.addContentTypeParser('*', (_request, _payload, done) => done(null))
      await upload.register(multipart, { limits: multipartLimits })
      upload.post('/rmbg', { logSerializers }, rmbgHandler(context))
    })
  }
}

/**
 * Once close() starts, requests in flight finish, then their connections close (`Connection: close`), and a request
 * arriving on a kept-alive connection gets 503 with `Retry-After`, so a load balancer retries it on another instance.
 */
function answerWhileClosing(app: FastifyInstance): void {
  let closing = false
  app.addHook('preClose', async () => {
    closing = true
  })
  app.addHook('onRequest', async (_request, reply) => {
    if (!closing) return
    const body = { error: 'The server is shutting down. Please retry.', status: 503 }
    reply.header('connection', 'close').header('retry-after', '1')
    return reply.code(503).send(body)
  })
  app.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close')
  })
}
