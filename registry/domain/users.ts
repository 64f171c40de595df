import { uuidv7 } from 'uuidv7'
import { AppFailure } from '../../shared/errors'
import type { RegistryDb } from '../db/database'
import type { Role } from '../db/schema'
import type { Actor, HqActor } from './actors'
import { requireHq } from './actors'
import { appendChanges } from './feed'
import { checkPasswordStrength, hashPassword, verifyPassword } from './passwords'
import { hashToken, newToken } from './tokens'

export type UserDto = { id: string; email: string; name: string; role: Role }
const roles: readonly Role[] = ['admin', 'data_manager', 'viewer']
const sessionHours = 12

export function parseRole(role: string): Role {
  const found = roles.find((candidate) => candidate === role)
  if (!found)
    throw new AppFailure('validation', `A role is one of ${roles.join(', ')}; "${role}" is not.`)
  return found
}

export async function createUser(
  db: RegistryDb,
  actor: Actor,
  input: { email: string; name: string; role: string; password: string },
): Promise<UserDto> {
  requireHq(actor, 'users.manage')
  const role = parseRole(input.role)
  const email = input.email.trim().toLowerCase()
  if (!/^[^\s@]+@[^\s@]+$/.test(email))
    throw new AppFailure('validation', `"${input.email}" is not an email address.`)
  const weak = checkPasswordStrength(input.password)
  if (weak) throw new AppFailure('validation', weak)
  const passwordHash = await hashPassword(input.password)
  return db.transaction().execute(async (trx) => {
    const taken = await trx
      .selectFrom('hq_users')
      .select('id')
      .where('email', '=', email)
      .executeTakeFirst()
    if (taken) throw new AppFailure('conflict', `There is already a user with the email ${email}.`)
    const id = uuidv7()
    await trx
      .insertInto('hq_users')
      .values({ id, email, name: input.name.trim() || email, role, password_hash: passwordHash })
      .execute()
    await appendChanges(trx, [
      { officeId: null, kind: 'user.created', entityId: id, data: { role } },
    ])
    return { id, email, name: input.name.trim() || email, role }
  })
}

const badLogin = 'The email or password is not right. Check them and try again.'

/** Signs in and returns a session token; the same answer whether the email or the password is wrong. */
export async function login(
  db: RegistryDb,
  email: string,
  password: string,
): Promise<{ token: string; user: UserDto }> {
  const user = await db
    .selectFrom('hq_users')
    .selectAll()
    .where('email', '=', email.trim().toLowerCase())
    .where('disabled_at', 'is', null)
    .executeTakeFirst()
  const ok = await verifyPassword(user?.password_hash ?? null, password)
  if (!user || !ok) throw new AppFailure('unauthorized', badLogin)
  const token = newToken('ohs')
  await db
    .insertInto('hq_sessions')
    .values({
      token_hash: hashToken(token),
      user_id: user.id,
      expires_at: new Date(Date.now() + sessionHours * 3_600_000),
    })
    .execute()
  return { token, user: { id: user.id, email: user.email, name: user.name, role: user.role } }
}

export async function authenticateSession(db: RegistryDb, token: string): Promise<HqActor> {
  const row = await db
    .selectFrom('hq_sessions')
    .innerJoin('hq_users', 'hq_users.id', 'hq_sessions.user_id')
    .select(['hq_users.id', 'hq_users.role', 'hq_users.disabled_at', 'hq_sessions.expires_at'])
    .where('hq_sessions.token_hash', '=', hashToken(token))
    .executeTakeFirst()
  if (!row || row.disabled_at !== null || new Date(row.expires_at).getTime() <= Date.now()) {
    throw new AppFailure('unauthorized', 'Your session is not valid or has expired. Sign in again.')
  }
  return { kind: 'hq', userId: row.id, role: row.role }
}

export async function logout(db: RegistryDb, token: string): Promise<void> {
  await db.deleteFrom('hq_sessions').where('token_hash', '=', hashToken(token)).execute()
}
