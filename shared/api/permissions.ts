import type { Role } from './auth'
import type { CallName } from './index'

/**
 * What a call needs. `public` works before sign-in (status, login, setup, recovery);
 * `signedIn` needs any unlocked user; the rest are granted per role below.
 */
export const permissions = [
  'public',
  'signedIn',
  'records.fill',
  'records.viewAll',
  'records.review',
  'records.export',
  'users.manage',
  'forms.import',
  'sync.manage',
  'conflicts.resolve',
  'settings.manage',
] as const
export type Permission = (typeof permissions)[number]

export const rolePermissions: Record<Role, readonly Permission[]> = {
  supervisor: [
    'signedIn',
    'records.fill',
    'records.viewAll',
    'records.review',
    'records.export',
    'users.manage',
    'forms.import',
    'sync.manage',
    'conflicts.resolve',
    'settings.manage',
  ],
  collector: ['signedIn', 'records.fill'],
  clerk: ['signedIn', 'records.fill'],
}

/** Whether a role holds a permission (`public` is everyone's, even nobody's). */
export function can(role: Role | null | undefined, permission: Permission): boolean {
  if (permission === 'public') return true
  if (!role) return false
  return rolePermissions[role].includes(permission)
}

/**
 * The permission each call needs, checked by the core before the handler runs. A call missing
 * here is a compile error. Record-level rules (a collector only sees and edits their own records)
 * are enforced inside the records handlers with the session user.
 */
export const callPermissions: { [K in CallName]: Permission } = {
  'app.info': 'public',
  'app.chooseFile': 'signedIn',
  'auth.status': 'public',
  'auth.setup': 'public',
  'auth.login': 'public',
  'auth.lock': 'public',
  'auth.activity': 'public',
  'auth.changePassword': 'signedIn',
  'auth.configure': 'users.manage',
  'auth.recoveryInfo': 'public',
  'auth.recover': 'public',
  'users.list': 'users.manage',
  'users.create': 'users.manage',
  'users.update': 'users.manage',
  'settings.get': 'public',
  'settings.update': 'signedIn',
  'forms.list': 'signedIn',
  'forms.get': 'signedIn',
  'forms.import': 'forms.import',
  'records.list': 'signedIn',
  'records.search': 'signedIn',
  'records.get': 'signedIn',
  'records.create': 'records.fill',
  'records.update': 'records.fill',
  'records.setStatus': 'records.fill',
  'records.delete': 'records.fill',
  'records.restore': 'records.fill',
  'records.history': 'signedIn',
  'records.restoreField': 'records.fill',
  'records.stats': 'signedIn',
  'records.setTarget': 'records.review',
  'records.addAttachment': 'records.fill',
  'records.readAttachment': 'signedIn',
  'records.export': 'records.export',
  'sync.status': 'signedIn',
  'sync.now': 'signedIn',
  'sync.cancel': 'signedIn',
  'sync.enroll': 'sync.manage',
  'sync.conflicts': 'signedIn',
  'sync.rejections': 'signedIn',
  'sync.resolve': 'conflicts.resolve',
  'packages.export': 'sync.manage', 'packages.inspect': 'sync.manage', 'packages.import': 'sync.manage',
}

/** What the action is called in a "not allowed" message. */
export function describeCall(name: CallName): string {
  const [domain = '', verb = ''] = name.split('.')
  const words = verb.replace(/([A-Z])/g, ' $1').toLowerCase()
  return `${words} ${domain}`.trim()
}
