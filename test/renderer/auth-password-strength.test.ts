import { describe, expect, it } from 'vitest'
import { passwordSchema } from '../../shared/api'
import { minPasswordLength, passwordStrength } from '../../renderer/src/screens/auth/password-strength'

describe('the password strength hint', () => {
  it('calls too short exactly what the core refuses', () => {
    for (const password of ['', 'a', 'abc1234', 'abcd1234', 'a'.repeat(40)]) {
      const refused = !passwordSchema.safeParse(password).success
      expect(['empty', 'tooShort'].includes(passwordStrength(password))).toBe(refused)
    }
    expect(minPasswordLength).toBe(8)
  })

  it('rates long passphrases strong and short or repetitive ones weak', () => {
    expect(passwordStrength('river lamp orange desk')).toBe('strong')
    expect(passwordStrength('Tamale-2024!x')).toBe('strong')
    expect(passwordStrength('abcdefgh')).toBe('weak')
    expect(passwordStrength('aaaaaaaaaaaaaaaaaaaa')).toBe('weak')
    expect(passwordStrength('abababababababab')).toBe('weak')
    expect(passwordStrength('kofimensah')).toBe('fair')
    expect(passwordStrength('مرحبا بالعالم الجميل')).toBe('strong') // letters of any script count
  })
})
