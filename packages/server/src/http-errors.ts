/**
 * Every failure becomes the API's JSON error body, `{ error, details?, status }`, whatever threw it: core's
 * RembgError as it is, fastify's own errors (timeouts, limits) in the same shape, anything else as a 500 that
 * reveals nothing of the cause to the client (it is logged instead).
 */
import { describeError, isRembgError, RembgError, type RembgErrorDetail } from '@rembg-kit/core'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'

export interface ErrorBody {
  error: string
  details?: RembgErrorDetail[]
  status: number
}

/** A refusal that tells the client when to come back (429 short-term, 503 queue full). */
export type RetryableError = RembgError & { retryAfterSeconds: number }

/** Marks `error` to be sent with `Retry-After: seconds` (at least 1). */
export function retryAfter(error: RembgError, seconds: number): RetryableError {
  return Object.assign(error, { retryAfterSeconds: Math.max(1, Math.ceil(seconds)) })
}

function retryAfterOf(error: unknown): number | undefined {
  const seconds = (error as Partial<RetryableError>).retryAfterSeconds
  return typeof seconds === 'number' ? seconds : undefined
}

/** The reason work is cancelled with when the client has closed the connection: nobody is left to answer. */
export class ClientGoneError extends Error {
  override readonly name = 'ClientGoneError'
  constructor() {
    super('The client closed the connection before the answer was sent')
  }
}

/** A body busboy could not parse (cut short, a broken part header): the client's fault, so a 400. */
export function malformedBody(cause: unknown): RembgError {
  return new RembgError(`The multipart/form-data body could not be read: ${describeError(cause)}`, {
    status: 400,
    code: 'MALFORMED_BODY',
    cause,
  })
}

/** The status and body the client gets for `error`. */
export function errorBody(error: unknown): ErrorBody {
  if (isRembgError(error)) return error.toJSON()
  const status = (error as Partial<FastifyError>).statusCode
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return { error: (error as Error).message, status }
  }
  return { error: 'Internal server error', status: 500 }
}

/** The fastify error handler: logs what the client is not told, and answers the JSON body. */
export function sendError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof ClientGoneError) {
    request.log.info(error.message)
    // 499 (nginx's "client closed request") only names the case in the log: the socket is gone.
    return reply.code(499).send()
  }
  const body = errorBody(error)
  if (body.status >= 500 && !isRembgError(error)) request.log.error({ err: error }, 'request failed')
  const seconds = retryAfterOf(error)
  if (seconds !== undefined) reply.header('retry-after', String(seconds))
  return reply.code(body.status).type('application/json; charset=utf-8').send(body)
}
