/** The core's minimum (shared/api/auth.ts passwordSchema); below it the password is refused. */
export const minPasswordLength = 8

export type PasswordStrength = 'empty' | 'tooShort' | 'weak' | 'fair' | 'strong'

/**
 * A hint, not a rule: length counts most (a long passphrase of plain words is strong), mixing
 * kinds of characters helps a shorter one. The core only enforces the minimum length.
 */
export function passwordStrength(password: string): PasswordStrength {
  if (password.length === 0) return 'empty'
  if (password.length < minPasswordLength) return 'tooShort'
  const kinds = [/\p{Ll}/u, /\p{Lu}/u, /\p{N}/u, /[^\p{L}\p{N}]/u].filter((kind) =>
    kind.test(password),
  ).length
  const distinct = new Set(password).size
  if (distinct < 4) return 'weak' // "aaaaaaaaaaaa", "abababab"
  if (password.length >= 16 || (password.length >= 12 && kinds >= 3)) return 'strong'
  if (password.length >= 10 || kinds >= 3) return 'fair'
  return 'weak'
}
