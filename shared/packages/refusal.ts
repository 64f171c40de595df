import { AppFailure } from '../errors'
import type { RefusalReason } from './format'

const nothingChanged = 'Nothing was changed.'

const messages: Record<RefusalReason, string> = {
  not_a_package: 'This file is not an Outpost package (.outpost).',
  format_newer:
    'This package was written by a newer version of Outpost. Update Outpost on this computer, then import it again.',
  wrong_destination:
    'This package is addressed to another computer: only its destination can open it. Check which office or registry it was made for.',
  damaged:
    'This package is damaged, incomplete, or was changed after it was made: its content does not match what was sealed and signed. Copy it again, or ask for a new one.',
  truncated:
    'This package is incomplete: the file ends early, as when a copy to the USB stick was interrupted. Copy it again from the source.',
  bad_signature:
    'This package is not signed by the computer it claims to come from. Do not use it; ask the sender for a new package.',
  unknown_source:
    'This package comes from a device or registry this computer does not know. Enroll the device first, or check where the package came from.',
  revoked_source:
    'This package comes from a device HQ has revoked, so its data is not accepted. Ask HQ to enroll the device again.',
  already_applied:
    'Everything in this package was already applied (from this package, a later one, or online sync). This is harmless.',
  not_enrolled:
    'This computer is not enrolled with a registry yet, so it cannot make or open packages. Enroll it first (Sync).',
}

/** The one error a refused package raises: what is wrong, and that nothing was changed. */
export function packageRefusal(reason: RefusalReason, detail?: string): AppFailure {
  const text = detail ? `${messages[reason]} (${detail})` : messages[reason]
  return new AppFailure('package_invalid', `${text} ${nothingChanged}`, { reason })
}

export function refusalReasonOf(error: unknown): RefusalReason | null {
  if (!(error instanceof AppFailure) || error.code !== 'package_invalid') return null
  const details = error.details as { reason?: RefusalReason } | undefined
  return details?.reason ?? null
}
