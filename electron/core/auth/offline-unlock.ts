import { dirname } from 'node:path'
import { AppFailure } from '../../../shared/errors'
import { openSqlite } from '../db/open'
import { isPlainDatabase } from './encrypt-folder'
import { readKeyring, unwrapForUser } from './keyring'

/**
 * The data key for tools that read a data folder without the app (the export CLI): a
 * supervisor's user name and password, checked like a sign-in. A plain folder (from before
 * encryption) needs none.
 */
export async function supervisorKeyFor(dbFile: string, username: string | undefined, password: string | undefined): Promise<Buffer | undefined> {
  if (isPlainDatabase(dbFile)) return undefined
  const keyring = await readKeyring(dirname(dbFile))
  if (!keyring) throw new AppFailure('not_found', 'There is no keyring beside this database, so it cannot be opened.')
  if (!username || !password) throw new AppFailure('unauthorized', 'This database is encrypted: give --user and the password in OUTPOST_PASSWORD.')
  const wrap = keyring.users.find((w) => w.username === username.trim().toLowerCase())
  const key = wrap ? await unwrapForUser(wrap, password) : null
  if (!key || !wrap) throw new AppFailure('unauthorized', 'That user name and password do not match.')
  const db = openSqlite(dbFile, key, { readonly: true, fileMustExist: true })
  try {
    const row = db.prepare('SELECT role, disabled FROM users WHERE id = ?').get(wrap.userId) as { role: string; disabled: number } | undefined
    if (row?.role !== 'supervisor' || row.disabled) throw new AppFailure('forbidden', 'Only a supervisor can export records.')
  } finally {
    db.close()
  }
  return key
}
