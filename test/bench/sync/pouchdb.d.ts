// The little of PouchDB and express-pouchdb the sync benchmark uses (neither ships its types).
declare module 'pouchdb' {
  type Doc = { _id: string; _rev?: string; [key: string]: unknown }
  type ReplicateResult = { docs_written: number; docs_read: number; ok: boolean }
  type ReplicateOptions = { batch_size?: number; batches_limit?: number }
  class PouchDB {
    constructor(name: string)
    bulkDocs(docs: Doc[]): Promise<{ ok?: boolean; id: string; rev: string }[]>
    allDocs(options: { include_docs: boolean; keys?: string[] }): Promise<{ rows: { doc?: Doc }[] }>
    close(): Promise<void>
    replicate: {
      to(target: string, options?: ReplicateOptions): Promise<ReplicateResult>
      from(source: string, options?: ReplicateOptions): Promise<ReplicateResult>
    }
    static defaults(options: { prefix: string }): typeof PouchDB
  }
  export default PouchDB
}

declare module 'express-pouchdb' {
  import type { Server } from 'node:http'
  import type PouchDB from 'pouchdb'
  type App = { listen: (port: number, host: string, ready: () => void) => Server }
  export default function expressPouchDB(
    pouch: typeof PouchDB,
    options: { mode: string; inMemoryConfig: boolean; logPath: string },
  ): App
}
