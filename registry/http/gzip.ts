import { createBrotliDecompress, createGunzip } from 'node:zlib'
import type { FastifyInstance } from 'fastify'

/**
 * Sync clients compress their op batches (brotli; gzip from older clients). The body limit
 * applies to the decompressed stream, so a small compressed body cannot expand past it.
 */
export function gunzipRequests(app: FastifyInstance): void {
  app.addHook('preParsing', (request, _reply, payload, done) => {
    const encoding = request.headers['content-encoding']
    if (encoding !== 'gzip' && encoding !== 'br') {
      done(null, payload)
      return
    }
    const gunzip = encoding === 'br' ? createBrotliDecompress() : createGunzip()
    let received = 0
    payload.on('data', (chunk: Buffer) => {
      received += chunk.length
      Object.assign(gunzip, { receivedEncodedLength: received })
    })
    payload.on('error', (error) => gunzip.destroy(error))
    payload.pipe(gunzip)
    done(null, gunzip)
  })
}
