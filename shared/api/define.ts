import type { z } from 'zod'

/** One call of the contract: what the renderer may send and what the core answers. */
export type CallSpec = { input: z.ZodType; output: z.ZodType }

export function defineCalls<const T extends Record<string, CallSpec>>(calls: T): T {
  return calls
}

/**
 * Joins the per-domain call maps into one. Names are `domain.verb`; a name defined twice is a
 * programming error, refused when the module loads rather than silently shadowed.
 */
export function joinDomains<const T extends readonly Record<string, CallSpec>[]>(
  ...domains: T
): UnionToIntersection<T[number]> {
  const joined: Record<string, CallSpec> = {}
  for (const domain of domains) {
    for (const [name, spec] of Object.entries(domain)) {
      if (name in joined) throw new Error(`The call "${name}" is defined twice in the contract`)
      if (!/^[a-z]+\.[a-zA-Z]+$/.test(name)) throw new Error(`The call "${name}" is not named domain.verb`)
      joined[name] = spec
    }
  }
  return joined as UnionToIntersection<T[number]>
}

type UnionToIntersection<U> = (U extends unknown ? (k: U) => void : never) extends (
  k: infer I,
) => void
  ? I
  : never
