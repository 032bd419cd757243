/**
 * An S3-compatible server on loopback for the private-bucket tests: s3rver (its own request signing checks, its own
 * object store in a folder) behind a front that refuses every anonymous request with S3's `403 AccessDenied`, as AWS
 * does for a bucket whose objects are private. s3rver implements no ACLs (it serves anyone), so without the front an
 * unsigned GET would succeed and the tests could not tell a signed read from a plain one.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import S3rver from 's3rver'

export interface S3Request {
  method: string
  /** `/<bucket>/<key>`, without the query. */
  path: string
  /** Signed by a header (the SDK) or by a presigned URL's query. */
  signed: boolean
}

export interface PrivateS3 {
  /** `http://127.0.0.1:<port>`. */
  endpoint: string
  bucket: string
  /** s3rver's credentials (its defaults): whoever signs with them may read and write. */
  credentials: { accessKeyId: string; secretAccessKey: string }
  /** Every request the server received, in order. */
  requests: S3Request[]
  /** Object keys whose GET is held back (never answered) until `close`: a provider that does not deliver. */
  stalled: Set<string>
  close(): Promise<void>
}

const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }

const isSigned = (request: IncomingMessage, url: URL): boolean =>
  request.headers.authorization !== undefined || url.searchParams.has('X-Amz-Signature')

/** Starts s3rver on a free loopback port with one empty bucket, storing objects under `directory`. */
export async function startPrivateS3(directory: string, bucket = 'media'): Promise<PrivateS3> {
  const s3 = new S3rver({ directory, silent: true, configureBuckets: [{ name: bucket, configs: [] }] })
  await s3.configureBuckets()
  const handle = s3.callback()
  const requests: S3Request[] = []
  const stalled = new Set<string>()
  const held: IncomingMessage[] = []
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://s3.local')
    const signed = isSigned(request, url)
    requests.push({ method: request.method ?? 'GET', path: url.pathname, signed })
    if (!signed) {
      response.writeHead(403, { 'content-type': 'application/xml' })
      response.end('<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code></Error>')
      return
    }
    const key = url.pathname.replace(`/${bucket}/`, '')
    if (request.method === 'GET' && stalled.has(key)) {
      held.push(request)
      return
    }
    handle(request, response)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    bucket,
    credentials,
    requests,
    stalled,
    close: async () => {
      for (const request of held) request.socket.destroy()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/** The upload plugin's config for Strapi's own S3 provider on `s3`, with a private ACL (URLs signed on read). */
export function privateS3Provider(s3: PrivateS3): Record<string, unknown> {
  return {
    provider: 'aws-s3',
    providerOptions: {
      s3Options: {
        endpoint: s3.endpoint,
        region: 'us-east-1',
        forcePathStyle: true,
        credentials: s3.credentials,
        // Recent AWS SDKs send checksums in a streaming trailer by default, which S3-compatible servers (s3rver,
        // older MinIO) store as part of the body: send them only where S3 requires them.
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
        params: { Bucket: s3.bucket, ACL: 'private', signedUrlExpires: 15 * 60 },
      },
    },
  }
}
