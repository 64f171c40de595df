import { createHash, createHmac } from 'node:crypto'
import type { SyncOp } from '../../shared/sync/ops'
import type { RegistryIdentity } from './identity'

/**
 * Ops HQ makes (reviews, corrections, resolutions) carry their own proof of origin in their op id:
 * a UUIDv7 whose 74 random bits are an HMAC, under a key derived from the registry's signing key,
 * of the op's time and content. A registry restored from an older backup has lost the HQ ops made
 * after it, but the laptops that pulled them still hold them; they hand them back ("relay", see
 * docs/sync.md) and the registry takes only those whose id it can recompute: a laptop cannot pass
 * off an edit of its own as HQ's (a forgery passes with probability 2^-74). Nothing new is stored
 * anywhere: the id travels and is kept like any op id.
 */
export type HqOpContent = Pick<
  SyncOp,
  | 'recordId'
  | 'formVersionId'
  | 'kind'
  | 'fieldPath'
  | 'newValue'
  | 'hlc'
  | 'baseHlc'
  | 'seen'
  | 'resolves'
  | 'userId'
>

const keys = new WeakMap<RegistryIdentity, Buffer>()

export function hqOpKey(identity: RegistryIdentity): Buffer {
  let key = keys.get(identity)
  if (!key) {
    key = createHash('sha256')
      .update('outpost-hq-op-id-v1\n')
      .update(identity.signingPrivateKeyPem)
      .digest()
    keys.set(identity, key)
  }
  return key
}

/** JSON with object keys sorted at every level: the same text on every replica. */
export function canonicalJson(value: unknown): string {
  if (value === undefined || value === null) return 'null'
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
  }
  return JSON.stringify(value)
}

function contentText(op: HqOpContent): string {
  return canonicalJson({
    recordId: op.recordId,
    formVersionId: op.formVersionId,
    kind: op.kind,
    fieldPath: op.fieldPath,
    newValue: op.newValue ?? null,
    hlc: op.hlc,
    baseHlc: op.baseHlc,
    seen: op.seen,
    resolves: op.resolves,
    userId: op.userId,
  })
}

function idFor(key: Buffer, timeHex: string, op: HqOpContent): string {
  const mac = createHmac('sha256', key).update(`${timeHex}\n${contentText(op)}`).digest()
  const bytes = Buffer.alloc(16)
  Buffer.from(timeHex, 'hex').copy(bytes, 0)
  bytes[6] = 0x70 | ((mac[0] ?? 0) & 0x0f)
  bytes[7] = mac[1] ?? 0
  bytes[8] = 0x80 | ((mac[2] ?? 0) & 0x3f)
  mac.copy(bytes, 9, 3, 10)
  const hex = bytes.toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/** The op id of an HQ op made now: a valid UUIDv7 (time-ordered like any other). */
export function hqOpId(key: Buffer, op: HqOpContent, now = Date.now()): string {
  return idFor(key, now.toString(16).padStart(12, '0').slice(-12), op)
}

/** True when this registry made an op with exactly this id and content. */
export function isHqOp(key: Buffer, opId: string, op: HqOpContent): boolean {
  const hex = opId.toLowerCase().replace(/-/g, '')
  if (!/^[0-9a-f]{32}$/.test(hex)) return false
  return idFor(key, hex.slice(0, 12), op) === opId.toLowerCase()
}
