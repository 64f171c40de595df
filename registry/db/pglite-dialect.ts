import type { PGlite, Transaction } from '@electric-sql/pglite'
import type {
  CompiledQuery,
  DatabaseConnection,
  DatabaseIntrospector,
  Dialect,
  DialectAdapter,
  Driver,
  Kysely,
  QueryCompiler,
  QueryResult,
  TransactionSettings,
} from 'kysely'
import { PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler } from 'kysely'

/**
 * Kysely over PGlite. PGlite is one connection, so the driver hands it to one user at a time: a
 * transaction holds it until commit, and other requests queue behind it instead of interleaving
 * their statements inside someone else's transaction.
 */
export class PgliteDialect implements Dialect {
  constructor(private readonly pglite: PGlite) {}

  createAdapter(): DialectAdapter {
    return new PostgresAdapter()
  }
  createDriver(): Driver {
    return new PgliteDriver(this.pglite)
  }
  createQueryCompiler(): QueryCompiler {
    return new PostgresQueryCompiler()
  }
  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new PostgresIntrospector(db)
  }
}

class PgliteDriver implements Driver {
  private queue: Promise<void> = Promise.resolve()
  private readonly connection: PgliteConnection

  constructor(private readonly pglite: PGlite) {
    this.connection = new PgliteConnection(pglite)
  }

  async init(): Promise<void> {
    await this.pglite.waitReady
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    let release: () => void = () => undefined
    const previous = this.queue
    this.queue = new Promise<void>((resolve) => (release = resolve))
    await previous
    this.connection.release = release
    return this.connection
  }

  async beginTransaction(conn: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const level = settings.isolationLevel
      ? ` ISOLATION LEVEL ${settings.isolationLevel.toUpperCase()}`
      : ''
    await (conn as PgliteConnection).exec(`BEGIN${level}`)
  }
  async commitTransaction(conn: DatabaseConnection): Promise<void> {
    await (conn as PgliteConnection).exec('COMMIT')
  }
  async rollbackTransaction(conn: DatabaseConnection): Promise<void> {
    await (conn as PgliteConnection).exec('ROLLBACK')
  }

  releaseConnection(conn: DatabaseConnection): Promise<void> {
    ;(conn as PgliteConnection).release()
    return Promise.resolve()
  }

  async destroy(): Promise<void> {
    await this.queue
    await this.pglite.close()
  }
}

class PgliteConnection implements DatabaseConnection {
  release: () => void = () => undefined

  constructor(private readonly pglite: PGlite | Transaction) {}

  async exec(sql: string): Promise<void> {
    await this.pglite.exec(sql)
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    // Without parameters the simple protocol runs, which allows a migration file's many statements.
    const result =
      query.parameters.length === 0
        ? ((await this.pglite.exec(query.sql)).at(-1) ?? { rows: [], affectedRows: 0 })
        : await this.pglite.query(query.sql, [...query.parameters])
    const changed = result.affectedRows
    const rows = result.rows as R[]
    return changed === undefined ? { rows } : { rows, numAffectedRows: BigInt(changed) }
  }

  streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('Streaming queries are not used by the registry.')
  }
}
