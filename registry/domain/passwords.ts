import { hash, verify } from '@node-rs/argon2'

// argon2id (the library's default algorithm) with OWASP's minimum: 19 MiB, 2 passes, 1 lane.
// It runs on libuv's thread pool, so a login does not stall other requests.
const options = { memoryCost: 19_456, timeCost: 2, parallelism: 1 }

export function hashPassword(password: string): Promise<string> {
  return hash(password, options)
}

// Verified against when the email is unknown, so that both answers take the same time.
let dummyHash: Promise<string> | null = null

export async function verifyPassword(
  passwordHash: string | null,
  password: string,
): Promise<boolean> {
  if (passwordHash === null) {
    dummyHash ??= hashPassword('outpost-timing-equaliser')
    await verify(await dummyHash, password)
    return false
  }
  return verify(passwordHash, password)
}

export function checkPasswordStrength(password: string): string | null {
  if (password.length < 12) return 'Passwords must be at least 12 characters long.'
  if (password.length > 1024) return 'Passwords must be at most 1024 characters long.'
  return null
}
