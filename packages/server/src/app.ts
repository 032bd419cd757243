/**
 * The standalone application: a fastify instance with our logging (secrets redacted), timeouts and 404 answer, and
 * the routes of one {@link RembgService}. fastify gives us the HTTP server, request/header timeouts, a close that
 * lets requests in flight finish, and pino's redaction.
 */
import Fastify, { type FastifyInstance, type FastifyRequest, type FastifyServerOptions } from 'fastify'
import { sendError } from './http-errors.js'
import type { LogStream, ResolvedServerOptions } from './options.js'
import { censor, redactedPaths } from './redaction.js'
import { rembgRoutes } from './routes.js'
import type { RembgService } from './service.js'

/**
 * Builds the application (not listening yet); closing it closes the service.
 *
 * @example
 * const app = buildApp(options, createService(options, log))
 * await app.listen({ port: 3000 })
 */
export function buildApp(options: ResolvedServerOptions, service: RembgService): FastifyInstance {
  const app = Fastify({
    logger: loggerOptions(options.logLevel, options.logStream),
    requestTimeout: options.requestTimeout * 1000,
    trustProxy: options.trustProxy,
    // fastify's own 503 while closing has another body shape; the routes answer ours.
    return503OnClosing: false,
    forceCloseConnections: 'idle',
  })
  app.server.headersTimeout = options.headersTimeout * 1000
  app.setErrorHandler(sendError)
  app.setNotFoundHandler((request, reply) =>
    sendError(
      Object.assign(new Error(`Route ${request.method} ${request.url} not found`), { statusCode: 404 }),
      request,
      reply,
    ),
  )
  app.addHook('onClose', () => service.close())
  app.register(rembgRoutes(service.context))
  return app
}

function loggerOptions(level: string, stream: LogStream | undefined): FastifyServerOptions['logger'] {
  return {
    level,
    redact: { paths: [...redactedPaths], censor },
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
