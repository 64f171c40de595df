import type Database from 'better-sqlite3'

const cache = new WeakMap<Database.Database, Map<string, Database.Statement>>()

/**
 * A prepared statement, compiled once per connection: preparing dominated the cost of a small
 * sync (a fifth of its time). The SQL texts are constants or a few fixed variants.
 */
export function stmt(sqlite: Database.Database, text: string): Database.Statement {
  let statements = cache.get(sqlite)
  if (!statements) {
    statements = new Map()
    cache.set(sqlite, statements)
  }
  let statement = statements.get(text)
  if (!statement) {
    statement = sqlite.prepare(text)
    statements.set(text, statement)
  }
  return statement
}
