// PouchDB's server in the sync benchmark, in a process of its own (as Outpost's registry is,
// registry-child.ts): express-pouchdb on LevelDB in the folder argv[2]. Prints `{"port":…}` once it
// listens and exits when its stdin ends.
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import expressPouchDB from 'express-pouchdb'
import PouchDB from 'pouchdb'

const dir = process.argv[2] ?? '.'
const ServerPouch = PouchDB.defaults({ prefix: `${dir}/server-` })
const app = expressPouchDB(ServerPouch, {
  mode: 'minimumForPouchDB',
  inMemoryConfig: true,
  logPath: join(dir, 'log.txt'),
})
const server = app.listen(0, '127.0.0.1', () => {
  console.log(JSON.stringify({ port: (server.address() as AddressInfo).port }))
})
// Like Fastify's default: on a 300 ms link a 5 s idle close races the client's next request.
server.keepAliveTimeout = 72_000
process.stdin.resume()
process.stdin.on('end', () => server.close(() => process.exit(0)))
