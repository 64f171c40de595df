import { createGunzip } from 'node:zlib'
import type { FastifyInstance } from 'fastify'

/**
 * Sync clients gzip their op batches. The body limit applies to the decompressed stream, so a
 * small compressed body cannot expand past it.
 */
export function gunzipRequests(app: FastifyInstance): void {
  app.addHook('preParsing', (request, _reply, payload, done) => {
    if (request.headers['content-encoding'] !== 'gzip') {
      done(null, payload)
      return
    }
    const gunzip = createGunzip()
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
