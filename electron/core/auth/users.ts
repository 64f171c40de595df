import { uuidv7 } from 'uuidv7'
import type { Role, User } from '../../../shared/api'
import { AppFailure } from '../../../shared/errors'
import type { Store } from '../db/open'
import type { UsersTable } from '../db/schema'

export function toUser(row: UsersTable): User {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    disabled: row.disabled === 1,
    createdAt: row.created_at,
  }
}

export async function listUsers(store: Store): Promise<User[]> {
  const rows = await store.db.selectFrom('users').selectAll().orderBy('username').execute()
  return rows.map(toUser)
}

export async function findUser(store: Store, by: { id?: string; username?: string }): Promise<User | null> {
  let query = store.db.selectFrom('users').selectAll()
  if (by.id !== undefined) query = query.where('id', '=', by.id)
  if (by.username !== undefined) query = query.where('username', '=', by.username)
  const row = await query.executeTakeFirst()
  return row ? toUser(row) : null
}

export async function insertUser(
  store: Store,
  input: { id?: string; username: string; displayName: string; role: Role },
  now: () => number = Date.now,
): Promise<User> {
  if (await findUser(store, { username: input.username })) {
    throw new AppFailure('conflict', `There is already a user named "${input.username}" on this laptop. Choose another user name.`)
  }
  const at = now()
  const row: UsersTable = {
    id: input.id ?? uuidv7(),
    username: input.username,
    display_name: input.displayName,
    role: input.role,
    disabled: 0,
    created_at: at,
    updated_at: at,
  }
  await store.db.insertInto('users').values(row).execute()
  return toUser(row)
}

/**
 * Changes a user's name, role or disabled flag. The last active supervisor can be neither
 * demoted nor disabled: without one, nobody could manage users or export again.
 */
export async function updateUser(
  store: Store,
  id: string,
  patch: { displayName?: string | undefined; role?: Role | undefined; disabled?: boolean | undefined },
  now: () => number = Date.now,
): Promise<User> {
  return store.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst()
    if (!row) throw new AppFailure('not_found', 'That user no longer exists on this laptop.')
    const next = {
      display_name: patch.displayName ?? row.display_name,
      role: patch.role ?? row.role,
      disabled: patch.disabled === undefined ? row.disabled : patch.disabled ? 1 : 0,
    }
    const losesSupervisor = row.role === 'supervisor' && row.disabled === 0 && (next.role !== 'supervisor' || next.disabled === 1)
    if (losesSupervisor) {
      const others = await trx
        .selectFrom('users')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('role', '=', 'supervisor')
        .where('disabled', '=', 0)
        .where('id', '!=', id)
        .executeTakeFirstOrThrow()
      if (Number(others.n) === 0) {
        throw new AppFailure('conflict', `${row.display_name} is the last active supervisor on this laptop. Make another user a supervisor first.`)
      }
    }
    await trx.updateTable('users').set({ ...next, updated_at: now() }).where('id', '=', id).execute()
    return toUser({ ...row, ...next })
  })
}
