import { z } from 'zod'
import { defineCalls } from './define'

/**
 * Who may do what on a laptop. supervisor: every office record, review, export, users, forms,
 * enrollment. collector: fills and edits their own records. clerk (data entry): fills records
 * from paper, corrects their own drafts, never exports.
 */
export const roles = ['supervisor', 'collector', 'clerk'] as const
export const roleSchema = z.enum(roles)
export type Role = z.infer<typeof roleSchema>

const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(2)
  .max(64)
  .regex(/^[a-z0-9._-]+$/, 'Use letters, digits, dots, dashes or underscores.')
const displayNameSchema = z.string().trim().min(1).max(120)
/** Long passphrases are welcome; the KDF, not the length, is what makes guessing slow. */
export const passwordSchema = z.string().min(8, 'Use at least 8 characters.').max(1024)
/** At sign-in any typed text is checked (a too-short one is simply wrong, not invalid). */
const typedPasswordSchema = z.string().min(1).max(1024)

export const userSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: roleSchema,
  disabled: z.boolean(),
  createdAt: z.number().int(),
})
export type User = z.infer<typeof userSchema>

export const sessionUserSchema = userSchema.pick({ id: true, username: true, displayName: true, role: true })
export type SessionUser = z.infer<typeof sessionUserSchema>

export const authStatusSchema = z.object({
  /** False until the first supervisor has been created on this laptop. */
  setupDone: z.boolean(),
  /** True whenever nobody is signed in (after setup): the lock or login screen shows. */
  locked: z.boolean(),
  /** The local database and attachments are encrypted (false only before setup of an old plain folder). */
  encrypted: z.boolean(),
  user: sessionUserSchema.nullable(),
  officeName: z.string().nullable(),
  idleLockMinutes: z.number().int().positive(),
  /** HQ can restore access: the data key is sealed to the registry's key. */
  recoveryAvailable: z.boolean(),
})
export type AuthStatus = z.infer<typeof authStatusSchema>

export const authCalls = defineCalls({
  'auth.status': { input: z.object({}).strict(), output: authStatusSchema },
  /** First run only: creates the first supervisor and signs them in. */
  'auth.setup': {
    input: z
      .object({
        officeName: z.string().trim().min(1).max(120),
        username: usernameSchema,
        displayName: displayNameSchema,
        password: passwordSchema,
      })
      .strict(),
    output: authStatusSchema,
  },
  /** Sign in, or unlock (as the same or another user). */
  'auth.login': {
    input: z.object({ username: z.string().trim().toLowerCase().min(1).max(64), password: typedPasswordSchema }).strict(),
    output: authStatusSchema,
  },
  'auth.lock': { input: z.object({}).strict(), output: authStatusSchema },
  /**
   * Someone is at the screen (reading, scrolling) without making calls: the core's idle clock
   * starts again. Sent at most once a minute by the renderer; does nothing while locked.
   */
  'auth.activity': { input: z.object({}).strict(), output: authStatusSchema },
  'auth.changePassword': {
    input: z.object({ currentPassword: typedPasswordSchema, newPassword: passwordSchema }).strict(),
    output: authStatusSchema,
  },
  /** Supervisor: minutes without activity before the laptop locks itself. */
  'auth.configure': {
    input: z.object({ idleLockMinutes: z.number().int().min(1).max(24 * 60) }).strict(),
    output: authStatusSchema,
  },
  /** What the person reads out or sends to HQ when every password is lost. */
  'auth.recoveryInfo': {
    input: z.object({}).strict(),
    output: z.object({ deviceId: z.string(), sealedKey: z.string().nullable() }),
  },
  /** HQ's recovery key restores the data key; resets that supervisor's password and signs in. */
  'auth.recover': {
    input: z
      .object({ recoveryKey: z.string().trim().min(10).max(200), username: usernameSchema, newPassword: passwordSchema })
      .strict(),
    output: authStatusSchema,
  },
})

export const usersCalls = defineCalls({
  'users.list': { input: z.object({}).strict(), output: z.array(userSchema) },
  'users.create': {
    input: z
      .object({ username: usernameSchema, displayName: displayNameSchema, role: roleSchema, password: passwordSchema })
      .strict(),
    output: userSchema,
  },
  'users.update': {
    input: z
      .object({
        id: z.string().min(1).max(100),
        displayName: displayNameSchema.optional(),
        role: roleSchema.optional(),
        disabled: z.boolean().optional(),
        /** A supervisor setting a new password for someone who forgot theirs. */
        password: passwordSchema.optional(),
      })
      .strict(),
    output: userSchema,
  },
})
