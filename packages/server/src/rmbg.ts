/**
 * POST /rmbg, the API's background removal. The checks run in the API's order, cheapest and least revealing first:
 * who is asking (400/401/403), how often (429), the body (image present, 50 MB), the parameters, the image itself;
 * only then is a credit taken, and it is given back unless an image is served.
 */
import {
  type Preset,
  parsePreset,
  type RemoveResult,
  type Remover,
  type ResolvedParams,
  resolveParams,
} from '@rembg-kit/core'
import { loadInput, monthlyLimitReached } from '@rembg-kit/core/internal'
import type { FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify'
import { type AuthPolicy, authenticate } from './auth.js'
import { ClientGoneError } from './http-errors.js'
import { checkLimits, type RatePolicy } from './limits.js'
import { readUpload, type Upload } from './multipart.js'
import type { InferenceQueue } from './queue.js'
import { type Account, billingPeriodOf, type UsageStore } from './store/index.js'

export interface RmbgContext {
  auth: AuthPolicy
  rate: RatePolicy
  store: UsageStore
  queue: InferenceQueue
  /** The remover of a preset; without one, of the server's `preset` option. */
  removerFor: (preset?: Preset) => Remover
}

/**
 * The route handler. Answers the image bytes with their Content-Type; errors are thrown and answered by the error
 * handler as the API's JSON.
 */
export function rmbgHandler(context: RmbgContext): RouteHandlerMethod {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const caller = authenticate(request.headers, request.ip, context.auth)
    await checkLimits(context.store, caller, context.rate)
    const upload = await readUpload(request)
    const params = resolveParams(upload.fields, { strict: false })
    // Our extension of the API (the vendor's has no such field and ignores unknown ones): checked with the
    // parameters, before the image and before a credit is taken. Its remover is made here, so an engine that has
    // no such preset is refused now too.
    const remover =
      upload.fields.preset === undefined ? context.removerFor() : presetRemover(context, upload.fields.preset)
    await loadInput(upload.image.bytes, { fileName: upload.image.fileName })
    const signal = clientSignal(request, reply)
    const result = await charged(context.store, caller.account, signal, () =>
      context.queue.run(() => removeUpload(remover, upload, params, signal), signal),
    )
    return reply.type(result.mime).send(result.data)
  }
}

function presetRemover(context: RmbgContext, field: string): Remover {
  return context.removerFor(parsePreset(field))
}

function removeUpload(
  remover: Remover,
  upload: Upload,
  params: ResolvedParams,
  signal: AbortSignal,
): Promise<RemoveResult> {
  return remover.remove(upload.image.bytes, { ...params, fileName: upload.image.fileName, signal })
}

/** Aborts when the client goes away before the answer is written (a finished answer also closes, harmlessly). */
function clientSignal(request: FastifyRequest, reply: FastifyReply): AbortSignal {
  const controller = new AbortController()
  // The client may have left while its upload was being checked: 'close' has then been emitted already.
  if (request.raw.socket?.destroyed) controller.abort(new ClientGoneError())
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) controller.abort(new ClientGoneError())
  })
  return controller.signal
}

/**
 * Takes one credit, runs `work`, and gives the credit back when the work fails or the client is gone by the time
 * it is done: a credit pays for a served image only.
 */
async function charged<T>(
  store: UsageStore,
  account: Account,
  signal: AbortSignal,
  work: () => Promise<T>,
): Promise<T> {
  const period = billingPeriodOf(new Date())
  const charge = await store.charge(account, period)
  if (!charge) throw monthlyLimitReached()
  try {
    const result = await work()
    signal.throwIfAborted()
    return result
  } catch (error) {
    await store.refund(account, period, charge)
    throw error
  }
}
