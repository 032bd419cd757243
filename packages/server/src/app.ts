/**
 * The fastify application: logging with secrets redacted, timeouts, routes, and the answers while closing. fastify
 * gives us the HTTP server, request/header timeouts, a close that lets requests in flight finish, and pino's redaction;
 * @fastify/multipart (busboy) streams the upload.
 */
import multipart from '@fastify/multipart'
import Fastify, { type FastifyInstance, type FastifyRequest, type FastifyServerOptions } from 'fastify'
import { sendError } from './http-errors.js'
import { membershipHandler } from './membership.js'
import { multipartLimits } from './multipart.js'
import type { LogStream, ResolvedServerOptions } from './options.js'
import { type RmbgContext, rmbgHandler } from './rmbg.js'

/** Whether the model is loaded: `GET /healthz` is 200 only when `ok`, so a load balancer sends no request before. */
export type Health = 'loading' | 'ok' | 'failed'

export interface AppContext extends RmbgContext {
  health: () => Health
}

/** Header values that are credentials: pino replaces them before a line is written. */
export const redactedPaths = [
  'req.headers["x-api-key"]',
  'req.headers.authorization',
  'req.headers.cookie',
  'headers["x-api-key"]',
  'headers.authorization',
]

/**
 * Builds the application (not listening yet).
 *
 * @example
 * const app = buildApp(options, context)
 * await app.listen({ port: 3000 })
 */
export function buildApp(options: ResolvedServerOptions, context: AppContext): FastifyInstance {
  const app = Fastify({
    logger: loggerOptions(options.logLevel, options.logStream),
    requestTimeout: options.requestTimeout * 1000,
    trustProxy: options.trustProxy,
    // fastify's own 503 while closing has another body shape; ours is answered below.
    return503OnClosing: false,
    forceCloseConnections: 'idle',
  })
  app.server.headersTimeout = options.headersTimeout * 1000
  answerWhileClosing(app)
  app.setErrorHandler(sendError)
  app.setNotFoundHandler((request, reply) =>
    sendError(
      Object.assign(new Error(`Route ${request.method} ${request.url} not found`), { statusCode: 404 }),
      request,
      reply,
    ),
  )
  app.get('/healthz', async (_request, reply) => {
    const health = context.health()
    return reply.code(health === 'ok' ? 200 : 503).send({ status: health })
  })
  app.get('/api/membership-usage', membershipHandler(context))
  app.register(async (scope) => {
    // Any body reaches the handler unparsed: one that is not multipart answers the API's "No image file provided".
    scope.removeAllContentTypeParsers()
    scope.addContentTypeParser('*', (_request, _payload, done) => done(null))
    await scope.register(multipart, { limits: multipartLimits })
    scope.post('/rmbg', rmbgHandler(context))
  })
  return app
}

function loggerOptions(level: string, stream: LogStream | undefined): FastifyServerOptions['logger'] {
  return {
    level,
    redact: { paths: redactedPaths, censor: '[redacted]' },
    // The request's headers are logged (user agent, length), so the redaction above has something to do.
    serializers: { req: serializeRequest },
    ...(stream ? { stream } : {}),
  }
}

function serializeRequest(request: FastifyRequest): Record<string, unknown> {
  return {
    method: request.method,
    url: request.url,
    remoteAddress: request.ip,
    headers: request.headers,
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
