import { AppFailure } from '../../shared/errors'
import type { Role } from '../db/schema'

/** Who is asking: an HQ user signed in with a session, or an enrolled device of one office. */
export type HqActor = { kind: 'hq'; userId: string; role: Role }
export type DeviceActor = { kind: 'device'; deviceId: string; officeId: string }
/** The admin CLI runs on the server with database access: it acts as the system itself. */
export type SystemActor = { kind: 'system' }
export type Actor = HqActor | DeviceActor | SystemActor

export type HqAction =
  | 'offices.manage'
  | 'users.manage'
  | 'devices.manage'
  | 'forms.manage'
  | 'registers.manage'
  | 'records.review'
  | 'read'

const allowed: Record<Role, readonly HqAction[]> = {
  admin: [
    'offices.manage',
    'users.manage',
    'devices.manage',
    'forms.manage',
    'registers.manage',
    'records.review',
    'read',
  ],
  data_manager: ['forms.manage', 'registers.manage', 'records.review', 'read'],
  viewer: ['read'],
}

/** The one place that says which HQ role may do what. Devices never reach HQ actions. */
export function requireHq(actor: Actor, action: HqAction): string | null {
  if (actor.kind === 'system') return null
  if (actor.kind === 'hq' && allowed[actor.role].includes(action)) return actor.userId
  throw new AppFailure(
    'forbidden',
    'Your account is not allowed to do this. Ask an HQ administrator if you need it.',
  )
}

export function jsonText(value: unknown): string {
  return JSON.stringify(value ?? null)
}
